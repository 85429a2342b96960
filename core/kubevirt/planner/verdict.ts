import type { Outcome } from "../plan";
import type { MigrationKind } from "./completion";
import type { FieldGroup } from "./fieldGroups";

/** What one controller step decides for a field group. */
export interface Verdict {
  readonly outcome: Outcome;
  /** plain words, quoting KubeVirt's message */
  readonly reason: string;
  /** a live VMI patch that only takes effect through a migration (CPU/memory hotplug, volume migration) */
  readonly needsMigration?: MigrationKind;
  /** a transient condition: KubeVirt returns an error, records a Failure condition and retries */
  readonly retry?: string;
}

export const RR_TEMPLATE = "a non-live-updatable field was changed in the template spec";

export function restartRequired(message: string, extra = ""): Verdict {
  return { outcome: "restart", reason: `RestartRequired: "${message}"${extra ? ` (${extra})` : ""}` };
}

/** A change's verdict plus what the planner needs to order the steps. */
export interface GroupResult extends Verdict {
  /** a live-capable change held back only because something non-live changed in the same update */
  readonly blockedByGate?: boolean;
}

/** The VM's Failure condition for a handler's transient error (vm.go `sync`, rules §5.2). */
export function failureCondition(group: FieldGroup | undefined, error: string): string {
  const [prefix, reason] =
    group === "cpuSockets"
      ? ["Error encountered while handling CPU change request", "HotPlugCPUError"]
      : group === "memoryGuest"
        ? ["error encountered while handling memory hotplug requests", "HotPlugMemoryError"]
        : group === "tolerations"
          ? ["Error encountered while handling tolerations change request", "TolerationsChangeError"]
          : group === "nodeSelector" || group === "affinity"
            ? ["Error encountered while handling node affinity change request", "AffinityChangeError"]
            : ["Error encountered while handling the change", "SyncError"];
  return `the VM gets the condition Failure (reason ${reason}): "${prefix}: ${error}"`;
}
