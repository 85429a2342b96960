import type { Satisfier } from "./satisfier";

/** Satisfied when every condition is; fails as soon as one fails. */
export function all(...conditions: Satisfier[]): Satisfier {
  return {
    observe: (event) => conditions.forEach((c) => c.observe(event)),
    satisfied: () => conditions.every((c) => c.satisfied()),
    describe: () => {
      const pending = conditions.filter((c) => !c.satisfied());
      return (pending.length ? pending : conditions).map((c) => c.describe()).join("; ");
    },
    failure: () => conditions.map((c) => c.failure()).find((f) => f !== undefined),
  };
}
