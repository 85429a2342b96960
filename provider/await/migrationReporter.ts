import type { CacheEvent, KubeObject } from "../kubernetes/watchCache";

/**
 * Follows the workload-update migrations KubeVirt creates for a VMI (kubevirt-workload-update-*,
 * label kubevirt.io/vmi-name) and reports each phase change once: a failed migration is not the end,
 * KubeVirt's workload updater retries it (with back-off since v1.4), so it is reported as a warning.
 */

export interface MigrationReport {
  readonly severity: "info" | "warning";
  readonly message: string;
}

export interface MigrationReporter {
  observe(event: CacheEvent): void;
  readonly failed: number;
  readonly succeeded: number;
  /** the latest migration's name and phase, for progress lines */
  readonly latest: string | undefined;
}

function migrationFailure(obj: KubeObject): string {
  const status = obj["status"] as
    | {
        migrationState?: { failureReason?: string };
        conditions?: { type?: string; message?: string; reason?: string }[];
      }
    | undefined;
  const reason =
    status?.migrationState?.failureReason ??
    status?.conditions?.find((c) => c.message)?.message ??
    status?.conditions?.find((c) => c.reason)?.reason;
  return reason ? `: ${reason}` : "";
}

export function createMigrationReporter(vmiName: string, report: (r: MigrationReport) => void): MigrationReporter {
  const phases = new Map<string, string>();
  let failed = 0;
  let succeeded = 0;
  let latest: string | undefined;
  return {
    observe(event) {
      const obj = event.object;
      const name = obj.metadata?.name ?? "";
      const phase = (obj["status"] as { phase?: string } | undefined)?.phase ?? "Pending";
      if (event.type === "DELETED") {
        if (phases.get(name) !== "Succeeded" && phases.get(name) !== "Failed")
          report({
            severity: "info",
            message: `migration ${name} of ${vmiName} was deleted (${phases.get(name) ?? phase})`,
          });
        phases.delete(name);
        return;
      }
      if (phases.get(name) === phase) return;
      const first = !phases.has(name);
      phases.set(name, phase);
      latest = `${name} ${phase}`;
      if (phase === "Failed") {
        failed++;
        report({
          severity: "warning",
          message: `migration ${name} of ${vmiName} failed${migrationFailure(obj)}; KubeVirt's workload updater retries it (after a back-off that doubles per failure)`,
        });
      } else if (phase === "Succeeded") {
        succeeded++;
        report({ severity: "info", message: `migration ${name} of ${vmiName} succeeded` });
      } else if (first) {
        report({ severity: "info", message: `KubeVirt started migration ${name} of ${vmiName} to apply the change` });
      }
    },
    get failed() {
      return failed;
    },
    get succeeded() {
      return succeeded;
    },
    get latest() {
      return latest;
    },
  };
}
