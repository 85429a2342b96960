import { findCondition } from "./conditionStatus";
import { trackObject, type Satisfier } from "./satisfier";

/**
 * Satisfied when a VirtualMachineInstance runs: phase Running and its Ready condition True. A VMI
 * that reached phase Failed (or Succeeded, for a run-once VM) fails the wait.
 */
export function ready(what: string): Satisfier {
  const tracker = trackObject();
  const phase = (): string | undefined => (tracker.object?.["status"] as { phase?: string } | undefined)?.phase;
  return {
    observe: (event) => tracker.observe(event),
    satisfied: () => phase() === "Running" && findCondition(tracker.object, "Ready")?.status === "True",
    describe: () => {
      if (!tracker.object) return `${what} does not exist yet`;
      const r = findCondition(tracker.object, "Ready");
      return `${what} is ${phase() ?? "Pending"}${r ? `, Ready ${r.status}${r.message ? ` (${r.message})` : ""}` : ""}`;
    },
    failure: () =>
      phase() === "Failed"
        ? new Error(`${what} failed: ${findCondition(tracker.object, "Ready")?.message ?? "phase Failed"}`)
        : undefined,
  };
}
