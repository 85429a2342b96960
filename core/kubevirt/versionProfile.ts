import { atLeast, formatVersion, hasBackport, parseKubeVirtVersion, type KubeVirtVersion } from "./version";

/**
 * What a KubeVirt release does about live updates: one flag per behaviour switch in
 * docs/kubevirt-live-update-rules.md (§1, §2, §3, §4.1, §8.6), resolved for one version.
 * Every flag names the release(s) that introduced or removed it; the source files are cited in the rules document.
 */
export type RolloutStrategy = "Stage" | "LiveUpdate";

/** How the VM controller treats volume/disk changes in the RestartRequired comparison (§1.1, §1.6). */
export type VolumeNeutralisation =
  /** v1.0–v1.1: there is no RestartRequired comparison at all */
  | "none"
  /** v1.2.0: under LiveUpdate every volume and disk change is ignored, without validation */
  | "all-under-live-update"
  /** v1.2.1–v1.6.2: validated hotplug changes are ignored, only under LiveUpdate */
  | "validated-under-live-update"
  /** v1.6.3+ / v1.7.0+: validated hotplug changes are ignored whatever the rollout strategy (the rules document
   * says v1.6.4; the v1.6.3 tag already has it) */
  | "validated-always";

/** How instance types and preferences take part in live updates (§1.8). */
export type InstancetypeHandling =
  /** v1.0–v1.1: `liveUpdateFeatures` with an instance type is rejected */
  | "live-update-features-rejected"
  /** v1.2.0: any instance type is rejected while the rollout is LiveUpdate */
  | "rejected-under-live-update"
  /** v1.2.1–v1.2.2: allowed; a matcher change gives RestartRequired */
  | "matcher-change-restart"
  /** v1.3.0+: both specs are expanded and compared */
  | "expanded";

export interface VersionProfile {
  readonly version: KubeVirtVersion;
  /** "v1.4.1" */
  readonly label: string;

  // ---- API shape and cluster settings (§4) ----
  /** v1.0–v1.1: VM `spec.liveUpdateFeatures` drives hotplug (removed in v1.2.0) */
  readonly liveUpdateFeaturesApi: boolean;
  /** v1.1 only: `liveUpdateFeatures.memory` exists */
  readonly liveUpdateFeaturesMemory: boolean;
  /** v1.1 only: `liveUpdateFeatures.affinity` exists */
  readonly liveUpdateFeaturesAffinity: boolean;
  /** `VMLiveUpdateFeatures` gate needed: v1.0–v1.4 */
  readonly liveUpdateGateRequired: boolean;
  /** v1.5+: the gate is GA, listing it only earns a "deprecated … redundant" warning */
  readonly liveUpdateGateDeprecated: boolean;
  /** KubeVirt `spec.configuration.vmRolloutStrategy` exists: v1.2+ */
  readonly rolloutStrategyField: boolean;
  /** "Stage" for v1.2–v1.5, "LiveUpdate" from v1.6; undefined before v1.2 */
  readonly defaultRolloutStrategy: RolloutStrategy | undefined;
  /** v1.6+: an unset vmRolloutStrategy means LiveUpdate (`IsVMRolloutStrategyLiveUpdate` returns true on nil) */
  readonly rolloutUnsetMeansLiveUpdate: boolean;
  /** fields of `liveUpdateConfiguration`: v1.0 maxCpuSockets only; v1.1+ also maxGuest and maxHotplugRatio */
  readonly liveUpdateConfigFields: readonly ("maxCpuSockets" | "maxGuest" | "maxHotplugRatio")[];
  /** v1.0 hard-codes a maxSockets ratio of 4; v1.1+ reads maxHotplugRatio (default 4) */
  readonly maxHotplugRatioConfigurable: boolean;
  /** v1.9+: Beta feature gates are on unless listed in disabledFeatureGates */
  readonly betaGatesOnByDefault: boolean;
  /** v1.8+ (`featuregate.IsEnabled` precedence): developerConfiguration.disabledFeatureGates is honoured */
  readonly disabledFeatureGatesField: boolean;
  /** v1.3.0–v1.4.x: updateVolumesStrategy under LiveUpdate needs VolumesUpdateStrategy and VolumeMigration gates */
  readonly volumesUpdateStrategyGatesRequired: boolean;
  /** NUMA passthrough needs the `NUMA` gate before v1.4 */
  readonly numaGateRequired: boolean;
  /** node label required by dedicated-CPU VMIs: "cpumanager" up to v1.7, "kubevirt.io/cpumanager" from v1.8 */
  readonly cpuManagerLabel: "cpumanager" | "kubevirt.io/cpumanager";
  /** v1.4+: workload-update migrations back off after failures (20 s, doubling) */
  readonly migrationBackoff: boolean;
  /** workload-update migrations get spec.priority user-triggered: v1.7–v1.8 with MigrationPriorityQueue, v1.9 always */
  readonly migrationPriority: "none" | "gate" | "always";

