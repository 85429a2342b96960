import type { AdmissionCause } from "../plan";
import { formatQuantity } from "../quantity";
import type { VmiSpec } from "../schema/common";
import { child, invalid } from "./cause";
import { quantityValue, resourceString, resourceValue } from "./resources";

/**
 * validateGuestMemoryLimit (vmi-create-admitter.go): memory.guest must not exceed limits.memory (when set).
 * Skipped when the rollout strategy is LiveUpdate from v1.2.1 on (`skippedUnderLiveUpdate && liveUpdate`):
 * memory hotplug raises the limits itself.
 */
export function validateGuestMemoryLimit(
  prefix: string,
  spec: VmiSpec,
  options: { readonly liveUpdate: boolean; readonly skippedUnderLiveUpdate: boolean },
): AdmissionCause[] {
  if (options.skippedUnderLiveUpdate && options.liveUpdate) return [];
  const guest = spec.domain?.memory?.guest;
  if (guest === undefined) return [];
  const limits = resourceValue(spec, "limits", "memory");
  if (limits < quantityValue(guest) && limits !== 0n) {
    const guestField = child(prefix, "domain", "memory", "guest");
    const limitsField = child(prefix, "domain", "resources", "limits", "memory");
    return [
      invalid(
        guestField,
        `${guestField} '${formatQuantity(guest)}' must be equal to or less than the memory limit ${limitsField} '${resourceString(spec, "limits", "memory")}'`,
      ),
    ];
  }
  return [];
}
