import type { AdmissionCause } from "../plan";
import type { VirtualMachine } from "../schema/virtualMachine";
import { notSupported } from "./cause";

/**
 * The instance-type admission rules that concern live updates (vms-admitter.go). The instance type's own
 * contents are not checked here: KubeVirt expands it from the cluster, which a plan does not have.
 */

/**
 * v1.0: `liveUpdateFeatures.cpu` with an instance type; v1.1: any `liveUpdateFeatures` with an instance type.
 * Pass the predicate that version applies.
 */
export function validateLiveUpdateFeaturesWithInstancetype(vm: VirtualMachine): AdmissionCause[] {
  if (vm.spec.instancetype === undefined) return [];
  return [
    notSupported("spec.liveUpdateFeatures", "Live update features cannot be used when instance type is configured"),
  ];
}

/** v1.2.0 under LiveUpdate: instance types are rejected outright (allowed again in v1.2.1). */
export function validateInstancetypeUnderLiveUpdate(vm: VirtualMachine): AdmissionCause[] {
  if (vm.spec.instancetype === undefined) return [];
  return [notSupported("spec.instancetype", "Cannot configure instance type when the vmRolloutStrategy is LiveUpdate")];
}
