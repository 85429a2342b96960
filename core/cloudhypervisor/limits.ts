import { MiB } from "./size";

/**
 * Cloud Hypervisor's hotplug limits (vmm/src/memory_manager.rs, virtio-devices/src/mem.rs, vmm/src/config.rs).
 */

/** An ACPI-hotplugged DIMM must be a multiple of 128 MiB ("The requested hotplug memory addition is not a valid size"). */
export const ACPI_HOTPLUG_STEP = 128n * MiB;

/** ACPI DIMM slots per boot (HOTPLUG_COUNT): each live ACPI grow takes one; a ninth grow fails with NoSlotAvailable. */
export const ACPI_HOTPLUG_SLOTS = 8;

/** virtio-mem block size: the plugged amount moves in 2 MiB steps. */
export const VIRTIO_MEM_BLOCK_SIZE = 2n * MiB;

/** The hotplug area (ACPI and virtio-mem) starts on a 128 MiB boundary. */
export const HOTPLUG_REGION_ALIGNMENT = 128n * MiB;

/** x86_64 guest memory layout: RAM below 3 GiB, then a hole up to 4 GiB (arch/src/x86_64/layout.rs). */
export const MEM_32BIT_RESERVED_START = 3n * 1024n * MiB;
export const RAM_64BIT_START = 4n * 1024n * MiB;

export type Architecture = "x86_64" | "aarch64" | "riscv64";

/** MAX_SUPPORTED_CPUS: 8192 for x86_64 KVM builds, 255 otherwise (other architectures, MSHV-only builds). */
export function maxSupportedVcpus(arch: Architecture): number {
  return arch === "x86_64" ? 8192 : 255;
}

/** vCPU hot-plug is documented and tested on x86_64 only (docs/hotplug.md, test_cpu_hotplug). */
export function supportsLiveVcpuResize(arch: Architecture): boolean {
  return arch === "x86_64";
}
