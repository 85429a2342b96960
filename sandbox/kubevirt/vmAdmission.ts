/**
 * The sandbox's model of KubeVirt's VirtualMachine validating webhook (`vms-admitter.go`) with the VMI
 * rules it applies to the template (`vmi-create-admitter.go`), per version (§2). Returns the causes of a
 * denial, each with KubeVirt's message and field path; empty when the VM is admitted.
 */
import { clone } from "../api/store";
import { atLeast, hasBackport, type KubeVirtVersion } from "../../core/kubevirt/version";
import type { StatusCause } from "../api/status";
import type { ClusterConfig } from "./cluster";
import { validateLiveUpdateMemory } from "./memoryValidator";
import { setBaseDefaults } from "./vmiDefaults";
import { at, bytes, isObject, milli, num, resourcesOf, semanticEqual, topologyOf, vcpus, type Obj } from "./spec";

export const VM_WEBHOOK = "virtualmachine-validator.kubevirt.io";

const P = "spec.template.spec";

function cause(field: string, message: string, type = "FieldValueInvalid"): StatusCause {
  return { type, message, field };
}

function validateCpuPinning(spec: Obj, raw: Obj, out: StatusCause[]): void {
  const req = resourcesOf(spec, "requests");
  const lim = resourcesOf(spec, "limits");
  if (
    req.memory === undefined &&
    lim.memory === undefined &&
    at(spec, "domain", "memory", "hugepages") === undefined &&
    at(spec, "domain", "memory", "guest") === undefined
  )
    out.push(
      cause(
        `${P}.domain.resources.requests.memory`,
        `${P}.domain.resources.requests.memory, ${P}.domain.resources.limits.memory, ${P}.domain.memory.hugepages or ${P}.domain.memory.guest should be provided`,
        "FieldValueRequired",
      ),
    );
  const reqCpu = milli(req.cpu);
  const limCpu = milli(lim.cpu);
  if (reqCpu % 1000n !== 0n)
    out.push(cause(`${P}.domain.resources.requests.cpu`, "provided resources CPU requests must be an interger"));
  if (limCpu % 1000n !== 0n)
    out.push(cause(`${P}.domain.resources.limits.cpu`, "provided resources CPU limits must be an interger"));
  const reqMem = bytes(req.memory);
  const limMem = bytes(lim.memory);
  if (reqMem !== undefined && limMem !== undefined && reqMem !== limMem)
    out.push(
      cause(
        `${P}.domain.resources.requests.memory`,
        `${P}.domain.resources.requests.memory must be equal to ${P}.domain.resources.limits.memory`,
      ),
    );
  // hardware.GetNumberOfVCPUs: the product of the non-zero topology fields, 0 when none is set
  const rawT = topologyOf(raw);
  const rawVcpus =
    [rawT.sockets, rawT.cores, rawT.threads].filter((n) => n !== 0).reduce((a, b) => a * b, 1) *
    (rawT.sockets || rawT.cores || rawT.threads ? 1 : 0);
  if (reqCpu === 0n && limCpu === 0n && rawVcpus === 0)
    out.push(
      cause(
        `${P}.domain.cpu.cores`,
        `either ${P}.domain.resources.requests.cpu or ${P}.domain.resources.limits.cpu or ${P}.domain.cpu.cores must be provided when DedicatedCPUPlacement is true `,
        "FieldValueRequired",
      ),
    );
  if (reqCpu > 0n && limCpu > 0n && reqCpu !== limCpu)
    out.push(
      cause(
        `${P}.domain.resources.requests.cpu`,
        `${P}.domain.resources.requests.cpu or ${P}.domain.resources.limits.cpu must be equal when DedicatedCPUPlacement is true `,
      ),
    );
  const n = BigInt(vcpus(topologyOf(spec))) * 1000n;
  if ((reqCpu > 0n || limCpu > 0n) && rawVcpus > 0 && reqCpu !== n && limCpu !== n)
    out.push(
      cause(
        `${P}.domain.resources.requests.cpu`,
        `${P}.domain.resources.requests.cpu or ${P}.domain.resources.limits.cpu must not be provided at the same time with ${P}.domain.cpu.cores when DedicatedCPUPlacement is true `,
      ),
    );
  const threads = num(at(spec, "domain", "cpu", "threads"));
  if (spec.architecture === "arm64" && threads > 1)
    out.push(
      cause(
        `${P}.domain.cpu.threads`,
        `threads must not be greater than 1 at ${P}.domain.cpu.threads (got ${threads}) when ${P}.architecture is arm64`,
      ),
    );
  if (threads > 2)
    out.push(
      cause(
        `${P}.domain.cpu.dedicatedCpuPlacement`,
        `Not more than two threads must be provided at ${P}.domain.cpu.threads (got ${threads}) when DedicatedCPUPlacement is true`,
      ),
    );
}

