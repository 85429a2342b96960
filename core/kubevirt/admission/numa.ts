import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import { child, invalid } from "./cause";

/**
 * validateNUMA (vmi-create-admitter.go): `cpu.numa.guestMappingPassthrough` needs the NUMA gate (until it went GA
 * in v1.4.0: pass `gateEnabled: true` from then on), dedicatedCpuPlacement and hugepages. All three causes
 * carry the guestMappingPassthrough field.
 */
export function validateNuma(
  prefix: string,
  spec: VmiSpec,
  options: { readonly gateEnabled: boolean },
): AdmissionCause[] {
  const cpu = spec.domain?.cpu;
  if (!cpu?.numa?.guestMappingPassthrough) return [];
  const passthrough = child(prefix, "domain", "cpu", "numa", "guestMappingPassthrough");
  const causes: AdmissionCause[] = [];
  if (!options.gateEnabled) {
    causes.push(
      invalid(passthrough, `NUMA feature gate is not enabled in kubevirt-config, invalid entry ${passthrough}`),
    );
  }
  if (!cpu.dedicatedCpuPlacement) {
    causes.push(
      invalid(
        passthrough,
        `${child(prefix, "domain", "cpu", "dedicatedCpuPlacement")} must be set to true when NUMA topology strategy is set in ${passthrough}`,
      ),
    );
  }
  if (!spec.domain?.memory?.hugepages) {
    causes.push(
      invalid(
        passthrough,
        `${child(prefix, "domain", "memory", "hugepages")} must be requested when NUMA topology strategy is set in ${passthrough}`,
      ),
    );
  }
  return causes;
}
