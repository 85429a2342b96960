/**
 * ZONE_MOVABLE sizing. Memory onlined as `online_movable` can be removed again, but the kernel
 * cannot put its own allocations (page tables, the memmap of the added memory, ...) there: they all
 * land in the boot memory (ZONE_NORMAL). The kernel's memory-hotplug guide calls a MOVABLE:KERNEL
 * ratio of up to 3:1 fine, and its `auto-movable` online policy defaults to at most 301 %
 * (`memory_hotplug.auto_movable_ratio`). A VM that can grow far beyond its boot memory, with all of
 * the growth movable, can run out of kernel memory (OOM) while plenty of memory is free.
 */

import { type Finding } from "./finding";

/** The kernel's default `memory_hotplug.auto_movable_ratio`, in percent. */
export const AUTO_MOVABLE_RATIO_PERCENT = 301n;

function gib(bytes: bigint): string {
  const tenths = (bytes * 10n) / (1n << 30n);
  return `${tenths / 10n}${tenths % 10n === 0n ? "" : `.${tenths % 10n}`} GiB`;
}

/** Checks the largest MOVABLE:NORMAL ratio the VM can reach when all hot-plugged memory is movable. */
export function checkMovableMemoryRatio(bootMemoryBytes: bigint, maxMemoryBytes: bigint): Finding {
  const subject = "movable memory ratio";
  if (bootMemoryBytes <= 0n)
    throw new Error(`checkMovableMemoryRatio: boot memory must be positive, got ${bootMemoryBytes}`);
  const movable = maxMemoryBytes > bootMemoryBytes ? maxMemoryBytes - bootMemoryBytes : 0n;
  const percent = (movable * 100n) / bootMemoryBytes;
  const ratio = `${(movable * 10n) / bootMemoryBytes / 10n}.${((movable * 10n) / bootMemoryBytes) % 10n}:1`;
  if (percent > AUTO_MOVABLE_RATIO_PERCENT) {
    return {
      severity: "warning",
      code: "movable-ratio-high",
      subject,
      message: `growing from ${gib(bootMemoryBytes)} at boot to ${gib(maxMemoryBytes)} puts ${gib(movable)} in ZONE_MOVABLE, a MOVABLE:NORMAL ratio of ${ratio} above the kernel's 3:1 guidance: kernel allocations for the added memory all land in the boot memory, which can run out (OOM) while memory is free`,
      fix: `boot with more memory, or keep the maximum at most ${gib(bootMemoryBytes * 4n)} (4 × boot, KubeVirt's default ratio)`,
    };
  }
  return {
    severity: "ok",
    code: "movable-ratio-ok",
    subject,
    message: `at most ${gib(movable)} movable for ${gib(bootMemoryBytes)} at boot (${ratio}, within the kernel's 3:1 guidance)`,
  };
}
