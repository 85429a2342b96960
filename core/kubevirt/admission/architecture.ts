import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import { child, invalid, required } from "./cause";

/**
 * validateThreadCountOnArchitecture (vmi-create-admitter.go, v1.1+; part of the dedicated-CPU block):
 * arm64 guests get at most one thread per core. An empty architecture means the cluster default.
 */
export function validateThreadCountOnArchitecture(
  prefix: string,
  spec: VmiSpec,
  defaultArchitecture: string,
): AdmissionCause[] {
  const arch = spec.architecture || defaultArchitecture;
  const threads = spec.domain?.cpu?.threads ?? 0;
  if (threads > 1 && arch === "arm64") {
    return [
      invalid(
        child(prefix, "architecture"),
        `threads must not be greater than 1 at ${child(prefix, "domain", "cpu", "threads")} (got ${threads}) when ${child(prefix, "architecture")} is arm64`,
      ),
    ];
  }
  return [];
}

/**
 * validateArchitecture (vmi-create-admitter.go, v1.0–v1.7; removed in v1.8.0): an architecture other than the one
 * virt-api runs on needs the MultiArchitecture gate. `gateName` is the word the message used:
 * "multi-architecture" up to v1.2, "MultiArchitecture" from v1.3.
 */
export function validateArchitectureGate(
  prefix: string,
  spec: VmiSpec,
  options: { readonly nativeArchitecture: string; readonly gateEnabled: boolean; readonly gateName: string },
): AdmissionCause[] {
  const arch = spec.architecture ?? "";
  if (arch !== "" && arch !== options.nativeArchitecture && !options.gateEnabled) {
    const field = child(prefix, "architecture");
    return [
      required(field, `${options.gateName} feature gate is not enabled in kubevirt-config, invalid entry ${field}`),
    ];
  }
  return [];
}
