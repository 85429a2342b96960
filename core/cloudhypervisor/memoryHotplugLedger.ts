import type { VmConfig } from "./schema/vmConfig";

/**
 * What Cloud Hypervisor's MemoryManager remembers since the last boot and vm.info does not show: the RAM
 * the guest booted with, the RAM it has now (ACPI shrinks are stored in the config but do not happen), and
 * how many of the 8 ACPI DIMM slots the grows since boot used. A reboot (vm.reboot, or shutdown + boot)
 * starts a new ledger from the stored config.
 */
export interface MemoryHotplugLedger {
  /** RAM at the last boot (memory.size then), bytes */
  readonly bootSize: bigint;
  /** RAM the guest has now: bootSize plus every ACPI grow since boot, bytes */
  readonly currentSize: bigint;
  /** ACPI DIMM slots used since boot (one per grow) */
  readonly acpiSlotsUsed: number;
}

/** The ledger of a VM that has just booted with `config`. */
export function ledgerAtBoot(config: VmConfig | undefined): MemoryHotplugLedger {
  const size = config?.memory?.size ?? DEFAULT_MEMORY_SIZE;
  return { bootSize: size, currentSize: size, acpiSlotsUsed: 0 };
}

/** Cloud Hypervisor's default guest RAM when `memory` is left out: 512 MiB. */
export const DEFAULT_MEMORY_SIZE = 512n << 20n;

/** The ledger after a successful vm.resize with `desired_ram` on a running VM using the ACPI method. */
export function ledgerAfterAcpiResize(ledger: MemoryHotplugLedger, desiredRam: bigint): MemoryHotplugLedger {
  if (desiredRam <= ledger.currentSize) return ledger; // MemoryManager::resize ignores it until the next boot
  return { ...ledger, currentSize: desiredRam, acpiSlotsUsed: ledger.acpiSlotsUsed + 1 };
}
