/**
 * The VM controller's live-update handlers (§1.3–§1.5), run in KubeVirt's order against the running VMI.
 * Each either leaves things alone, patches the VMI spec (mutating `vmi` here; the caller writes it),
 * asks for RestartRequired with KubeVirt's message, or fails transiently (a VM `Failure` condition).
 */
import { clone } from "../api/store";
import { atLeast, hasBackport } from "../../core/kubevirt/version";
import type { ClusterConfig } from "./cluster";
import { hasConditionStatus, getCondition } from "./conditions";
import { validateLiveUpdateMemory } from "./memoryValidator";
import {
  at,
  bytes,
  formatBytes,
  isObject,
  jsonEqual,
  milli,
  num,
  obj,
  resourcesOf,
  topologyOf,
  vcpus,
  type Obj,
} from "./spec";

export type HandlerResult =
  | { kind: "noop" }
  | { kind: "patched"; what: string }
  | { kind: "rr"; message: string }
  | { kind: "error"; reason: string; message: string };

const noop: HandlerResult = { kind: "noop" };

export function isMigrating(vmi: Obj): boolean {
  const ms = at(vmi, "status", "migrationState");
  return isObject(ms) && ms.startTimestamp !== undefined && ms.endTimestamp === undefined;
}

export function isMigratable(vmi: Obj): boolean {
  return hasConditionStatus(at(vmi, "status") as Obj | undefined, "LiveMigratable", "True");
}

function milliString(m: bigint): string {
  return m % 1000n === 0n ? String(m / 1000n) : `${m}m`;
}

function vmiStatus(vmi: Obj): Obj | undefined {
  return at(vmi, "status") as Obj | undefined;
}

/** handleCPUChangeRequest (vm.go:622). `tmpl` is the VM template spec. */
export function handleCpuChange(tmpl: Obj, vmi: Obj, cluster: ClusterConfig): HandlerResult {
  const v = cluster.version;
  const vmCpu = at(tmpl, "domain", "cpu");
  const vmiSpec = vmi.spec as Obj;
  const vmiCpu = at(vmiSpec, "domain", "cpu");
  if (!isObject(vmCpu) || !isObject(vmiCpu)) return noop;
  const vmSockets = num(vmCpu.sockets);
  const vmiSockets = num(vmiCpu.sockets);
  if (vmSockets === vmiSockets) return noop;
  if (hasConditionStatus(vmiStatus(vmi), "HotVCPUChange", "True"))
    return { kind: "error", reason: "HotPlugCPUError", message: "another CPU hotplug is in progress" };
  if (isMigrating(vmi))
    return { kind: "error", reason: "HotPlugCPUError", message: "CPU hotplug is not allowed while VMI is migrating" };
  if (vmSockets > num(vmiCpu.maxSockets))
    return { kind: "rr", message: "CPU sockets updated in template spec to a value higher than what's available" };
  if (atLeast(v, 2, 1) && vmSockets < vmiSockets)
    return { kind: "rr", message: "Reduction of CPU socket count requires a restart" };
  if (
    hasBackport(v, [
      [1, 5, 2],
      [1, 6, 0],
    ])
  ) {
    if (tmpl.architecture === "arm64") return { kind: "rr", message: "ARM doesn't support CPU hotplug" };
  } else if (
    (v.minor === 3 || (v.minor === 4 && v.patch === 0) || (v.minor === 5 && v.patch <= 1)) &&
    atLeast(v, 3) &&
    at(tmpl, "domain", "devices", "networkInterfaceMultiqueue") === true
  ) {
    return {
      kind: "rr",
      message: "Changes to CPU sockets require a restart when NetworkInterfaceMultiQueue is enabled",
    };
  }
  const before = vcpus(topologyOf(vmiSpec));
  vmiCpu.sockets = vmSockets;
  const after = vcpus(topologyOf(vmiSpec));
  if (atLeast(v, 2, 1)) {
    const delta = BigInt(after - before) * BigInt(Math.round(1000 / cluster.cpuAllocationRatio));
    for (const which of ["requests", "limits"] as const) {
      if (milli(resourcesOf(tmpl, which).cpu) === 0n) continue;
      const res = obj(obj(obj(vmiSpec, "domain"), "resources"), which);
      res.cpu = milliString(milli(res.cpu) + delta);
    }
  }
  return { kind: "patched", what: "cpu" };
}

