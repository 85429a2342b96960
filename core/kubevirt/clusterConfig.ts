import { featureGateTable } from "./featureGates";
import type { QuantityInput } from "./schema/common";
import type { KubeVirt } from "./schema/kubeVirt";
import type { KubeVirtVersion } from "./version";
import { versionProfile, type RolloutStrategy } from "./versionProfile";

export type WorkloadUpdateMethod = "LiveMigrate" | "Evict";

/**
 * The effective KubeVirt configuration for live updates, as virt-config computes it: the CR's
 * `spec.configuration` JSON-merged over the version's defaults (pkg/virt-config/configuration.go).
 */
export interface ClusterConfig {
  readonly version: KubeVirtVersion;
  /**
   * The effective `vmRolloutStrategy` (configured value, else the version's default). Undefined before
   * v1.2, where the setting does not exist: v1.0/v1.1 live updates are driven per VM by `spec.liveUpdateFeatures`.
   */
  readonly rolloutStrategy: RolloutStrategy | undefined;
  /**
   * `IsVMRolloutStrategyLiveUpdate()`: v1.2–v1.4 need the VMLiveUpdateFeatures gate AND LiveUpdate; v1.5 LiveUpdate
   * alone; v1.6+ LiveUpdate or unset. For v1.0/v1.1 it is whether the VMLiveUpdateFeatures gate is on (a VM then
   * still needs `spec.liveUpdateFeatures` for its live updates).
   */
  readonly liveUpdate: boolean;
  /** VMLiveUpdateFeatures is effective (listed, or GA from v1.5) */
  readonly liveUpdateGateEnabled: boolean;
  /** the gates listed in developerConfiguration.featureGates */
  readonly featureGates: readonly string[];
  /** the gates listed in developerConfiguration.disabledFeatureGates (honoured from v1.8) */
  readonly disabledFeatureGates: readonly string[];
  /** `isFeatureGateEnabled` of this version: GA gates always, listed gates, and (v1.9+) Beta gates unless disabled */
  isFeatureGateEnabled(name: string): boolean;
  /** workloadUpdateStrategy.workloadUpdateMethods; empty means no automated workload updates */
  readonly workloadUpdateMethods: readonly WorkloadUpdateMethod[];
  /** liveUpdateConfiguration.maxHotplugRatio; 0/unset → 4 (v1.0 hard-codes 4) */
  readonly maxHotplugRatio: number;
  /** liveUpdateConfiguration.maxCpuSockets, when set and non-zero */
  readonly maxCpuSockets: number | undefined;
  /** liveUpdateConfiguration.maxGuest (v1.1+) */
  readonly maxGuest: QuantityInput | undefined;
  /** status.defaultArchitecture, else spec.configuration.architectureConfiguration.defaultArchitecture, else amd64 */
  readonly defaultArchitecture: string;
  /** configuration.evictionStrategy, default "None" */
  readonly evictionStrategy: string;
  /** developerConfiguration.cpuAllocationRatio, default 10 */
  readonly cpuAllocationRatio: number;
  /** migrations.parallelMigrationsPerCluster, default 5 */
  readonly parallelMigrationsPerCluster: number;
  /** settings that this version ignores or that are redundant, in plain words (KubeVirt's own text where it has one) */
  readonly warnings: readonly string[];
}

export const LIVE_UPDATE_GATE = "VMLiveUpdateFeatures";
export const DEFAULT_MAX_HOTPLUG_RATIO = 4;
export const DEFAULT_CPU_ALLOCATION_RATIO = 10;
export const DEFAULT_PARALLEL_MIGRATIONS_PER_CLUSTER = 5;

