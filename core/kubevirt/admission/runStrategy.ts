import type { AdmissionCause } from "../plan";
import type { VirtualMachine } from "../schema/virtualMachine";
import { atLeast, type KubeVirtVersion } from "../version";
import { invalid } from "./cause";

/** vms-admitter.go `validRunStrategies` (every tag v1.0.0–v1.9.0); WaitAsReceiver is handled on its own (v1.6+). */
const VALID_RUN_STRATEGIES: readonly string[] = ["Halted", "Manual", "Always", "RerunOnFailure", "Once"];

/**
 * vms-admitter.go `validateRunStrategy`, called from ValidateVirtualMachineSpec after the template rules:
 * `running` together with `runStrategy` (field spec.running), neither of them (field spec.running; the message
 * is "One of Running or RunStrategy must be specified" in v1.0–v1.3, "RunStrategy must be specified" from
 * v1.4), and a runStrategy outside validRunStrategies (field spec.runStrategy, "Invalid RunStrategy (<value>)").
 * v1.6+: WaitAsReceiver is allowed only with the DecentralizedLiveMigration gate (and then ends the checks).
 */
export function validateRunStrategy(
  vm: VirtualMachine,
  version: KubeVirtVersion,
  isFeatureGateEnabled: (name: string) => boolean,
): AdmissionCause[] {
  const running = vm.spec.running as boolean | null | undefined;
  const strategy = vm.spec.runStrategy as string | null | undefined;
  const causes: AdmissionCause[] = [];
  if (running != null && strategy != null) {
    causes.push(
      invalid(
        "spec.running",
        "Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead",
      ),
    );
  }
  if (running == null && strategy == null) {
    causes.push(
      invalid(
        "spec.running",
        atLeast(version, 4) ? "RunStrategy must be specified" : "One of Running or RunStrategy must be specified",
      ),
    );
  }
  if (strategy != null) {
    if (strategy === "WaitAsReceiver" && atLeast(version, 6)) {
      if (!isFeatureGateEnabled("DecentralizedLiveMigration")) {
        causes.push(
          invalid(
            "spec.runStrategy",
            "Invalid RunStrategy (WaitAsReceiver), DecentralizedLiveMigration feature gate is not enabled in kubevirt resource",
          ),
        );
      }
    } else if (!VALID_RUN_STRATEGIES.includes(strategy)) {
      causes.push(invalid("spec.runStrategy", `Invalid RunStrategy (${strategy})`));
    }
  }
  return causes;
}