/** v1.0/v1.1: liveUpdateFeatures.cpu compares the total vCPU count and patches sockets. */
export function handleCpuChangeV1_0(vmSpec: Obj, tmpl: Obj, vmi: Obj, cluster: ClusterConfig): HandlerResult {
  if (!isObject(at(vmSpec, "liveUpdateFeatures", "cpu")) || !cluster.featureGates.has("VMLiveUpdateFeatures"))
    return noop;
  const vmiSpec = vmi.spec as Obj;
  if (vcpus(topologyOf(tmpl)) === vcpus(topologyOf(vmiSpec))) return noop;
  if (hasConditionStatus(vmiStatus(vmi), "HotVCPUChange", "True") || isMigrating(vmi)) return noop;
  const sockets = num(at(tmpl, "domain", "cpu", "sockets"));
  const max = num(at(vmiSpec, "domain", "cpu", "maxSockets"));
  if (sockets === 0 || (max !== 0 && sockets > max)) return noop;
  obj(obj(vmiSpec, "domain"), "cpu").sockets = sockets;
  return { kind: "patched", what: "cpu" };
}

/** handleAffinityChangeRequest (vm.go:775): nodeSelector and affinity. */
export function handleAffinityChange(tmpl: Obj, vmi: Obj): HandlerResult {
  const vmiSpec = vmi.spec as Obj;
  if (jsonEqual(tmpl.nodeSelector, vmiSpec.nodeSelector) && jsonEqual(tmpl.affinity, vmiSpec.affinity)) return noop;
  if (isMigrating(vmi))
    return {
      kind: "error",
      reason: "AffinityChangeError",
      message: "Node affinity should not be changed during VMI migration",
    };
  for (const key of ["nodeSelector", "affinity"]) {
    if (tmpl[key] === undefined) delete vmiSpec[key];
    else vmiSpec[key] = clone(tmpl[key]);
  }
  return { kind: "patched", what: "affinity" };
}

/** handleTolerationsChangeRequest (vm.go:749), v1.4+. */
export function handleTolerationsChange(tmpl: Obj, vmi: Obj): HandlerResult {
  const vmiSpec = vmi.spec as Obj;
  if (jsonEqual(tmpl.tolerations, vmiSpec.tolerations)) return noop;
  if (isMigrating(vmi))
    return {
      kind: "error",
      reason: "TolerationsChangeError",
      message: "tolerations should not be changed during VMI migration",
    };
  if (tmpl.tolerations === undefined) delete vmiSpec.tolerations;
  else vmiSpec.tolerations = clone(tmpl.tolerations);
  return { kind: "patched", what: "tolerations" };
}

