/**
 * What a VM can grow to while running, as the guest sees it: the vCPU slots the hypervisor
 * advertises (KubeVirt maxSockets × cores × threads, Cloud Hypervisor `cpus.max_vcpus`, QEMU
 * `maxcpus`) and the memory ceiling (KubeVirt maxGuest, Cloud Hypervisor size + hotplug_size).
 */

export type MemoryHotplugMethod = "none" | "acpi" | "virtio-mem";

export const MEMORY_HOTPLUG_METHODS: readonly MemoryHotplugMethod[] = ["none", "acpi", "virtio-mem"];

export interface GuestHotplugLimits {
  /** vCPUs the guest may ever have (at least the boot count) */
  readonly maxVcpus: number;
  /** bytes of memory the guest may ever have; absent when memory cannot be hot-plugged */
  readonly maxMemoryBytes?: bigint;
  /** how memory is added: ACPI DIMMs (QEMU pc-dimm, Cloud Hypervisor `hotplug_method=acpi`) or virtio-mem (KubeVirt, CH) */
  readonly memoryHotplug: MemoryHotplugMethod;
}

export class HotplugLimitsError extends Error {
  constructor(
    readonly field: string,
    readonly why: string,
  ) {
    super(`invalid guest hotplug limits: ${field}: ${why}`);
    this.name = "HotplugLimitsError";
  }
}

/** Throws HotplugLimitsError naming the field when the limits make no sense. */
export function validateHotplugLimits(limits: GuestHotplugLimits): GuestHotplugLimits {
  if (!Number.isSafeInteger(limits.maxVcpus) || limits.maxVcpus < 1) {
    throw new HotplugLimitsError("maxVcpus", `expected a whole number >= 1, got ${String(limits.maxVcpus)}`);
  }
  if (!MEMORY_HOTPLUG_METHODS.includes(limits.memoryHotplug)) {
    throw new HotplugLimitsError(
      "memoryHotplug",
      `expected one of ${MEMORY_HOTPLUG_METHODS.join(", ")}, got ${JSON.stringify(limits.memoryHotplug)}`,
    );
  }
  if (limits.maxMemoryBytes !== undefined) {
    if (typeof limits.maxMemoryBytes !== "bigint" || limits.maxMemoryBytes <= 0n) {
      throw new HotplugLimitsError(
        "maxMemoryBytes",
        `expected a positive bigint, got ${String(limits.maxMemoryBytes)}`,
      );
    }
  }
  return limits;
}

export function memoryHotplugEnabled(limits: GuestHotplugLimits): boolean {
  return limits.memoryHotplug !== "none";
}
