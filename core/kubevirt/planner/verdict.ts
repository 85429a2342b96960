import type { Outcome } from "../plan";
import type { MigrationKind } from "./completion";

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