/** handleMemoryHotplugRequest (vm.go:3452), with the v1.2.x differences. */
export function handleMemoryChange(tmpl: Obj, vmi: Obj, cluster: ClusterConfig): HandlerResult {
  const v = cluster.version;
  const v13 = atLeast(v, 3);
  const vmiSpec = vmi.spec as Obj;
  const status = vmiStatus(vmi);
  const vmGuestQ = at(tmpl, "domain", "memory", "guest");
  const vmiGuestQ = at(vmiSpec, "domain", "memory", "guest");
  const memStatus = at(status, "memory");
  if (vmGuestQ === undefined || vmiGuestQ === undefined || !isObject(memStatus) || memStatus.guestCurrent === undefined)
    return noop;
  if (v13 && hasConditionStatus(status, "HotMemoryChange", "False"))
    return {
      kind: "rr",
      message: "memory updated in template spec. Memory-hotplug failed and is not available for this VM configuration",
    };
  const vmGuest = bytes(vmGuestQ);
  const vmiGuest = bytes(vmiGuestQ);
  if (vmGuest === undefined || vmiGuest === undefined || vmGuest === vmiGuest) return noop;
  const maxGuestQ = at(vmiSpec, "domain", "memory", "maxGuest");
  if (v13 && !isMigratable(vmi))
    return {
      kind: "rr",
      message: "memory updated in template spec. Memory-hotplug is only available for migratable VMs",
    };
  if (v13 && (maxGuestQ === undefined || maxGuestQ === null))
    return {
      kind: "rr",
      message: "memory updated in template spec. Memory-hotplug is not available for this VM configuration",
    };
  if (hasConditionStatus(status, "HotMemoryChange", "True"))
    return { kind: "error", reason: "HotPlugMemoryError", message: "another memory hotplug is in progress" };
  if (isMigrating(vmi))
    return {
      kind: "error",
      reason: "HotPlugMemoryError",
      message: "memory hotplug is not allowed while VMI is migrating",
    };
  if (v13) {
    const msg = validateLiveUpdateMemory(tmpl, maxGuestQ, v);
    if (msg) return { kind: "rr", message: `memory hotplug not supported, ${msg}` };
  }
  const atBoot = bytes(memStatus.guestAtBoot);
  if (atBoot !== undefined && vmGuest < atBoot)
    return { kind: "rr", message: "memory updated in template spec to a value lower than what the VM started with" };
  const maxGuest = bytes(maxGuestQ);
  if (maxGuest === undefined || vmGuest > maxGuest)
    return { kind: "rr", message: "memory updated in template spec to a value higher than what's available" };
  const current = bytes(memStatus.guestCurrent) ?? vmiGuest;
  const delta = vmGuest - current;
  obj(obj(vmiSpec, "domain"), "memory").guest = vmGuestQ;
  const resources = obj(obj(vmiSpec, "domain"), "resources");
  const req = bytes(at(resources, "requests", "memory"));
  if (req !== undefined && (req !== 0n || !atLeast(v, 7))) {
    let next = req + delta;
    if (next < vmGuest) next = vmGuest;
    obj(resources, "requests").memory = formatBytes(next);
  }
  const tmplLimit = bytes(resourcesOf(tmpl, "limits").memory);
  const vmiLimit = bytes(at(resources, "limits", "memory"));
  if (atLeast(v, 2, 1) && tmplLimit !== undefined && tmplLimit !== 0n && vmiLimit !== undefined)
    obj(resources, "limits").memory = formatBytes(vmiLimit + delta);
  return { kind: "patched", what: "memory" };
}

/** v1.1: liveUpdateFeatures.memory patches the guest size. */
export function handleMemoryChangeV1_1(vmSpec: Obj, tmpl: Obj, vmi: Obj, cluster: ClusterConfig): HandlerResult {
  if (!atLeast(cluster.version, 1) || !isObject(at(vmSpec, "liveUpdateFeatures", "memory"))) return noop;
  if (!cluster.featureGates.has("VMLiveUpdateFeatures")) return noop;
  const vmiSpec = vmi.spec as Obj;
  const g = bytes(at(tmpl, "domain", "memory", "guest"));
  const cur = bytes(at(vmiSpec, "domain", "memory", "guest"));
  const max = bytes(at(vmiSpec, "domain", "memory", "maxGuest"));
  if (g === undefined || cur === undefined || g === cur) return noop;
  if (hasConditionStatus(vmiStatus(vmi), "HotMemoryChange", "True") || isMigrating(vmi)) return noop;
  const atBoot = bytes(at(vmi, "status", "memory", "guestAtBoot"));
  if ((atBoot !== undefined && g < atBoot) || max === undefined || g > max) return noop;
  obj(obj(vmiSpec, "domain"), "memory").guest = at(tmpl, "domain", "memory", "guest");
  return { kind: "patched", what: "memory" };
}

/** v1.1: liveUpdateFeatures.affinity. */
export function handleAffinityChangeV1_1(vmSpec: Obj, tmpl: Obj, vmi: Obj, cluster: ClusterConfig): HandlerResult {
  if (!atLeast(cluster.version, 1) || at(vmSpec, "liveUpdateFeatures", "affinity") === undefined) return noop;
  if (!cluster.featureGates.has("VMLiveUpdateFeatures")) return noop;
  return handleAffinityChange(tmpl, vmi);
}

export function hotplugConditionPresent(vmi: Obj): boolean {
  const s = vmiStatus(vmi);
  return (
    getCondition(s, "HotVCPUChange") !== undefined ||
    hasConditionStatus(s, "HotMemoryChange", "True") ||
    hasConditionStatus(s, "MigrationRequired", "True") ||
    hasConditionStatus(s, "VolumesChange", "True")
  );
}
