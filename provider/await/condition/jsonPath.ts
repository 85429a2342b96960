import { trackObject, valueAt, type Satisfier } from "./satisfier";

/**
 * Satisfied when the value at a dotted path of the object passes `test`, e.g.
 * jsonPath("status.currentCPUTopology.sockets", (v) => v === 5, "5 sockets").
 */
export function jsonPath(path: string, test: (value: unknown) => boolean, want: string): Satisfier {
  const tracker = trackObject();
  return {
    observe: (event) => tracker.observe(event),
    satisfied: () => tracker.object !== undefined && test(valueAt(tracker.object, path)),
    describe: () => {
      const now =
        tracker.object === undefined ? "no object yet" : JSON.stringify(valueAt(tracker.object, path) ?? null);
      return `${path} is ${now} (want ${want})`;
    },
    failure: () => undefined,
  };
}
