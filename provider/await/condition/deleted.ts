import type { Satisfier } from "./satisfier";

/**
 * Satisfied once the object is gone: a DELETED event (awaitObject sends one when the synced cache has
 * no such object to begin with).
 */
export function deleted(what: string): Satisfier {
  let gone = false;
  return {
    observe: (event) => {
      gone = event.type === "DELETED";
    },
    satisfied: () => gone,
    describe: () => (gone ? `${what} is gone` : `${what} still exists`),
    failure: () => undefined,
  };
}
