/**
 * Boot-time defaults KubeVirt writes into a new VMI (the VMI mutator / `pkg/defaults`, the VM controller
 * before v1.3): architecture, guest CPU topology, guest memory and memory requests, and the hotplug
 * ceilings maxSockets (§3.2) and maxGuest (§3.3); then status.currentCPUTopology and status.memory.
 */
import { atLeast, hasBackport } from "../../core/kubevirt/version";
import type { ClusterConfig } from "./cluster";
import { validateLiveUpdateMemory } from "./memoryValidator";
import { at, bytes, formatBytes, isObject, milli, num, obj, resourcesOf, topologyOf, type Obj } from "./spec";

/** Architecture, topology and guest memory: the parts admission also defaults on a copy of the VM template. */
export function setBaseDefaults(spec: Obj, cluster: ClusterConfig): void {
  if (typeof spec.architecture !== "string" || spec.architecture === "")
    spec.architecture = cluster.defaultArchitecture;
  const domain = obj(spec, "domain");
  const t = topologyOf(spec);
  if (t.sockets === 0 && t.cores === 0 && t.threads === 0) {
    const cpuQ = milli(resourcesOf(spec, "limits").cpu) || milli(resourcesOf(spec, "requests").cpu);
    const cpu = obj(domain, "cpu");
    cpu.sockets = cpuQ > 0n ? Number((cpuQ + 999n) / 1000n) : 1;
    cpu.cores = 1;
    cpu.threads = 1;
  } else {
    const cpu = obj(domain, "cpu");
    if (!num(cpu.sockets)) cpu.sockets = 1;
    if (!num(cpu.cores)) cpu.cores = 1;
    if (!num(cpu.threads)) cpu.threads = 1;
  }
  const memory = isObject(domain.memory) ? domain.memory : undefined;
  if (memory?.guest === undefined) {
    const from = resourcesOf(spec, "requests").memory ?? resourcesOf(spec, "limits").memory;
    if (from !== undefined) obj(domain, "memory").guest = from;
  }
}

function cpuHotplugSupported(spec: Obj, cluster: ClusterConfig): boolean {
  return !(
    spec.architecture === "arm64" &&
    hasBackport(cluster.version, [
      [1, 5, 2],
      [1, 6, 0],
    ])
  );
}

function computeMaxSockets(spec: Obj, cluster: ClusterConfig, explicit: number): number {
  const t = topologyOf(spec);
  if (explicit > 0) return explicit;
  if (cluster.maxCpuSockets !== undefined) {
    return atLeast(cluster.version, 4) ? Math.max(cluster.maxCpuSockets, t.sockets) : cluster.maxCpuSockets;
  }
  let max = t.sockets * cluster.maxHotplugRatio;
  const perSocket = Math.max(t.cores, 1) * Math.max(t.threads, 1);
  if (
    hasBackport(cluster.version, [
      [1, 4, 1],
      [1, 5, 1],
      [1, 6, 0],
    ]) &&
    max * perSocket > 512
  ) {
    max = Math.max(Math.floor(512 / perSocket), t.sockets);
  }
  return max;
}

function computeMaxGuest(spec: Obj, cluster: ClusterConfig, explicit: unknown): string | undefined {
  const guest = bytes(at(spec, "domain", "memory", "guest"));
  let candidate: string | undefined;
  if (explicit !== undefined && explicit !== null) candidate = String(explicit);
  else if (cluster.maxGuest !== undefined) candidate = cluster.maxGuest;
  else if (guest !== undefined) candidate = formatBytes(guest * BigInt(cluster.maxHotplugRatio));
  if (candidate === undefined) return undefined;
  if (atLeast(cluster.version, 3) && validateLiveUpdateMemory(spec, candidate, cluster.version) !== undefined)
    return undefined;
  return candidate;
}

/**
 * Fills a VMI spec created from `vmSpec` (the VM object, for liveUpdateFeatures in v1.0/v1.1) and returns
 * the initial status fields.
 */
export function applyVmiDefaults(spec: Obj, cluster: ClusterConfig, vmSpec?: Obj): void {
  setBaseDefaults(spec, cluster);
  const domain = obj(spec, "domain");
  const cpu = obj(domain, "cpu");
  const memory = isObject(domain.memory) ? domain.memory : undefined;
  // memory requests default to the guest size when no memory request is given
  if (memory?.guest !== undefined && resourcesOf(spec, "requests").memory === undefined) {
    const resources = obj(domain, "resources");
    obj(resources, "requests").memory = memory.guest;
  }
  const v = cluster.version;
  if (!atLeast(v, 2)) {
    const luf = at(vmSpec, "liveUpdateFeatures");
    if (!isObject(luf) || !cluster.featureGates.has("VMLiveUpdateFeatures")) return;
    if (isObject(luf.cpu)) cpu.maxSockets = computeMaxSockets(spec, cluster, num(luf.cpu.maxSockets));
    if (atLeast(v, 1) && isObject(luf.memory) && memory) {
      const max = computeMaxGuest(spec, cluster, luf.memory.maxGuest);
      if (max !== undefined) memory.maxGuest = max;
    }
    return;
  }
  if (!cluster.liveUpdate || !cpuHotplugSupported(spec, cluster)) return;
  cpu.maxSockets = computeMaxSockets(spec, cluster, num(cpu.maxSockets));
  if (memory) {
    const max = computeMaxGuest(spec, cluster, memory.maxGuest);
    if (max !== undefined) memory.maxGuest = max;
    else delete memory.maxGuest;
  }
}

export function initialVmiStatus(spec: Obj): Obj {
  const t = topologyOf(spec);
  const status: Obj = { currentCPUTopology: { sockets: t.sockets, cores: t.cores, threads: t.threads } };
  const guest = at(spec, "domain", "memory", "guest");
  if (guest !== undefined) status.memory = { guestAtBoot: guest, guestCurrent: guest, guestRequested: guest };
  return status;
}
