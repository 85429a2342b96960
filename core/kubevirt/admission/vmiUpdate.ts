import type { AdmissionCause } from "../plan";
import { compareQuantities } from "../quantity";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { KubeVirtVersion } from "../version";
import { admissionSwitches } from "./admissionContext";
import { invalid, notSupported } from "./cause";
import { semanticEqual } from "./semanticEqual";

export interface VirtualMachineInstanceUpdateInput {
  readonly oldVmi: VirtualMachineInstance;
  readonly vmi: VirtualMachineInstance;
  readonly version: KubeVirtVersion;
  /** true when a KubeVirt service account (virt-controller) makes the update; default true */
  readonly byKubeVirtServiceAccount?: boolean;
}

/**
 * The spec part of the VMI update admitter (vmi-update-admitter.go): only KubeVirt's service accounts may change a
 * VMI spec, and even they may not change `cpu.maxSockets` (v1.0+) or, when both are set, `memory.maxGuest` (v1.1+):
 * the hotplug limits are fixed for the VMI's life. The causes carry no field, as KubeVirt's don't.
 * Volume hotplug checks are not modelled here.
 */
export function admitVirtualMachineInstanceUpdate(input: VirtualMachineInstanceUpdateInput): AdmissionCause[] {
  const { oldVmi, vmi } = input;
  if (semanticEqual(oldVmi.spec, vmi.spec)) return [];
  if (input.byKubeVirtServiceAccount === false) return [notSupported("", "update of VMI object is restricted")];
  if ((oldVmi.spec.domain?.cpu?.maxSockets ?? 0) !== (vmi.spec.domain?.cpu?.maxSockets ?? 0)) {
    return [invalid("", "CPU topology maxSockets changed")];
  }
  if (admissionSwitches(input.version).vmiMaxGuestImmutable) {
    const oldMax = oldVmi.spec.domain?.memory?.maxGuest;
    const newMax = vmi.spec.domain?.memory?.maxGuest;
    if (oldMax !== undefined && newMax !== undefined && compareQuantities(oldMax, newMax) !== 0) {
      return [invalid("", "Memory maxGuest changed")];
    }
  }
  return [];
}