/** The VMI create rules (§2.2, §6.1, §9) applied to the defaulted template. */
function validateTemplate(spec: Obj, raw: Obj, cluster: ClusterConfig, out: StatusCause[]): void {
  const cpu = at(spec, "domain", "cpu");
  const sockets = num(at(cpu, "sockets"));
  const maxSockets = num(at(cpu, "maxSockets"));
  if (maxSockets !== 0 && sockets > maxSockets)
    out.push(
      cause(`${P}.domain.cpu.sockets`, "Number of sockets in CPU topology is greater than the maximum sockets allowed"),
    );
  const dedicated = at(cpu, "dedicatedCpuPlacement") === true;
  if (at(cpu, "isolateEmulatorThread") === true && !dedicated)
    out.push(
      cause(
        `${P}.domain.cpu.isolateEmulatorThread`,
        "IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement",
      ),
    );
  if (dedicated) validateCpuPinning(spec, raw, out);
  // validateArchitecture (vmi-create-admitter.go, v1.0–v1.7; gone in v1.8.0): virt-api's own architecture
  // (runtime.GOARCH) is taken to be the cluster's default one (status.defaultArchitecture, amd64 by default)
  const arch = at(spec, "architecture");
  if (
    !atLeast(cluster.version, 8) &&
    typeof arch === "string" &&
    arch !== "" &&
    arch !== cluster.defaultArchitecture &&
    !cluster.featureGates.has("MultiArchitecture")
  ) {
    const gate = atLeast(cluster.version, 3) ? "MultiArchitecture" : "multi-architecture";
    out.push(
      cause(
        `${P}.architecture`,
        `${gate} feature gate is not enabled in kubevirt-config, invalid entry ${P}.architecture`,
        "FieldValueRequired",
      ),
    );
  }
  if (at(cpu, "numa", "guestMappingPassthrough") !== undefined) {
    if (!atLeast(cluster.version, 4) && !cluster.featureGates.has("NUMA"))
      out.push(
        cause(
          `${P}.domain.cpu.numa.guestMappingPassthrough`,
          `NUMA feature gate is not enabled in kubevirt-config, invalid entry ${P}.domain.cpu.numa.guestMappingPassthrough`,
        ),
      );
    if (!dedicated)
      out.push(
        cause(
          `${P}.domain.cpu.dedicatedCpuPlacement`,
          `${P}.domain.cpu.dedicatedCpuPlacement must be set to true when NUMA topology strategy is set in ${P}.domain.cpu.numa.guestMappingPassthrough`,
        ),
      );
    if (at(spec, "domain", "memory", "hugepages") === undefined)
      out.push(
        cause(
          `${P}.domain.memory.hugepages`,
          `${P}.domain.memory.hugepages must be requested when NUMA topology strategy is set in ${P}.domain.cpu.numa.guestMappingPassthrough`,
        ),
      );
  }
  if (at(cpu, "realtime") !== undefined) {
    if (!dedicated)
      out.push(
        cause(
          `${P}.domain.cpu.dedicatedCpuPlacement`,
          `${P}.domain.cpu.dedicatedCpuPlacement must be set to true when ${P}.domain.cpu.realtime is used`,
          "FieldValueRequired",
        ),
      );
    if (at(cpu, "numa", "guestMappingPassthrough") === undefined)
      out.push(
        cause(
          `${P}.domain.cpu.numa.guestMappingPassthrough`,
          `${P}.domain.cpu.numa.guestMappingPassthrough must be defined when ${P}.domain.cpu.realtime is used`,
          "FieldValueRequired",
        ),
      );
  }
  const pageSize = at(spec, "domain", "memory", "hugepages", "pageSize");
  if (typeof pageSize === "string") {
    // validateHugepagesMemoryRequests: the message names domain.hugepages.size up to v1.7, the real path from v1.8
    const pageField = atLeast(cluster.version, 8)
      ? `${P}.domain.memory.hugepages.pageSize`
      : `${P}.domain.hugepages.size`;
    const page = bytes(pageSize);
    const reqMem = resourcesOf(spec, "requests").memory;
    const limMem = resourcesOf(spec, "limits").memory;
    const guestMem = at(spec, "domain", "memory", "guest");
    // v1.6.4 / v1.7.0 stopped defaulting requests.memory and made the check fall back to the guest, then the limit
    const fallsBack = hasBackport(cluster.version, [
      [1, 6, 4],
      [1, 7, 0],
    ]);
    let mem: bigint | undefined;
    if (fallsBack) {
      // requests, else the guest, else the limit; nothing at all is not checked
      mem = bytes(reqMem) || bytes(guestMem) || bytes(limMem) || 0n;
      if (mem === 0n) mem = undefined;
    } else {
      // requests only, as setDefaultResourceRequests (up to v1.6.3) left them: from the limit, else the guest
      mem = bytes(reqMem) || bytes(limMem) || bytes(guestMem) || 0n;
    }
    // the message prints requests.memory as the user gave it (Go's zero Quantity is "0")
    const shown = String(reqMem ?? (fallsBack ? "0" : (limMem ?? guestMem ?? "0")));
    if (page !== undefined && page > 0n && mem !== undefined) {
      if (mem < page)
        out.push(
          cause(
            `${P}.domain.resources.requests.memory`,
            `${P}.domain.resources.requests.memory '${shown}' must be equal to or larger than page size ${pageField} '${pageSize}'`,
          ),
        );
      else if (mem % page !== 0n)
        out.push(
          cause(
            `${P}.domain.resources.requests.memory`,
            `${P}.domain.resources.requests.memory '${shown}' is not a multiple of the page size ${pageField} '${pageSize}'`,
          ),
        );
    }
  }
  const guest = at(spec, "domain", "memory", "guest");
  const limitMem = resourcesOf(spec, "limits").memory;
  const skipLimit = atLeast(cluster.version, 3) && cluster.liveUpdate;
  const g = bytes(guest);
  const l = bytes(limitMem);
  if (!skipLimit && g !== undefined && l !== undefined && l !== 0n && g > l)
    out.push(
      cause(
        `${P}.domain.memory.guest`,
        `${P}.domain.memory.guest '${String(guest)}' must be equal to or less than the memory limit ${P}.domain.resources.limits.memory '${String(limitMem)}'`,
      ),
    );
}