  // ---- hotplug features ----
  /** CPU hotplug exists (every supported version) */
  readonly cpuHotplug: true;
  /** memory hotplug exists: v1.1+ */
  readonly memoryHotplug: boolean;
  /** the VM condition RestartRequired exists: v1.2+ (before, non-live changes are silently staged, §9) */
  readonly restartRequiredCondition: boolean;
  /** v1.6.4 / v1.7.1 / v1.8.0+: RR is removed when the non-live diff disappears (revert) */
  readonly restartRequiredClearsWhenReverted: boolean;
  /** RR is sticky (blocks later live updates until restart): v1.2 up to the clearing fix */
  readonly restartRequiredSticky: boolean;

  // ---- the RestartRequired comparison (§1.1) ----
  /** sockets/memory/nodeSelector/affinity neutralised under LiveUpdate: v1.2+ */
  readonly neutralisesLiveFields: boolean;
  /** v1.3+: adding memory.guest on a start spec without a memory stanza is tolerated (v1.2 needed both non-nil) */
  readonly memoryNeutralisationNilTolerant: boolean;
  /** nodeSelector/affinity are live-updatable: v1.2+ (v1.1: via liveUpdateFeatures.affinity) */
  readonly affinityLive: boolean;
  /** tolerations are live-updatable: v1.4+ */
  readonly tolerationsLive: boolean;
  readonly volumeNeutralisation: VolumeNeutralisation;
  /** v1.4.1 and v1.5.0–v1.6.2 under Stage: volume/disk changes equal to the VMI's (imperative hotplug) give no RR */
  readonly stageImperativeVolumeHotplug: boolean;
  /** v1.6+: the DeclarativeHotplugVolumes gate exists (Alpha in v1.6–v1.8, Beta so on by default in v1.9) */
  readonly declarativeHotplugVolumes: boolean;
  /** v1.6.4 / v1.7.0+: removing a cdrom disk entirely gives RR */
  readonly cdromRemovalRestart: boolean;
  /** v1.4.1 / v1.5.2 / v1.6+: interfaces/networks neutralised by vmliveupdate.IsRestartRequired (strategy-independent) */
  readonly networkHotplugLive: boolean;
  /**
   * multus networkName change without RR: "never" (RR, before v1.8), "gate" (v1.8, with LiveUpdateNADRef),
   * "always" (v1.9+; restart.go ignores the NAD name, the change then needs a migration)
   */
  readonly nadRefLive: "never" | "gate" | "always";
  /** v1.8+: adding the pod network to a VMI that has none gives RR */
  readonly podNetworkAddRestart: boolean;
  /** v1.6.4 / v1.7.1 / v1.8.0+: firmware.uuid neutralised when the VMI has the VM's UUID */
  readonly firmwareUuidNeutralised: boolean;
  readonly instancetypeHandling: InstancetypeHandling;
  /** v1.3+: instance types may carry cpu.maxSockets and memory.maxGuest */
  readonly instancetypeMaxFields: boolean;

  // ---- CPU handler (§1.3) ----
  /** up to v1.1 the handler compared total vCPUs; from v1.2 sockets only */
  readonly cpuHandlerComparesSocketsOnly: boolean;
  /** v1.2+: sockets above the VMI maxSockets give RR "higher than what's available" */
  readonly cpuMaxSocketsRestart: boolean;
  /** v1.2.1+: a socket reduction gives RR (v1.2.0 live-patched it) */
  readonly socketReductionRestart: boolean;
  /** v1.3.0–v1.4.0 and v1.5.0–v1.5.1: networkInterfaceMultiqueue makes socket changes RR */
  readonly multiQueueCpuRestart: boolean;
  /** v1.5.2+ / v1.6.0+: arm64 CPU change gives RR "ARM doesn't support CPU hotplug" */
  readonly armCpuHotplugRestart: boolean;
  /** v1.5.2+ / v1.6.0+: hotplug defaults (maxSockets/maxGuest) skipped on arm64 */
  readonly armSkipsHotplugDefaults: boolean;
  /** v1.2.1+: VMI CPU limits are raised too on a CPU hotplug (v1.2.0: requests only) */
  readonly cpuHotplugPatchesLimits: boolean;

