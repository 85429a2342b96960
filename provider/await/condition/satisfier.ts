import type { CacheEvent, KubeObject } from "../../kubernetes/watchCache";

/**
 * A condition awaited on a stream of watch events for one object, in the style of pulumi-kubernetes'
 * await/condition: it observes events and says whether it is satisfied, what it is waiting for, and
 * whether the events show a failure that waiting longer cannot fix. Conditions compose (all, any).
 */
export interface Satisfier {
  observe(event: CacheEvent): void;
  satisfied(): boolean;
  /** what is awaited and where it stands, for progress and timeout messages */
  describe(): string;
  /** a failure that waiting cannot fix (e.g. memory hotplug failed), or undefined */
  failure(): Error | undefined;
}

/** Tracks the last observed object (undefined once it is deleted). */
export interface ObjectTracker {
  observe(event: CacheEvent): void;
  readonly object: KubeObject | undefined;
  /** true once any event was seen */
  readonly seen: boolean;
}

export function trackObject(): ObjectTracker {
  let object: KubeObject | undefined;
  let seen = false;
  return {
    observe(event) {
      seen = true;
      object = event.type === "DELETED" ? undefined : event.object;
    },
    get object() {
      return object;
    },
    get seen() {
      return seen;
    },
  };
}

/** Reads a dotted path (with [n] indices) from a JSON object. */
export function valueAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[/^\d+$/.test(part) && Array.isArray(cur) ? Number(part) : part];
  }
  return cur;
}
