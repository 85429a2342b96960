import { trackObject, type Satisfier } from "./satisfier";

export interface KubeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export function conditionsOf(obj: unknown): readonly KubeCondition[] {
  const list = (obj as { status?: { conditions?: unknown } } | undefined)?.status?.conditions;
  return Array.isArray(list) ? (list as KubeCondition[]) : [];
}

export function findCondition(obj: unknown, type: string): KubeCondition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/**
 * Satisfied when the object's status condition `type` has status `want`; `"absent"` means the
 * condition is not there at all (how KubeVirt signals a finished hotplug: HotVCPUChange removed).
 */
export function conditionStatus(type: string, want: "True" | "False" | "absent"): Satisfier {
  const tracker = trackObject();
  return {
    observe: (event) => tracker.observe(event),
    satisfied: () => {
      if (tracker.object === undefined) return false;
      const c = findCondition(tracker.object, type);
      return want === "absent" ? c === undefined : c?.status === want;
    },
    describe: () => {
      const c = tracker.object === undefined ? undefined : findCondition(tracker.object, type);
      const now = c ? `${c.status}${c.message ? ` (${c.message})` : ""}` : "absent";
      return `condition ${type} is ${now} (want ${want})`;
    },
    failure: () => undefined,
  };
}