  // ---- defaults (§3) ----
  /** v1.4.0+: cluster maxCpuSockets below sockets → maxSockets = sockets (earlier: VMI admission rejects) */
  readonly maxCpuSocketsRaisedToSockets: boolean;
  /** v1.4.1 / v1.5.1 / v1.6.0+: computed maxSockets capped so that maxSockets × cores × threads ≤ 512 */
  readonly maxSocketsCap512: boolean;
  /** v1.3+: the computed maxGuest is validated and dropped (nil) when the validator fails */
  readonly maxGuestValidatedAtDefaults: boolean;
  /** where the boot-time hotplug defaults are computed */
  readonly hotplugDefaultsLocation: "vm-controller-live-update-features" | "vm-controller" | "vmi-mutator";

  // ---- memory handler and validator (§1.4, §2.3) ----
  /** "v1.1" (liveUpdateFeatures.memory, admission), "v1.2" (admission, explicit maxGuest), "v1.3" (pkg/liveupdate/memory) */
  readonly memoryValidatorGeneration: "none" | "v1.1" | "v1.2" | "v1.3";
  /** v1.3+: the memory handler checks migratable, maxGuest nil and the validator */
  readonly memoryHandlerChecksMigratable: boolean;
  /** v1.3+: HotMemoryChange=False makes the handler set RR on every reconcile */
  readonly memoryHandlerFailedConditionRestart: boolean;
  /** v1.3.1+: memory hotplug needs at least 1Gi guest */
  readonly memoryMinimum1Gi: boolean;
  /** architectures the memory validator accepts */
  readonly memoryArchitectures: readonly string[];
  /** v1.1–v1.2: memory hotplug incompatible with dedicated CPUs */
  readonly memoryRejectsDedicatedCpus: boolean;
  /** v1.1–v1.2: memory hotplug incompatible with any hugepages (v1.3+: 1Gi pages need 1Gi alignment) */
  readonly memoryRejectsHugepages: boolean;
  /** v1.1.x and v1.2.0: memory limits forbidden with memory live update */
  readonly memoryRejectsLimits: boolean;
  /** v1.2.1+: VMI memory limits are raised on a memory hotplug */
  readonly memoryHotplugPatchesLimits: boolean;
  /** v1.7+: VMI memory requests patched only when non-zero */
  readonly memoryRequestsPatchedOnlyIfNonZero: boolean;
  /** v1.3+: `guest <= limits.memory` is not checked while the rollout is LiveUpdate */
  readonly guestMemoryLimitSkippedUnderLiveUpdate: boolean;
}

const CACHE = new Map<string, VersionProfile>();
// the planner asks many times per plan with the same version object: found without formatting its label
const BY_VERSION_OBJECT = new WeakMap<KubeVirtVersion, VersionProfile>();

/** The behaviour switches of one KubeVirt version. Accepts a parsed version or text such as "v1.4.1". */
export function versionProfile(v: KubeVirtVersion | string): VersionProfile {
  if (typeof v !== "string") {
    const known = BY_VERSION_OBJECT.get(v);
    if (known) return known;
  }
  const version = typeof v === "string" ? parseKubeVirtVersion(v) : v;
  const label = formatVersion(version);
  let profile = CACHE.get(label);
  if (!profile) {
    profile = computeProfile(version, label);
    CACHE.set(label, profile);
  }
  if (typeof v !== "string") BY_VERSION_OBJECT.set(v, profile);
  return profile;
}

function inRange(v: KubeVirtVersion, from: [number, number], to: [number, number]): boolean {
  return atLeast(v, from[0], from[1]) && !atLeast(v, to[0], to[1]);
}

