import type { Outcome } from "../../core/kubevirt/plan";
import { EXIT } from "../run";
import type { FailOn } from "./planArguments";

/**
 * The exit code for the worst outcome: 4 when something would be rejected, 3 when a restart is needed
 * or a change would get stuck, else 0. --fail-on rejected ignores restarts; --fail-on never always gives 0.
 */
export function exitCodeFor(worst: Outcome, failOn: FailOn): number {
  if (failOn === "never") return EXIT.ok;
  if (worst === "rejected") return EXIT.rejected;
  if (failOn === "restart" && (worst === "restart" || worst === "stuck")) return EXIT.restart;
  return EXIT.ok;
}
