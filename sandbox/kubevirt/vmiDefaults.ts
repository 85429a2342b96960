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
  // setGuestMemory (pkg/virt-api/webhooks/defaults.go, v1.3.0+; before, a VMI without memory.guest keeps none):
  // requests, else limits, else the hugepage size
  const memory = obj(domain, "memory");
  if (memory.guest === undefined && atLeast(cluster.version, 3)) {
    const req = resourcesOf(spec, "requests").memory;
    const lim = resourcesOf(spec, "limits").memory;
    const page = at(memory, "hugepages", "pageSize");
    if (req !== undefined && bytes(req) !== 0n) memory.guest = req;
    else if (lim !== undefined && bytes(lim) !== 0n) memory.guest = lim;
    else if (typeof page === "string") memory.guest = page;
  }
  // SetDefaultGuestCPUTopology: only an entirely empty topology is filled (sockets from limits/requests.cpu)
  const t = topologyOf(spec);
  if (t.sockets === 0 && t.cores === 0 && t.threads === 0) {
    const lim = resourcesOf(spec, "limits").cpu;
    const req = resourcesOf(spec, "requests").cpu;
    const fromQ = (q: unknown) => Number((milli(q) + 999n) / 1000n); // Quantity.Value() rounds up
    const cpu = obj(domain, "cpu");
    cpu.sockets = lim !== undefined ? fromQ(lim) : req !== undefined ? fromQ(req) : 1;
    cpu.cores = 1;
    cpu.threads = 1;
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
  const perSocket = t.cores * t.threads;
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
  // setDefaultResourceRequests: a CPU limit without a request becomes the request
  const limCpu = resourcesOf(spec, "limits").cpu;
  if (limCpu !== undefined && milli(limCpu) !== 0n && milli(resourcesOf(spec, "requests").cpu) === 0n)
    obj(obj(domain, "resources"), "requests").cpu = limCpu;
  const v = cluster.version;
  if (!atLeast(v, 2)) {
    // v1.0/v1.1 setupLiveFeatures: per liveUpdateFeatures, no validation, no 512-vCPU cap
    const luf = at(vmSpec, "liveUpdateFeatures");
    if (!isObject(luf)) return;
    if (isObject(luf.cpu)) {
      cpu.maxSockets =
        num(luf.cpu.maxSockets) || cluster.maxCpuSockets || num(cpu.sockets) * cluster.maxHotplugRatio || 0;
    }
    if (atLeast(v, 1) && isObject(luf.memory) && memory) {
      const guest = bytes(memory.guest);
      const max =
        luf.memory.maxGuest ??
        cluster.maxGuest ??
        (guest !== undefined ? formatBytes(guest * BigInt(cluster.maxHotplugRatio)) : undefined);
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