function computeProfile(v: KubeVirtVersion, label: string): VersionProfile {
  const at = (minor: number, patch = 0) => atLeast(v, minor, patch);
  const clearsRR = hasBackport(v, [
    [1, 6, 4],
    [1, 7, 1],
    [1, 8, 0],
  ]);
  const armFix = hasBackport(v, [
    [1, 5, 2],
    [1, 6, 0],
  ]);
  // the tags show the volume/disk validation outside the LiveUpdate block from v1.6.3 (v1.7.0 on main)
  const hotplugVolumesAnyStrategy = hasBackport(v, [
    [1, 6, 3],
    [1, 7, 0],
  ]);
  const cdromRemoval = hasBackport(v, [
    [1, 6, 4],
    [1, 7, 0],
  ]);
  // arm64 accepted by the memory validator in v1.3.0–v1.5.2 and v1.6.0
  const memoryArm64 = inRange(v, [3, 0], [5, 3]) || (v.minor === 6 && v.patch === 0);
  const volumeNeutralisation: VolumeNeutralisation = !at(2)
    ? "none"
    : !at(2, 1)
      ? "all-under-live-update"
      : hotplugVolumesAnyStrategy
        ? "validated-always"
        : "validated-under-live-update";
  const instancetypeHandling: InstancetypeHandling = !at(2)
    ? "live-update-features-rejected"
    : !at(2, 1)
      ? "rejected-under-live-update"
      : !at(3)
        ? "matcher-change-restart"
        : "expanded";
  const profile: VersionProfile = {
    version: v,
    label,
    liveUpdateFeaturesApi: !at(2),
    liveUpdateFeaturesMemory: v.minor === 1,
    liveUpdateFeaturesAffinity: v.minor === 1,
    liveUpdateGateRequired: !at(5),
    liveUpdateGateDeprecated: at(5),
    rolloutStrategyField: at(2),
    defaultRolloutStrategy: !at(2) ? undefined : at(6) ? "LiveUpdate" : "Stage",
    rolloutUnsetMeansLiveUpdate: at(6),
    liveUpdateConfigFields: at(1) ? ["maxCpuSockets", "maxGuest", "maxHotplugRatio"] : ["maxCpuSockets"],
    maxHotplugRatioConfigurable: at(1),
    betaGatesOnByDefault: at(9),
    disabledFeatureGatesField: at(8),
    volumesUpdateStrategyGatesRequired: at(3) && !at(5),
    numaGateRequired: !at(4),
    cpuManagerLabel: at(8) ? "kubevirt.io/cpumanager" : "cpumanager",
    migrationBackoff: at(4),
    migrationPriority: at(9) ? "always" : at(7) ? "gate" : "none",
    cpuHotplug: true,
    memoryHotplug: at(1),
    restartRequiredCondition: at(2),
    restartRequiredClearsWhenReverted: clearsRR,
    restartRequiredSticky: at(2) && !clearsRR,
    neutralisesLiveFields: at(2),
    memoryNeutralisationNilTolerant: at(3),
    affinityLive: at(2),
    tolerationsLive: at(4),
    volumeNeutralisation,
    // the Stage else-branch of addRestartRequiredIfNeeded is in the v1.4.1 tag too (not in v1.4.0)
    stageImperativeVolumeHotplug:
      hasBackport(v, [
        [1, 4, 1],
        [1, 5, 0],
      ]) && !hotplugVolumesAnyStrategy,
    declarativeHotplugVolumes: at(6),
    cdromRemovalRestart: cdromRemoval,
    // netvmliveupdate.IsRestartRequired in addRestartRequiredIfNeeded: PR #14666 (commit 02f84a623b), backported
    networkHotplugLive: hasBackport(v, [
      [1, 4, 1],
      [1, 5, 2],
      [1, 6, 0],
    ]),
    nadRefLive: at(9) ? "always" : at(8) ? "gate" : "never",
    podNetworkAddRestart: at(8),
    firmwareUuidNeutralised: clearsRR,
    instancetypeHandling,
    instancetypeMaxFields: at(3),
    cpuHandlerComparesSocketsOnly: at(2),
    cpuMaxSocketsRestart: at(2),
    socketReductionRestart: at(2, 1),
    multiQueueCpuRestart: (at(3) && !at(4, 1)) || (v.minor === 5 && v.patch < 2),
    armCpuHotplugRestart: armFix,
    armSkipsHotplugDefaults: armFix,
    cpuHotplugPatchesLimits: at(2, 1),
    maxCpuSocketsRaisedToSockets: at(4),
    maxSocketsCap512: hasBackport(v, [
      [1, 4, 1],
      [1, 5, 1],
      [1, 6, 0],
    ]),
    maxGuestValidatedAtDefaults: at(3),
    hotplugDefaultsLocation: !at(2) ? "vm-controller-live-update-features" : !at(3) ? "vm-controller" : "vmi-mutator",
    memoryValidatorGeneration: !at(1) ? "none" : !at(2) ? "v1.1" : !at(3) ? "v1.2" : "v1.3",
    memoryHandlerChecksMigratable: at(3),
    memoryHandlerFailedConditionRestart: at(3),
    // pkg/liveupdate/memory requiredMinGuestMemory: commit 8c186d548c, in the v1.3.1 tag
    memoryMinimum1Gi: at(3, 1),
    memoryArchitectures: memoryArm64 ? ["amd64", "arm64"] : ["amd64"],
    memoryRejectsDedicatedCpus: at(1) && !at(3),
    memoryRejectsHugepages: at(1) && !at(3),
    memoryRejectsLimits: v.minor === 1 || (v.minor === 2 && v.patch === 0),
    memoryHotplugPatchesLimits: at(2, 1),
    memoryRequestsPatchedOnlyIfNonZero: at(7),
    guestMemoryLimitSkippedUnderLiveUpdate: at(3),
  };
  return Object.freeze(profile);
}
