import type { Satisfier } from "./satisfier";

/** Satisfied when at least one condition is; fails only when every one has failed. */
export function any(...conditions: Satisfier[]): Satisfier {
  return {
    observe: (event) => conditions.forEach((c) => c.observe(event)),
    satisfied: () => conditions.some((c) => c.satisfied()),
    describe: () => conditions.map((c) => c.describe()).join(" or "),
    failure: () => {
      const failures = conditions.map((c) => c.failure());
      if (failures.length === 0 || failures.some((f) => f === undefined)) return undefined;
      return new Error(failures.map((f) => f!.message).join("; "));
    },
  };
}
