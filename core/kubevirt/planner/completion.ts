import type { ClusterConfig } from "../clusterConfig";
import type { Outcome } from "../plan";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import * as bootVmiModule from "../defaults/bootVmi";
import * as vmiStateModule from "./vmiState";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { ASSUMED_MIGRATABLE_REASON } = bootVmiModule;
const { effectiveRunStrategy, findCondition, isLiveMigratable } = vmiStateModule;

export interface Completion {
  readonly outcome: Outcome;
  /** appended to the handler's reason */
  readonly how: string;
}

export type MigrationKind = "hotplug" | "network" | "volume-migration";

/**
 * Whether a change the controller patched into the VMI (CPU/memory hotplug, volume migration, network
 * auto-migration) is ever carried out (rules §4.2, §5.3 and the §9 Evict addendum): the workload updater
 * migrates the VMI when `LiveMigrate` is configured and the VMI is LiveMigratable (volume migrations need no
 * LiveMigratable); otherwise, with `Evict`, it evicts the launcher pod, and the VMI's eviction strategy
 * decides between an evacuation migration and a restart; otherwise the change waits forever.
 */
export function completion(
  kind: MigrationKind,
  vm: VirtualMachine,
  vmi: VirtualMachineInstance,
  cluster: ClusterConfig,
  predicted: boolean,
): Completion {
  const methods = cluster.workloadUpdateMethods;
  const migratable = isLiveMigratable(vmi);
  const condition = findCondition(vmi.status?.conditions, "LiveMigratable");
  const assumed =
    predicted && condition?.reason === ASSUMED_MIGRATABLE_REASON ? " (LiveMigratable assumed: no VMI was given)" : "";
  const reported = condition
    ? `LiveMigratable=${condition.status}${condition.reason ? ` (${condition.reason}${condition.message ? `: ${condition.message}` : ""})` : ""}`
    : "no LiveMigratable condition";
  const hasLiveMigrate = methods.includes("LiveMigrate");
  if (hasLiveMigrate && (migratable || kind === "volume-migration")) {
    return {
      outcome: "live",
      how: `completed by a workload-update live migration (kubevirt-workload-update-*)${kind !== "volume-migration" ? assumed : ""}`,
    };
  }
  const why = hasLiveMigrate
    ? `the VMI is not LiveMigratable (KubeVirt reports ${reported}${predicted ? " on the VM's status" : ""}), so the workload updater cannot migrate it`
    : methods.length
      ? `workloadUpdateMethods [${methods.join(", ")}] does not include LiveMigrate`
      : "workloadUpdateMethods is empty (no automated workload updates)";
  if (methods.includes("Evict")) {
    const strategy = vmi.spec.evictionStrategy || cluster.evictionStrategy || "None";
    if ((strategy === "LiveMigrate" || strategy === "LiveMigrateIfPossible") && migratable) {
      return {
        outcome: "live",
        how: `${why}; Evict is configured and the eviction of a VMI with evictionStrategy ${strategy} becomes an evacuation live migration, which completes the change${assumed}`,
      };
    }
    if (strategy === "LiveMigrate") {
      return {
        outcome: "stuck",
        how: `${why}; Evict is configured but evictionStrategy LiveMigrate refuses the eviction of a non-migratable VMI, so the change never completes`,
      };
    }
    if (strategy === "External") {
      return {
        outcome: "stuck",
        how: `${why}; Evict is configured but evictionStrategy External blocks the eviction until an external controller acts`,
      };
    }
    const runStrategy = effectiveRunStrategy(vm);
    const comesBack =
      runStrategy === "Always" || runStrategy === "RerunOnFailure"
        ? `runStrategy ${runStrategy} starts it again with the new spec`
        : `runStrategy ${runStrategy} does not start it again: the VM stays stopped until started`;
    return {
      outcome: "restart",
      how: `${why}; Evict is configured (evictionStrategy ${strategy}), so the workload updater evicts the VMI and ${comesBack}`,
    };
  }
  return {
    outcome: "stuck",
    how: `${why}: the VMI keeps the pending change (condition ${kind === "hotplug" ? "HotVCPUChange/HotMemoryChange" : kind === "network" ? "MigrationRequired" : "VolumesChange"}) and nothing applies it; ${hasLiveMigrate ? "make the VMI live-migratable (what blocks it is named above) or restart the VM" : "add LiveMigrate to spec.workloadUpdateStrategy.workloadUpdateMethods"}`,
  };
}
