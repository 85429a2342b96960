import type { VmiSpec } from "../schema/common";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import { semanticEqual } from "./semanticEqual";
import type { Verdict } from "./verdict";
import { isMigrating } from "./vmiState";

/**
 * `handleAffinityChangeRequest` (nodeSelector, affinity) and `handleTolerationsChangeRequest` (v1.4+),
 * rules §1.5: a differing VM template is JSON-patched into the VMI; no migration, the pod is unchanged and
 * the new placement applies to the next migration or restart.
 */
export function placementHandler(
  field: "nodeSelector" | "affinity" | "tolerations",
  desired: VmiSpec,
  vmi: VirtualMachineInstance,
): Verdict {
  if (semanticEqual(desired[field], vmi.spec[field], field)) {
    return { outcome: "none", reason: `the running VMI already has this ${field}` };
  }
  const retry = isMigrating(vmi)
    ? field === "tolerations"
      ? "tolerations should not be changed during VMI migration"
      : "Node affinity should not be changed during VMI migration"
    : undefined;
  return {
    outcome: "live",
    reason: `the VM controller patches the VMI's spec.${field}; no migration is triggered and the running pod is unchanged: the new ${field} governs the next migration or restart`,
    ...(retry ? { retry } : {}),
  };
}
