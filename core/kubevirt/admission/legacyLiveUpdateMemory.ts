import type { AdmissionCause } from "../plan";
import { compareQuantities, Mi, parseQuantity, quantityCeil } from "../quantity";
import type { VmiSpec } from "../schema/common";
import { invalid } from "./cause";
import { hasResource } from "./resources";

/** converter.MemoryHotplugBlockAlignmentBytes, printed by KubeVirt as a BinarySI quantity */
const ALIGNMENT = 2n * Mi;
const ALIGNMENT_TEXT = "2Mi";

export interface LegacyLiveUpdateMemoryOptions {
  /** the maxGuest the rules compare with: v1.1 `liveUpdateFeatures.memory.maxGuest`, v1.2 the template's */
  readonly maxGuest: string | number;
  /** v1.1 and v1.2.0: `limits.memory` set is rejected; the field this cause carries */
  readonly memoryLimitsField?: string;
  /** the field of the "MaxGuest must be 2Mi aligned" cause: v1.1 `spec.liveUpdateFeatures.MaxGuest` (sic) */
  readonly maxGuestField: string;
}

/**
 * The memory-hotplug admission rules of v1.1 (`liveUpdateFeatures.memory`) and v1.2.x (explicit template maxGuest
 * under LiveUpdate), vms-admitter.go `validateLiveUpdateFeatures` / `validateLiveUpdateMemory`. Unlike the v1.3+
 * validator they report every failing rule, each with its own field. `spec` is the defaulted template spec.
 */
export function validateLegacyLiveUpdateMemory(
  spec: VmiSpec,
  options: LegacyLiveUpdateMemoryOptions,
): AdmissionCause[] {
  const p = "spec.template.spec";
  const domain = spec.domain;
  const cpu = domain?.cpu;
  const memory = domain?.memory;
  const causes: AdmissionCause[] = [];
  if (options.memoryLimitsField !== undefined && hasResource(spec, "limits", "memory")) {
    causes.push(
      invalid(
        options.memoryLimitsField,
        "Configuration of Memory limits is not allowed when Memory live update is enabled",
      ),
    );
  }
  if (cpu?.realtime) {
    causes.push(invalid(`${p}.domain.cpu.realtime`, "Memory hotplug is not compatible with realtime VMs"));
  }
  if (cpu?.numa?.guestMappingPassthrough) {
    causes.push(
      invalid(
        `${p}.domain.cpu.numa.guestMappingPassthrough`,
        "Memory hotplug is not compatible with guest mapping passthrough",
      ),
    );
  }
  if (domain?.launchSecurity) {
    causes.push(invalid(`${p}.domain.launchSecurity`, "Memory hotplug is not compatible with encrypted VMs"));
  }
  if (cpu?.dedicatedCpuPlacement) {
    causes.push(
      invalid(`${p}.domain.cpu.dedicatedCpuPlacement`, "Memory hotplug is not compatible with dedicated CPUs"),
    );
  }
  if (memory?.hugepages) {
    causes.push(invalid(`${p}.domain.memory.hugepages`, "Memory hotplug is not compatible with hugepages"));
  }
  const guestField = `${p}.domain.memory.guest`;
  if (memory?.guest === undefined) {
    causes.push(invalid(guestField, "Guest memory must be configured when memory hotplug is enabled"));
  } else if (compareQuantities(memory.guest, options.maxGuest) > 0) {
    causes.push(invalid(guestField, "Guest memory is greater than the configured maxGuest memory"));
  } else if (quantityCeil(parseQuantity(memory.guest)) % ALIGNMENT !== 0n) {
    causes.push(invalid(guestField, `Guest memory must be ${ALIGNMENT_TEXT} aligned`));
  }
  if (quantityCeil(parseQuantity(options.maxGuest)) % ALIGNMENT !== 0n) {
    causes.push(invalid(options.maxGuestField, `MaxGuest must be ${ALIGNMENT_TEXT} aligned`));
  }
  if (spec.architecture !== "amd64") {
    causes.push(invalid(`${p}.architecture`, "Memory hotplug is only available for x86_64 VMs"));
  }
  return causes;
}
