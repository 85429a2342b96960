/**
 * Cluster-level checks on the KubeVirt CR, per KubeVirt version (the live-update rules, §4.2):
 * - v1.0.x–v1.4.x need the `VMLiveUpdateFeatures` feature gate (GA in v1.5.0);
 * - v1.2.x–v1.5.x need `vmRolloutStrategy: LiveUpdate` (default Stage); from v1.6.0 unset means
 *   LiveUpdate and only an explicit `Stage` opts out; v1.0/v1.1 have no rollout strategy;
 * - every version needs `LiveMigrate` in `workloadUpdateStrategy.workloadUpdateMethods`, or the
 *   hotplug conditions stay pending forever (with `Evict` alone, the VMs are restarted instead).
 */

import {
  atLeast,
  formatVersion,
  type KubeVirtVersion,
  parseKubeVirtVersion,
  VersionError,
} from "../../core/kubevirt/version";
import { type KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import { check, type DoctorCheck } from "./doctorCheck";

export const LIVE_UPDATE_GATE = "VMLiveUpdateFeatures";

export interface KubeVirtFacts {
  readonly kubeVirt?: KubeVirt;
  readonly version?: KubeVirtVersion;
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
        `KubeVirt ${name} reports no status.observedKubeVirtVersion (phase ${kv.status?.phase ?? "unknown"}); version-specific checks assume v1.6+ behaviour`,
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

  const config = kv.spec?.configuration;
  const gates = config?.developerConfiguration?.featureGates ?? [];
  const shown = version ? formatVersion(version) : "this version";
  let liveUpdate = true;

  // feature gate
  if (version && !atLeast(version, 5)) {
    if (gates.includes(LIVE_UPDATE_GATE)) {
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
      check(
        scope,
        "feature gate",
        "ok",
        "gate-ga",
        `${LIVE_UPDATE_GATE} is GA from v1.5.0: no feature gate needed${gates.includes(LIVE_UPDATE_GATE) ? " (listing it only produces a deprecation warning)" : ""}`,
      ),
    );
  }

  // rollout strategy
  const strategy = config?.vmRolloutStrategy ?? undefined;
  if (version && !atLeast(version, 2)) {
    checks.push(
      check(
        scope,
        "rollout strategy",
        "info",
        "rollout-n/a",
        `KubeVirt ${shown} has no vmRolloutStrategy: each VM opts in with spec.liveUpdateFeatures (checked per VM)`,
      ),
    );
  } else {
    const defaultsToLive = version === undefined || atLeast(version, 6);
    const effective = strategy ?? (defaultsToLive ? "LiveUpdate" : "Stage");
    if (effective === "LiveUpdate") {
      checks.push(
        check(
          scope,
          "rollout strategy",
          "ok",
          "rollout-liveupdate",
          strategy
            ? "vmRolloutStrategy is LiveUpdate"
            : `vmRolloutStrategy is unset, which means LiveUpdate from v1.6.0`,
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
          strategy
            ? "vmRolloutStrategy is Stage: changes to running VMs are only staged for the next restart"
            : `vmRolloutStrategy is unset, which means Stage before v1.6.0 (KubeVirt ${shown}): changes to running VMs are only staged for the next restart`,
          "set spec.configuration.vmRolloutStrategy: LiveUpdate in the KubeVirt CR",
        ),
      );
    }
  }

  // workload update methods
  const methods = kv.spec?.workloadUpdateStrategy?.workloadUpdateMethods ?? [];
  if (methods.includes("LiveMigrate")) {
    checks.push(
      check(
        scope,
        "workload updates",
        "ok",
        "livemigrate",
        `workloadUpdateMethods includes LiveMigrate${methods.includes("Evict") ? " (and Evict: non-migratable VMs with a pending hotplug are evicted, i.e. restarted)" : ""}`,
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
        methods.includes("Evict")
          ? "workloadUpdateMethods is [Evict] without LiveMigrate: VMs with a pending CPU/memory hotplug are evicted (restarted) instead of migrated"
          : `workloadUpdateMethods ${methods.length === 0 ? "is empty" : `is [${methods.join(", ")}]`}: without LiveMigrate, hotplugs stay pending (HotVCPUChange/HotMemoryChange) and are never applied`,
        "add LiveMigrate to spec.workloadUpdateStrategy.workloadUpdateMethods in the KubeVirt CR",
      ),
    );
  }
  return { checks, facts: { kubeVirt: kv, ...(version ? { version } : {}), liveUpdate } };
}
