import * as quantityModule from "./quantity";
import type { QuantityInput, VmiSpec } from "./schema/common";
import type { KubeVirtVersion } from "./version";
import * as versionProfileModule from "./versionProfile";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { compareQuantities, Gi, Mi, quantityCeil } = quantityModule;
const { versionProfile } = versionProfileModule;

/** HotplugBlockAlignmentBytes (2Mi) and Hotplug1GHugePagesBlockAlignmentBytes (1Gi), pkg/liveupdate/memory. */
export const HOTPLUG_BLOCK_ALIGNMENT = 2n * Mi;
export const HOTPLUG_1G_HUGEPAGES_ALIGNMENT = Gi;
/** requiredMinGuestMemory (v1.4+) */
export const MIN_HOTPLUG_GUEST_MEMORY = Gi;

export const MEMORY_HOTPLUG_UNAVAILABLE_V1_0 =
  "Memory hotplug is not available in KubeVirt v1.0 (it was added in v1.1)";

/**
 * `memory.ValidateLiveUpdateMemory` (pkg/liveupdate/memory/memory.go, v1.3+) and its predecessors
 * (v1.2 `vms-admitter.go:validateLiveUpdateMemory`, v1.1 `validateLiveUpdateFeatures` on liveUpdateFeatures.memory).
 * Returns the first failing check's message, verbatim, or undefined when memory hotplug is possible.
 *
 * `spec` is a VMI spec or a VM template spec (instance type applied). `maxGuest` is the candidate maximum
 * (explicit or computed). An absent `spec.architecture` means the cluster default (the VM mutator writes it,
 * rules §9); `defaultArchitecture` defaults to amd64.
 *
 * Version differences (rules §2.3):
 * - v1.1.x and v1.2.0 first reject memory limits; v1.1–v1.2 also reject dedicated CPUs and any hugepages.
 * - v1.3+: 1Gi alignment with 1Gi hugepages; "Max guest memory must be configured" when maxGuest is nil
 *   (v1.1/v1.2 only validated an explicit maxGuest; this function reports the same message for them).
 * - arm64 accepted in v1.3.0–v1.5.2 and v1.6.0 ("x86_64 and arm64 VMs"); amd64 only otherwise.
 * - v1.3.1+: guest below 1Gi is refused (commit 8c186d548c).
 */
export function validateLiveUpdateMemory(
  spec: VmiSpec,
  maxGuest: QuantityInput | undefined,
  version: KubeVirtVersion,
  defaultArchitecture?: string,
): string | undefined {
  const profile = versionProfile(version);
  if (!profile.memoryHotplug) return MEMORY_HOTPLUG_UNAVAILABLE_V1_0;
  const domain = spec.domain ?? {};
  const cpu = domain.cpu;
  const memory = domain.memory;
  const architecture = spec.architecture || defaultArchitecture || "amd64";

  if (profile.memoryRejectsLimits && domain.resources?.limits?.memory !== undefined) {
    return "Configuration of Memory limits is not allowed when Memory live update is enabled";
  }
  if (cpu?.realtime != null) return "Memory hotplug is not compatible with realtime VMs";
  if (cpu?.numa?.guestMappingPassthrough != null) {
    return "Memory hotplug is not compatible with guest mapping passthrough";
  }
  if (domain.launchSecurity != null) return "Memory hotplug is not compatible with encrypted VMs";
  if (profile.memoryRejectsDedicatedCpus && cpu?.dedicatedCpuPlacement === true) {
    return "Memory hotplug is not compatible with dedicated CPUs";
  }
  if (profile.memoryRejectsHugepages && memory?.hugepages != null) {
    return "Memory hotplug is not compatible with hugepages";
  }

  const oneGiPages = !profile.memoryRejectsHugepages && memory?.hugepages?.pageSize === "1Gi";
  const alignment = oneGiPages ? HOTPLUG_1G_HUGEPAGES_ALIGNMENT : HOTPLUG_BLOCK_ALIGNMENT;
  const alignmentText = oneGiPages ? "1Gi" : "2Mi";

  const guest = memory?.guest;
  if (guest === undefined || guest === null) {
    return "Guest memory must be configured when memory hotplug is enabled";
  }
  if (maxGuest === undefined || maxGuest === null) {
    return "Max guest memory must be configured when memory hotplug is enabled";
  }
  if (compareQuantities(guest, maxGuest) > 0) return "Guest memory is greater than the configured maxGuest memory";
  if (quantityCeil(guest) % alignment !== 0n) return `Guest memory must be ${alignmentText} aligned`;
  if (quantityCeil(maxGuest) % alignment !== 0n) return `MaxGuest must be ${alignmentText} aligned`;

  if (!profile.memoryArchitectures.includes(architecture)) {
    return profile.memoryArchitectures.includes("arm64")
      ? "Memory hotplug is only available for x86_64 and arm64 VMs"
      : "Memory hotplug is only available for x86_64 VMs";
  }
  if (profile.memoryMinimum1Gi && quantityCeil(guest) < MIN_HOTPLUG_GUEST_MEMORY) {
    return "Memory hotplug is only available for VMs with at least 1Gi of guest memory";
  }
  return undefined;
}
