import { trackObject, type Satisfier } from "./satisfier";
import type { KubeObject } from "../../kubernetes/watchCache";

/**
 * Always satisfied: it only turns an observed state into a failure (combine with all()), e.g. the
 * VMI's HotMemoryChange condition turning False ("memory hotplug failed").
 */
export function failWhen(test: (obj: KubeObject) => string | undefined): Satisfier {
  const tracker = trackObject();
  let failure: Error | undefined;
  return {
    observe: (event) => {
      tracker.observe(event);
      if (!failure && tracker.object) {
        const message = test(tracker.object);
        if (message) failure = new Error(message);
      }
    },
    satisfied: () => true,
    describe: () => "no failure",
    failure: () => failure,
  };
}