function hasCpuResources(spec: Obj): boolean {
  return resourcesOf(spec, "requests").cpu !== undefined || resourcesOf(spec, "limits").cpu !== undefined;
}

/** v1.0/v1.1 `validateLiveUpdateFeatures` (vms-admitter.go at v1.0.0 / v1.1.0): all causes accumulate. */
function validateLiveUpdateFeaturesV1_0(vm: Obj, raw: Obj, cluster: ClusterConfig, out: StatusCause[]): void {
  const vmSpec = (vm.spec ?? {}) as Obj;
  const luf = vmSpec.liveUpdateFeatures;
  const v1_1 = atLeast(cluster.version, 1);
  if (luf !== undefined && luf !== null && !cluster.featureGates.has("VMLiveUpdateFeatures"))
    out.push(cause("spec.liveUpdateFeatures", "VMLiveUpdateFeatures feature gate is not enabled in kubevirt-config"));
  if (num(at(raw, "domain", "cpu", "maxSockets")) !== 0)
    out.push(
      cause(
        `${P}.domain.cpu.maxSockets`,
        "CPU topology maxSockets cannot be set directy in VM template",
        "FieldValueNotSupported",
      ),
    );
  const instancetypeCause = cause(
    "spec.liveUpdateFeatures",
    "Live update features cannot be used when instance type is configured",
    "FieldValueNotSupported",
  );
  if (v1_1 && isObject(luf) && vmSpec.instancetype !== undefined) out.push(instancetypeCause);
  if (isObject(luf) && isObject(luf.cpu)) {
    if (!v1_1 && vmSpec.instancetype !== undefined) out.push(instancetypeCause);
    const sockets = num(at(raw, "domain", "cpu", "sockets"));
    if (sockets !== 0 && luf.cpu.maxSockets !== undefined && sockets > num(luf.cpu.maxSockets))
      out.push(
        cause(
          "spec.liveUpdateFeatures",
          "Number of sockets in CPU topology is greater than the maximum sockets allowed",
        ),
      );
    if (hasCpuResources(raw))
      out.push(
        cause(
          "spec.liveUpdateFeatures",
          "Configuration of CPU resource requirements is not allowed when CPU live update is enabled",
        ),
      );
  }
  if (!v1_1) return;
  if (at(raw, "domain", "memory", "maxGuest") !== undefined)
    out.push(
      cause(
        `${P}.domain.memory.maxGuest`,
        "Memory maxGuest cannot be set directy in VM template",
        "FieldValueNotSupported",
      ),
    );
  const maxGuest = at(luf, "memory", "maxGuest");
  if (maxGuest === undefined || maxGuest === null) return;
  if (resourcesOf(raw, "limits").memory !== undefined)
    out.push(
      cause(
        "spec.liveUpdateFeatures",
        "Configuration of Memory limits is not allowed when Memory live update is enabled",
      ),
    );
  const cpu = at(raw, "domain", "cpu");
  if (at(cpu, "realtime") !== undefined)
    out.push(cause(`${P}.domain.cpu.realtime`, "Memory hotplug is not compatible with realtime VMs"));
  if (at(cpu, "numa", "guestMappingPassthrough") !== undefined)
    out.push(
      cause(
        `${P}.domain.cpu.numa.guestMappingPassthrough`,
        "Memory hotplug is not compatible with guest mapping passthrough",
      ),
    );
  if (at(raw, "domain", "launchSecurity") !== undefined)
    out.push(cause(`${P}.domain.launchSecurity`, "Memory hotplug is not compatible with encrypted VMs"));
  if (at(cpu, "dedicatedCpuPlacement") === true)
    out.push(cause(`${P}.domain.cpu.dedicatedCpuPlacement`, "Memory hotplug is not compatible with dedicated CPUs"));
  if (at(raw, "domain", "memory", "hugepages") !== undefined)
    out.push(cause(`${P}.domain.memory.hugepages`, "Memory hotplug is not compatible with hugepages"));
  const guest = bytes(at(raw, "domain", "memory", "guest"));
  const max = bytes(maxGuest) ?? 0n;
  const align = 2n * 1024n * 1024n;
  if (guest === undefined)
    out.push(cause(`${P}.domain.memory.guest`, "Guest memory must be configured when memory hotplug is enabled"));
  else if (guest > max)
    out.push(cause(`${P}.domain.memory.guest`, "Guest memory is greater than the configured maxGuest memory"));
  else if (guest % align !== 0n) out.push(cause(`${P}.domain.memory.guest`, "Guest memory must be 2Mi aligned"));
  if (max % align !== 0n) out.push(cause("spec.liveUpdateFeatures.MaxGuest", "MaxGuest must be 2Mi aligned"));
  if (raw.architecture !== "amd64")
    out.push(cause(`${P}.architecture`, "Memory hotplug is only available for x86_64 VMs"));
}

