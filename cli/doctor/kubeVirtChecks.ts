/**
 * Cluster-level checks on the KubeVirt CR, per KubeVirt version (the live-update rules, §4.2), using
 * core's versionProfile and resolveClusterConfig:
 * - v1.0.x–v1.4.x need the `VMLiveUpdateFeatures` feature gate (GA in v1.5.0);
 * - v1.2.x–v1.5.x need `vmRolloutStrategy: LiveUpdate` (default Stage); from v1.6.0 unset means
 *   LiveUpdate and only an explicit `Stage` opts out; v1.0/v1.1 have no rollout strategy;
 * - every version needs `LiveMigrate` in `workloadUpdateStrategy.workloadUpdateMethods`, or the
 *   hotplug conditions stay pending forever (with `Evict` alone, the VMs are restarted instead).
 */

import { type ClusterConfig, LIVE_UPDATE_GATE, resolveClusterConfig } from "../../core/kubevirt/clusterConfig";
import { type KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import {
  NEWEST_SUPPORTED,
  type KubeVirtVersion,
  parseKubeVirtVersion,
  VersionError,
} from "../../core/kubevirt/version";
import { type VersionProfile, versionProfile } from "../../core/kubevirt/versionProfile";
import { check, type DoctorCheck } from "./doctorCheck";

export interface KubeVirtFacts {
  readonly kubeVirt?: KubeVirt;
  /** the observed version; undefined when the CR does not report one (profile and config then assume the newest) */
  readonly version?: KubeVirtVersion;
  readonly profile?: VersionProfile;
  readonly config?: ClusterConfig;
  readonly liveUpdate: boolean;
}

export function checkKubeVirt(
  kubeVirts: readonly KubeVirt[],
  error?: string,
): { checks: DoctorCheck[]; facts: KubeVirtFacts } {
  const checks: DoctorCheck[] = [];
  const scope = "cluster";
  if (kubeVirts.length === 0) {
    checks.push(
      check(
        scope,
        "KubeVirt",
        "blocking",
        "kubevirt-missing",
        error ?? "no KubeVirt custom resource found (kubevirt.io/v1 kubevirts)",
        "install KubeVirt (virt-operator and a KubeVirt CR)",
      ),
    );
    return { checks, facts: { liveUpdate: false } };
  }
  const kv = kubeVirts[0]!;
  const name = `${kv.metadata?.namespace ?? ""}/${kv.metadata?.name ?? ""}`;
  if (kubeVirts.length > 1) {
    checks.push(
      check(
        scope,
        "KubeVirt",
        "warning",
        "kubevirt-several",
        `${kubeVirts.length} KubeVirt CRs found; checking ${name}, the first`,
      ),
    );
  }
  const observed = kv.status?.observedKubeVirtVersion;
  let version: KubeVirtVersion | undefined;
  if (!observed) {
    checks.push(
      check(
        scope,
        "KubeVirt version",
        "warning",
        "kubevirt-version-unknown",
        `KubeVirt ${name} reports no status.observedKubeVirtVersion (phase ${kv.status?.phase ?? "unknown"}); version-specific checks assume ${NEWEST_SUPPORTED.raw} behaviour`,
      ),
    );
  } else {
    try {
      version = parseKubeVirtVersion(observed);
      checks.push(
        check(
          scope,
          "KubeVirt version",
          "ok",
          "kubevirt-version",
          `KubeVirt ${observed} (${name}), supported by livevm`,
        ),
      );
    } catch (e) {
      if (!(e instanceof VersionError)) throw e;
      checks.push(
        check(
          scope,
          "KubeVirt version",
          "blocking",
          "kubevirt-version-unsupported",
          e.message,
          "livevm supports KubeVirt v1.0–v1.9",
        ),
      );
      return { checks, facts: { kubeVirt: kv, liveUpdate: false } };
    }
  }
  const assumed = version ?? NEWEST_SUPPORTED;
  const profile = versionProfile(assumed);
  const cluster = resolveClusterConfig(kv, assumed);
  const shown = profile.label;
  let liveUpdate = true;
  for (const w of cluster.warnings) checks.push(check(scope, "KubeVirt CR", "info", "kubevirt-config-note", w));

  // feature gate
  if (profile.liveUpdateGateRequired) {
    if (cluster.liveUpdateGateEnabled) {
      checks.push(
        check(scope, "feature gate", "ok", "gate-enabled", `${LIVE_UPDATE_GATE} is enabled (needed before v1.5)`),
      );
    } else {
      liveUpdate = false;
      checks.push(
        check(
          scope,
          "feature gate",
          "blocking",
          "gate-missing",
          `KubeVirt ${shown} needs the ${LIVE_UPDATE_GATE} feature gate for CPU/memory hotplug; it is not in spec.configuration.developerConfiguration.featureGates`,
          `add ${LIVE_UPDATE_GATE} to spec.configuration.developerConfiguration.featureGates of the KubeVirt CR`,
        ),
      );
    }
  } else {
    checks.push(
      check(scope, "feature gate", "ok", "gate-ga", `${LIVE_UPDATE_GATE} is GA from v1.5.0: no feature gate needed`),
    );
  }

  // rollout strategy
  const configured = kv.spec?.configuration?.vmRolloutStrategy ?? undefined;
  if (!profile.rolloutStrategyField) {
    checks.push(
      check(
        scope,
        "rollout strategy",
        "info",
        "rollout-n/a",
        `KubeVirt ${shown} has no vmRolloutStrategy: each VM opts in with spec.liveUpdateFeatures (checked per VM)`,
      ),
    );
  } else if (cluster.rolloutStrategy === "LiveUpdate") {
    checks.push(
      check(
        scope,
        "rollout strategy",
        "ok",
        "rollout-liveupdate",
        configured
          ? "vmRolloutStrategy is LiveUpdate"
          : "vmRolloutStrategy is unset, which means LiveUpdate from v1.6.0",
      ),
    );
  } else {
    liveUpdate = false;
    checks.push(
      check(
        scope,
        "rollout strategy",
        "blocking",
        "rollout-stage",
        configured
          ? "vmRolloutStrategy is Stage: changes to running VMs are only staged for the next restart"
          : `vmRolloutStrategy is unset, which means Stage before v1.6.0 (KubeVirt ${shown}): changes to running VMs are only staged for the next restart`,
        "set spec.configuration.vmRolloutStrategy: LiveUpdate in the KubeVirt CR",
      ),
    );
  }

  // workload update methods
  const methods = cluster.workloadUpdateMethods;
  if (methods.includes("LiveMigrate")) {
    checks.push(
      check(
        scope,
        "workload updates",
        "ok",
        "livemigrate",
        `workloadUpdateMethods includes LiveMigrate${methods.includes("Evict") ? " (and Evict: non-migratable VMs with a pending hotplug are evicted, which restarts them unless their evictionStrategy refuses it)" : ""}`,
      ),
    );
  } else if (methods.includes("Evict")) {
    checks.push(
      check(
        scope,
        "workload updates",
        "warning",
        "evict-only",
        `workloadUpdateMethods is [Evict] without LiveMigrate: a VM with a pending CPU/memory hotplug is evicted; that is a live migration only under evictionStrategy LiveMigrate (or LiveMigrateIfPossible when migratable), otherwise a restart (the cluster default is ${cluster.evictionStrategy}; checked per VM)`,
        "add LiveMigrate to spec.workloadUpdateStrategy.workloadUpdateMethods in the KubeVirt CR",
      ),
    );
  } else {
    liveUpdate = false;
    checks.push(
      check(
        scope,
        "workload updates",
        "blocking",
        "livemigrate-missing",
        `workloadUpdateMethods ${methods.length === 0 ? "is empty" : `is [${methods.join(", ")}]`}: without LiveMigrate, hotplugs stay pending (HotVCPUChange/HotMemoryChange) and are never applied`,
        "add LiveMigrate to spec.workloadUpdateStrategy.workloadUpdateMethods in the KubeVirt CR",
      ),
    );
  }
  return {
    checks,
    facts: { kubeVirt: kv, ...(version ? { version } : {}), profile, config: cluster, liveUpdate },
  };
}