function readNumber(obj: unknown, key: string): number | undefined {
  if (obj && typeof obj === "object") {
    const v = (obj as Record<string, unknown>)[key];
    if (typeof v === "number" && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** Resolves the effective cluster settings for `version` from the KubeVirt CR (absent: the version's defaults). */
export function resolveClusterConfig(kubevirt: KubeVirt | undefined, version: KubeVirtVersion): ClusterConfig {
  const profile = versionProfile(version);
  const gates = featureGateTable(version);
  const configuration = kubevirt?.spec?.configuration;
  const dev = configuration?.developerConfiguration;
  const featureGates = Object.freeze([...(dev?.featureGates ?? [])]);
  const disabledFeatureGates = Object.freeze([...(dev?.disabledFeatureGates ?? [])]);
  const warnings: string[] = [];

  const isFeatureGateEnabled = (name: string): boolean => {
    if (gates.ga.has(name)) return true;
    if (featureGates.includes(name)) return true;
    if (profile.disabledFeatureGatesField && disabledFeatureGates.includes(name)) return false;
    return profile.betaGatesOnByDefault && gates.beta.has(name);
  };

  for (const gate of featureGates) {
    // warnDeprecatedFeatureGates (v1.2+): listing a GA gate is redundant
    if (gates.ga.has(gate) && profile.rolloutStrategyField) {
      const state = profile.liveUpdateGateDeprecated ? ' (feature state is "General Availability")' : "";
      warnings.push(`feature gate ${gate} is deprecated${state}, therefore it can be safely removed and is redundant.`);
    }
  }

  const liveUpdateGateEnabled = isFeatureGateEnabled(LIVE_UPDATE_GATE);
  const configured = configuration?.vmRolloutStrategy ?? undefined;
  let rolloutStrategy: RolloutStrategy | undefined;
  let liveUpdate: boolean;
  if (!profile.rolloutStrategyField) {
    rolloutStrategy = undefined;
    liveUpdate = liveUpdateGateEnabled;
    if (configured !== undefined) {
      warnings.push(
        `spec.configuration.vmRolloutStrategy does not exist in KubeVirt ${profile.label}; live updates are enabled per VM with spec.liveUpdateFeatures and the ${LIVE_UPDATE_GATE} gate`,
      );
    }
  } else {
    rolloutStrategy = configured ?? profile.defaultRolloutStrategy;
    const isLive = configured === undefined ? profile.rolloutUnsetMeansLiveUpdate : configured === "LiveUpdate";
    liveUpdate = isLive && (!profile.liveUpdateGateRequired || liveUpdateGateEnabled);
    if (isLive && !liveUpdate) {
      warnings.push(
        `vmRolloutStrategy is LiveUpdate but the ${LIVE_UPDATE_GATE} feature gate is not enabled: KubeVirt ${profile.label} treats the rollout as Stage`,
      );
    }
  }

  const live = configuration?.liveUpdateConfiguration;
  const ratioSetting = live?.maxHotplugRatio;
  const maxHotplugRatio =
    profile.maxHotplugRatioConfigurable && ratioSetting !== undefined && ratioSetting > 0
      ? ratioSetting
      : DEFAULT_MAX_HOTPLUG_RATIO;
  if (!profile.maxHotplugRatioConfigurable && ratioSetting !== undefined) {
    warnings.push(
      `liveUpdateConfiguration.maxHotplugRatio does not exist in KubeVirt ${profile.label} (the ratio is 4)`,
    );
  }
  const maxCpuSockets = live?.maxCpuSockets !== undefined && live.maxCpuSockets > 0 ? live.maxCpuSockets : undefined;
  let maxGuest: QuantityInput | undefined = live?.maxGuest;
  if (maxGuest !== undefined && !profile.liveUpdateConfigFields.includes("maxGuest")) {
    warnings.push(`liveUpdateConfiguration.maxGuest does not exist in KubeVirt ${profile.label}`);
    maxGuest = undefined;
  }

  const methods = kubevirt?.spec?.workloadUpdateStrategy?.workloadUpdateMethods ?? [];
  const workloadUpdateMethods = Object.freeze(
    [...new Set(methods)].filter((m): m is WorkloadUpdateMethod => m === "LiveMigrate" || m === "Evict"),
  );

  const defaultArchitecture =
    kubevirt?.status?.defaultArchitecture || configuration?.architectureConfiguration?.defaultArchitecture || "amd64";
  const cpuAllocationRatio =
    positive(readNumber(dev, "cpuAllocationRatio")) ??
    positive(configuration?.cpuAllocationRatio) ??
    DEFAULT_CPU_ALLOCATION_RATIO;
  const parallelMigrationsPerCluster =
    configuration?.migrations?.parallelMigrationsPerCluster ?? DEFAULT_PARALLEL_MIGRATIONS_PER_CLUSTER;

  return Object.freeze({
    version,
    rolloutStrategy,
    liveUpdate,
    liveUpdateGateEnabled,
    featureGates,
    disabledFeatureGates,
    isFeatureGateEnabled,
    workloadUpdateMethods,
    maxHotplugRatio,
    maxCpuSockets,
    maxGuest,
    defaultArchitecture,
    evictionStrategy: configuration?.evictionStrategy || "None",
    cpuAllocationRatio,
    parallelMigrationsPerCluster,
    warnings: Object.freeze(warnings),
  });
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}