/**
 * v1.0/v1.1 `validateVMUpdate` for a running VM (status.ready): the first cause only. `vmi` is the running VMI.
 */
export function validateRunningUpdateV1_0(
  vm: Obj,
  old: Obj,
  vmi: Obj | undefined,
  cluster: ClusterConfig,
): StatusCause[] {
  if (at(old, "status", "ready") !== true || semanticEqual(old.spec, vm.spec)) return [];
  const luf = at(vm, "spec", "liveUpdateFeatures");
  if (!semanticEqual(at(old, "spec", "liveUpdateFeatures") ?? {}, luf ?? {}))
    return [cause("spec", "Cannot update VM live features while VM is running", "FieldValueNotSupported")];
  if (!isObject(luf)) return [];
  const oldCpu = at(old, "spec", "template", "spec", "domain", "cpu");
  const newCpu = at(vm, "spec", "template", "spec", "domain", "cpu");
  const status = at(vmi, "status") as Obj | undefined;
  const migrating =
    isObject(at(status, "migrationState")) && at(status, "migrationState", "endTimestamp") === undefined;
  if (isObject(luf.cpu) && isObject(oldCpu) && isObject(newCpu)) {
    if (num(oldCpu.cores) !== num(newCpu.cores))
      return [
        cause(
          `${P}.domain.cpu.cores`,
          "Cannot update CPU cores while live update features configured",
          "FieldValueNotSupported",
        ),
      ];
    if (num(oldCpu.threads) !== num(newCpu.threads))
      return [
        cause(
          `${P}.domain.cpu.threads`,
          "Cannot update CPU threads while live update features configured",
          "FieldValueNotSupported",
        ),
      ];
    if (num(oldCpu.sockets) !== num(newCpu.sockets)) {
      const conds = (status?.conditions ?? []) as Obj[];
      if (conds.some((c) => c.type === "HotVCPUChange" && c.status === "True"))
        return [
          cause(
            `${P}.domain.cpu.sockets`,
            "cannot update CPU sockets while another CPU change is in progress",
            "FieldValueNotSupported",
          ),
        ];
      if (migrating)
        return [
          cause(
            `${P}.domain.cpu.sockets`,
            "cannot update while VMI migration is in progress",
            "FieldValueNotSupported",
          ),
        ];
    }
  }
  if (atLeast(cluster.version, 1) && isObject(luf.memory)) {
    const oldGuest = bytes(at(old, "spec", "template", "spec", "domain", "memory", "guest"));
    const newGuest = bytes(at(vm, "spec", "template", "spec", "domain", "memory", "guest"));
    if (oldGuest !== newGuest) {
      const conds = (status?.conditions ?? []) as Obj[];
      const atBoot = bytes(at(status, "memory", "guestAtBoot"));
      if (newGuest !== undefined && atBoot !== undefined && newGuest < atBoot)
        return [
          cause(
            `${P}.domain.memory.guest`,
            "cannot set less memory than what the guest booted with",
            "FieldValueNotSupported",
          ),
        ];
      if (conds.some((c) => c.type === "HotMemoryChange" && c.status === "True"))
        return [
          cause(
            `${P}.domain.memory.guest`,
            "cannot update memory while another memory change is in progress",
            "FieldValueNotSupported",
          ),
        ];
      if (migrating)
        return [
          cause(
            `${P}.domain.memory.guest`,
            "cannot update while VMI migration is in progress",
            "FieldValueNotSupported",
          ),
        ];
    }
  }
  return [];
}

