import type { Quantity } from "../quantity";
import * as quantityModule from "../quantity";
import type { VmiSpec } from "../schema/common";
import * as admissionContextModule from "./admissionContext";
import type { KubeVirtVersion } from "../version";
import * as resourcesModule from "./resources";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { formatQuantity, parseQuantity, quantityCeil, quantityFromBigInt, quantityMilli } = quantityModule;
const { admissionSwitches } = admissionContextModule;
const { hasResource, quantityValue, resourceEntry, resourceQuantity, tryParseQuantity } = resourcesModule;

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
  const d: Draft = {
    spec: input ?? {},
    owned: { spec: false, domain: false, resources: false, memory: false, cpu: false },
  };
  const switches = admissionSwitches(options.version);
  if (!d.spec.architecture && options.defaultArchitecture) writableSpec(d).architecture = options.defaultArchitecture;
  setDefaultResourceRequests(d, options, switches.defaultsMemoryRequests);
  if (switches.defaultsGuestMemory) setGuestMemory(d);
  setDefaultGuestCpuTopology(d);
  return d.spec;
}

type ResourceList = Record<string, string | number>;
type Domain = NonNullable<VmiSpec["domain"]>;

/**
 * The spec being defaulted, copy-on-write: the input itself until a default writes; then each object on the
 * written path (spec, domain, resources, memory, cpu) is replaced by a shallow copy the first time. `owned`
 * says which of them are already copies (or new), so the input is never modified.
 */
interface Draft {
  spec: VmiSpec;
  readonly owned: Record<"spec" | "domain" | "resources" | "memory" | "cpu", boolean>;
}

/** A shallow copy of an object or list; anything else (not a valid manifest part) as it is. */
function ownCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  if (typeof value === "object" && value !== null) return { ...value };
  return value;
}

function writableSpec(d: Draft): VmiSpec {
  if (!d.owned.spec) {
    d.spec = ownCopy(d.spec);
    d.owned.spec = true;
  }
  return d.spec;
}

/** `spec.domain ??= {}` */
function ensureDomain(d: Draft): void {
  if (d.spec.domain == null) {
    writableSpec(d).domain = {};
    d.owned.domain = true;
  }
}

/** `spec.domain`, present, ready to be written into. */
function writableDomain(d: Draft): Domain {
  ensureDomain(d);
  const spec = writableSpec(d);
  if (!d.owned.domain) {
    spec.domain = ownCopy(spec.domain);
    d.owned.domain = true;
  }
  return spec.domain!;
}

/** `domain[key] ??= {}`, ready to be written into. */
function writableChild<K extends "resources" | "memory" | "cpu">(d: Draft, key: K): NonNullable<Domain[K]> {
  const domain = writableDomain(d);
  if (domain[key] == null) {
    domain[key] = {} as Domain[K];
    d.owned[key] = true;
  } else if (!d.owned[key]) {
    domain[key] = ownCopy(domain[key]);
    d.owned[key] = true;
  }
  return domain[key]!;
}

function isZero(spec: VmiSpec, kind: "requests" | "limits", name: "cpu" | "memory"): boolean {
  return resourceQuantity(spec, kind, name).mantissa === 0n;
}

function setRequest(d: Draft, name: "cpu" | "memory", value: string | number): void {
  const resources = writableChild(d, "resources") as { requests?: ResourceList; limits?: ResourceList };
  resources.requests = { ...(resources.requests ?? {}), [name]: value };
}

function setDefaultResourceRequests(
  d: Draft,
  options: TemplateDefaultsOptions,
  memoryDefaults: "overcommit" | "plain" | "none",
): void {
  if (!isZero(d.spec, "limits", "cpu") && isZero(d.spec, "requests", "cpu")) {
    setRequest(d, "cpu", resourceEntry(d.spec, "limits", "cpu")!);
  }
  if (memoryDefaults !== "none") {
    if (!isZero(d.spec, "limits", "memory") && isZero(d.spec, "requests", "memory")) {
      setRequest(d, "memory", resourceEntry(d.spec, "limits", "memory")!);
    }
    if (!hasResource(d.spec, "requests", "memory")) {
      const memorySpec = d.spec.domain?.memory;
      let memory: Quantity | undefined = memorySpec?.guest !== undefined ? parseQuantity(memorySpec.guest) : undefined;
      if (memory === undefined && memorySpec?.hugepages) memory = tryParseQuantity(memorySpec.hugepages.pageSize);
      if (memory !== undefined && quantityValue(memory) > 0n) {
        const overcommit = memoryDefaults === "overcommit" ? options.memoryOvercommit : 100;
        if (overcommit === 100 || overcommit <= 0) {
          setRequest(d, "memory", formatQuantity(memory));
        } else {
          const value = (quantityCeil(memory) * 100n) / BigInt(overcommit);
          setRequest(d, "memory", formatQuantity(quantityFromBigInt(value, memory.format)));
        }
      }
    }
  }
  const cpuRequest = options.cpuRequest;
  if (cpuRequest !== undefined && quantityMilli(parseQuantity(cpuRequest)) !== 100n) {
    if (!hasResource(d.spec, "requests", "cpu")) {
      if (d.spec.domain?.cpu?.dedicatedCpuPlacement) return;
      setRequest(d, "cpu", cpuRequest);
    }
  }
}

function setGuestMemory(d: Draft): void {
  ensureDomain(d);
  if (d.spec.domain!.memory?.guest !== undefined) return;
  const memory = writableChild(d, "memory");
  if (!isZero(d.spec, "requests", "memory")) {
    memory.guest = resourceEntry(d.spec, "requests", "memory")!;
  } else if (!isZero(d.spec, "limits", "memory")) {
    memory.guest = resourceEntry(d.spec, "limits", "memory")!;
  } else if (memory.hugepages) {
    const pageSize = tryParseQuantity(memory.hugepages.pageSize);
    if (pageSize) memory.guest = memory.hugepages.pageSize!;
  }
}

function setDefaultGuestCpuTopology(d: Draft): void {
  ensureDomain(d);
  const cpu = d.spec.domain!.cpu;
  if (cpu && ((cpu.cores ?? 0) !== 0 || (cpu.sockets ?? 0) !== 0 || (cpu.threads ?? 0) !== 0)) return;
  const spec = d.spec;
  let sockets = 1;
  // Go: uint32(quantity.Value()), keyed on presence, limits first
  if (hasResource(spec, "limits", "cpu")) sockets = toUint32(quantityCeil(resourceQuantity(spec, "limits", "cpu")));
  else if (hasResource(spec, "requests", "cpu"))
    sockets = toUint32(quantityCeil(resourceQuantity(spec, "requests", "cpu")));
  const written = writableChild(d, "cpu");
  written.sockets = sockets;
  written.cores = 1;
  written.threads = 1;
}

function toUint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}
