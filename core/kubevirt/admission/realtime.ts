import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import { child, required } from "./cause";

/**
 * validateRealtime (vmi-create-admitter.go): `cpu.realtime` needs dedicatedCpuPlacement and NUMA guest mapping
 * passthrough. Both causes are FieldValueRequired.
 */
export function validateRealtime(prefix: string, spec: VmiSpec): AdmissionCause[] {
  const cpu = spec.domain?.cpu;
  if (!cpu?.realtime) return [];
  const realtime = child(prefix, "domain", "cpu", "realtime");
  const causes: AdmissionCause[] = [];
  if (!cpu.dedicatedCpuPlacement) {
    const field = child(prefix, "domain", "cpu", "dedicatedCpuPlacement");
    causes.push(required(field, `${field} must be set to true when ${realtime} is used`));
  }
  if (!cpu.numa?.guestMappingPassthrough) {
    const field = child(prefix, "domain", "cpu", "numa", "guestMappingPassthrough");
    causes.push(required(field, `${field} must be defined when ${realtime} is used`));
  }
  return causes;
}
