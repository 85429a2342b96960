import {
  formatQuantity,
  parseQuantity,
  quantityCeil,
  quantityFromBigInt,
  quantityMilli,
  type Quantity,
} from "../quantity";
import type { VmiSpec } from "../schema/common";
import { admissionSwitches } from "./admissionContext";
import type { KubeVirtVersion } from "../version";
import { hasResource, quantityValue, resourceEntry, resourceQuantity, tryParseQuantity } from "./resources";

export interface TemplateDefaultsOptions {
  readonly version: KubeVirtVersion;
  readonly defaultArchitecture: string;
  /** percent, 100 = no overcommit */
  readonly memoryOvercommit: number;
  /** cluster `configuration.cpuRequest` when not the default 100m */
  readonly cpuRequest?: string | number;
}

/**
 * The defaults KubeVirt's VM admitter applies to a COPY of the template before validating it
 * (`SetDefaultVirtualMachineInstanceSpec`; `webhooks.SetDefaultVirtualMachine` before v1.4), restricted to the
 * parts the CPU/memory rules read:
 *
 * 1. architecture ← cluster default when empty (setDefaultArchitecture);
 * 2. requests.cpu ← limits.cpu when only limits are set; up to v1.6.3 also requests.memory ← limits.memory, or
 *    ← memory.guest / hugepages page size (scaled by memoryOvercommit); requests.cpu ← the cluster cpuRequest
 *    when set (not for dedicated CPUs) (setDefaultResourceRequests);
 * 3. v1.3+: memory.guest ← requests.memory, else limits.memory, else the hugepages page size (setGuestMemory);
 * 4. an empty topology becomes sockets = limits.cpu (or requests.cpu, else 1), cores = threads = 1
 *    (SetDefaultGuestCPUTopology).
 *
 * maxSockets and maxGuest are NOT computed here: that happens only for VMIs. The input is never modified: the
 * result is a copy of the objects on the paths the defaults write (spec, domain, resources, memory, cpu; requests
 * is replaced whole) and shares every other part with the input, so callers must treat it as read-only.
 */
export function applyTemplateDefaults(input: VmiSpec | undefined, options: TemplateDefaultsOptions): VmiSpec {
  const spec = copyOnWritePaths(input ?? {});
  const switches = admissionSwitches(options.version);
  if (!spec.architecture && options.defaultArchitecture) spec.architecture = options.defaultArchitecture;
  setDefaultResourceRequests(spec, options, switches.defaultsMemoryRequests);
  if (switches.defaultsGuestMemory) setGuestMemory(spec);
  setDefaultGuestCpuTopology(spec);
  return spec;
}

type ResourceList = Record<string, string | number>;

function isObject(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/** A shallow copy of an object or list (the defaults may write into it). */
function ownCopy<T extends object>(value: T): T {
  return (Array.isArray(value) ? value.slice() : { ...value }) as T;
}

/**
 * `spec` with its own copies of the objects the defaults write into (those present), so the input stays
 * untouched; absent ones are created by the defaults themselves.
 */
function copyOnWritePaths(input: VmiSpec): VmiSpec {
  const spec = ownCopy(input);
  if (!isObject(spec.domain)) return spec;
  const domain = (spec.domain = ownCopy(spec.domain));
  if (isObject(domain.resources)) domain.resources = ownCopy(domain.resources);
  if (isObject(domain.memory)) domain.memory = ownCopy(domain.memory);
  if (isObject(domain.cpu)) domain.cpu = ownCopy(domain.cpu);
  return spec;
}

function resourcesOf(spec: VmiSpec): { requests?: ResourceList; limits?: ResourceList } {
  spec.domain ??= {};
  spec.domain.resources ??= {};
  return spec.domain.resources as { requests?: ResourceList; limits?: ResourceList };
}

function isZero(spec: VmiSpec, kind: "requests" | "limits", name: "cpu" | "memory"): boolean {
  return resourceQuantity(spec, kind, name).mantissa === 0n;
}

function setRequest(spec: VmiSpec, name: "cpu" | "memory", value: string | number): void {
  const resources = resourcesOf(spec);
  resources.requests = { ...(resources.requests ?? {}), [name]: value };
}

function setDefaultResourceRequests(
  spec: VmiSpec,
  options: TemplateDefaultsOptions,
  memoryDefaults: "overcommit" | "plain" | "none",
): void {
  if (!isZero(spec, "limits", "cpu") && isZero(spec, "requests", "cpu")) {
    setRequest(spec, "cpu", resourceEntry(spec, "limits", "cpu")!);
  }
  if (memoryDefaults !== "none") {
    if (!isZero(spec, "limits", "memory") && isZero(spec, "requests", "memory")) {
      setRequest(spec, "memory", resourceEntry(spec, "limits", "memory")!);
    }
    if (!hasResource(spec, "requests", "memory")) {
      const memorySpec = spec.domain?.memory;
      let memory: Quantity | undefined = memorySpec?.guest !== undefined ? parseQuantity(memorySpec.guest) : undefined;
      if (memory === undefined && memorySpec?.hugepages) memory = tryParseQuantity(memorySpec.hugepages.pageSize);
      if (memory !== undefined && quantityValue(memory) > 0n) {
        const overcommit = memoryDefaults === "overcommit" ? options.memoryOvercommit : 100;
        if (overcommit === 100 || overcommit <= 0) {
          setRequest(spec, "memory", formatQuantity(memory));
        } else {
          const value = (quantityCeil(memory) * 100n) / BigInt(overcommit);
          setRequest(spec, "memory", formatQuantity(quantityFromBigInt(value, memory.format)));
        }
      }
    }
  }
  const cpuRequest = options.cpuRequest;
  if (cpuRequest !== undefined && quantityMilli(parseQuantity(cpuRequest)) !== 100n) {
    if (!hasResource(spec, "requests", "cpu")) {
      if (spec.domain?.cpu?.dedicatedCpuPlacement) return;
      setRequest(spec, "cpu", cpuRequest);
    }
  }
}

function setGuestMemory(spec: VmiSpec): void {
  spec.domain ??= {};
  if (spec.domain.memory?.guest !== undefined) return;
  spec.domain.memory ??= {};
  const memory = spec.domain.memory;
  if (!isZero(spec, "requests", "memory")) {
    memory.guest = resourceEntry(spec, "requests", "memory")!;
  } else if (!isZero(spec, "limits", "memory")) {
    memory.guest = resourceEntry(spec, "limits", "memory")!;
  } else if (memory.hugepages) {
    const pageSize = tryParseQuantity(memory.hugepages.pageSize);
    if (pageSize) memory.guest = memory.hugepages.pageSize!;
  }
}

function setDefaultGuestCpuTopology(spec: VmiSpec): void {
  spec.domain ??= {};
  const cpu = spec.domain.cpu;
  if (cpu && ((cpu.cores ?? 0) !== 0 || (cpu.sockets ?? 0) !== 0 || (cpu.threads ?? 0) !== 0)) return;
  spec.domain.cpu ??= {};
  let sockets = 1;
  // Go: uint32(quantity.Value()), keyed on presence, limits first
  if (hasResource(spec, "limits", "cpu")) sockets = toUint32(quantityCeil(resourceQuantity(spec, "limits", "cpu")));
  else if (hasResource(spec, "requests", "cpu"))
    sockets = toUint32(quantityCeil(resourceQuantity(spec, "requests", "cpu")));
  spec.domain.cpu.sockets = sockets;
  spec.domain.cpu.cores = 1;
  spec.domain.cpu.threads = 1;
}

function toUint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}