function isV(v: KubeVirtVersion, minor: number, patch: number): boolean {
  return v.major === 1 && v.minor === minor && v.patch === patch;
}

/** Causes for denying `vm` (create when `old` is undefined); the VMI of a running VM is `vmi`. */
export function admitVirtualMachine(vm: Obj, old: Obj | undefined, cluster: ClusterConfig): StatusCause[] {
  const out: StatusCause[] = [];
  const raw = at(vm, "spec", "template", "spec");
  if (!isObject(raw)) {
    out.push(cause("spec.template.spec", "spec.template.spec is required", "FieldValueRequired"));
    return out;
  }
  const vmSpec = vm.spec as Obj;
  if (vmSpec.running !== undefined && vmSpec.runStrategy !== undefined)
    out.push(
      cause(
        "spec.running",
        "Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead",
      ),
    );
  const rs = vmSpec.runStrategy;
  if (
    rs !== undefined &&
    !["Always", "Halted", "Manual", "RerunOnFailure", "Once", "WaitAsReceiver"].includes(String(rs))
  )
    out.push(cause("spec.runStrategy", `Invalid RunStrategy (${String(rs)})`));
  const spec = clone(raw);
  setBaseDefaults(spec, cluster);
  const v = cluster.version;
  if (!atLeast(v, 2)) {
    validateTemplate(spec, raw, cluster, out);
    validateLiveUpdateFeaturesV1_0(vm, raw, cluster, out);
    return out;
  }
  validateTemplate(spec, raw, cluster, out);
  if (cluster.liveUpdate) {
    if (isV(v, 2, 0) && vmSpec.instancetype !== undefined)
      out.push(cause("spec.instancetype", "Cannot configure instance type when the vmRolloutStrategy is LiveUpdate"));
    if (
      v.minor === 2 &&
      v.patch <= 1 &&
      (resourcesOf(raw, "requests").cpu !== undefined || resourcesOf(raw, "limits").cpu !== undefined)
    )
      out.push(
        cause(
          `${P}.domain.resources`,
          "Configuration of CPU resource requirements is not allowed when CPU live update is enabled",
        ),
      );
    const t = topologyOf(spec);
    const maxSockets = num(at(spec, "domain", "cpu", "maxSockets"));
    if (t.sockets !== 0 && maxSockets !== 0 && t.sockets > maxSockets)
      out.push(
        cause(
          `${P}.domain.cpu.sockets`,
          "Number of sockets in CPU topology is greater than the maximum sockets allowed",
        ),
      );
    const maxGuest = at(spec, "domain", "memory", "maxGuest");
    if (maxGuest !== undefined && maxGuest !== null) {
      if (isV(v, 2, 0) && resourcesOf(raw, "limits").memory !== undefined)
        out.push(
          cause(
            `${P}.domain.resources.limits.memory`,
            "Configuration of Memory limits is not allowed when Memory live update is enabled",
          ),
        );
      const msg = validateLiveUpdateMemory(spec, maxGuest, v);
      if (msg) out.push(cause(`${P}.domain.memory.guest`, msg));
    }
  }
  return out;
}
