import type { VmiSpec } from "../schema/common";
import { atLeast, hasBackport, type KubeVirtVersion } from "../version";

/**
 * What the admission rules need to know about the cluster and the KubeVirt version, as plain data.
 * index.ts builds it from the planner's ClusterConfig and VersionProfile; the rule modules take only
 * this (or less), so each can be tested on its own.
 */
export interface AdmissionContext {
  readonly version: KubeVirtVersion;
  /** `IsVMRolloutStrategyLiveUpdate()` as this version computes it (gate + strategy in v1.2–v1.4, …) */
  readonly liveUpdate: boolean;
  /** `isFeatureGateEnabled(name)` as this version computes it (GA gates are on) */
  readonly isFeatureGateEnabled: (name: string) => boolean;
  /** `GetDefaultArchitecture()`: what an empty `architecture` becomes */
  readonly defaultArchitecture: string;
  /** the architecture virt-api itself runs on (`runtime.GOARCH`), for the v1.0–v1.7 MultiArchitecture rule */
  readonly nativeArchitecture: string;
  /** `developerConfiguration.memoryOvercommit` in percent (default 100): scales defaulted memory requests before v1.6.4 */
  readonly memoryOvercommit: number;
  /** `configuration.cpuRequest` when the cluster sets one other than the default 100m */
  readonly cpuRequest?: string | number;
  /**
   * `memory.ValidateLiveUpdateMemory(spec, maxGuest)` (v1.3+): the first failing message, or undefined.
   * The spec given is the defaulted template spec.
   */
  readonly validateLiveUpdateMemory: (spec: VmiSpec, maxGuest: string | number | undefined) => string | undefined;
}

// the rules ask several times per admission, always with the same version object (the profile's)
const SWITCHES = new WeakMap<KubeVirtVersion, AdmissionSwitches>();

/** The version switches of the admission rules, each named for what it changes (and checked against the tags). */
export function admissionSwitches(v: KubeVirtVersion): AdmissionSwitches {
  let switches = SWITCHES.get(v);
  if (!switches) {
    switches = Object.freeze(computeSwitches(v));
    SWITCHES.set(v, switches);
  }
  return switches;
}

function computeSwitches(v: KubeVirtVersion) {
  return {
    /** v1.0–v1.1: `spec.liveUpdateFeatures` and its rules (removed in v1.2.0) */
    liveUpdateFeaturesApi: !atLeast(v, 2),
    /** v1.1: memory in liveUpdateFeatures, `Memory maxGuest cannot be set directy` */
    liveUpdateFeaturesMemory: v.minor === 1,
    /** v1.0–v1.1: old-vs-new checks on a running VM (`validateVMUpdate`) */
    runningVmUpdateRules: !atLeast(v, 2),
    /** v1.2.0 only: instance types rejected under LiveUpdate */
    instancetypeRejectedUnderLiveUpdate: v.minor === 2 && v.patch === 0,
    /** v1.2.0–v1.2.1: CPU requests/limits rejected under LiveUpdate (`hasCPURequestsOrLimits`, deleted in v1.2.2) */
    cpuResourcesRejectedUnderLiveUpdate: v.minor === 2 && v.patch <= 1,
    /** v1.2.0 only: memory limits rejected with an explicit maxGuest under LiveUpdate */
    memoryLimitsRejectedUnderLiveUpdate: v.minor === 2 && v.patch === 0,
    /** v1.1–v1.2.x: the vms-admitter's own memory rules (many causes); v1.3+: pkg/liveupdate/memory (first error) */
    legacyMemoryValidation: !atLeast(v, 3),
    /** v1.2.1+: validateGuestMemoryLimit is skipped under LiveUpdate */
    guestMemoryLimitSkippedUnderLiveUpdate: atLeast(v, 2, 1),
    /** v1.3–v1.4: updateVolumesStrategy needs the VolumesUpdateStrategy/VolumeMigration gates under LiveUpdate */
    volumesUpdateStrategyGates: atLeast(v, 3) && !atLeast(v, 5),
    /** v1.3+: the defaults step sets memory.guest from requests/limits/hugepages (setGuestMemory) */
    defaultsGuestMemory: atLeast(v, 3),
    /**
     * How the defaults step fills requests.memory: v1.0–v1.6.3 from limits, else guest/hugepages scaled by
     * memoryOvercommit; v1.6.2 the same without the overcommit scaling; v1.6.4+ and v1.7+ not at all.
     */
    defaultsMemoryRequests: memoryRequestDefaults(v),
    /** v1.0–v1.3: NUMA passthrough needs the NUMA gate (GA in v1.4.0) */
    numaGateRequired: !atLeast(v, 4),
    /** v1.1+: arm64 threads > 1 rejected with dedicated CPUs */
    armThreadRule: atLeast(v, 1),
    /** v1.6.4 / v1.7.0+: hugepages sizing falls back to guest, then limits; memory-provided rule names hugepages and guest */
    memoryFallbacks: hasBackport(v, [
      [1, 6, 4],
      [1, 7, 0],
    ]),
    /** v1.8+: hugepages messages name `domain.memory.hugepages.pageSize` (before: `domain.hugepages.size`) */
    hugepagesPageSizePath: atLeast(v, 8),
    /** v1.0–v1.7: an architecture other than virt-api's own needs the MultiArchitecture gate */
    multiArchitectureGate: !atLeast(v, 8),
    /** message wording of that rule: v1.0–v1.2 "multi-architecture", v1.3+ the gate name */
    multiArchitectureGateName: atLeast(v, 3) ? "MultiArchitecture" : "multi-architecture",
    /** v1.1+: the VMI update admitter also denies maxGuest changes */
    vmiMaxGuestImmutable: atLeast(v, 1),
    /** v1.0: the running-VM migration message named CPU sockets */
    migrationMessage: atLeast(v, 1)
      ? "cannot update while VMI migration is in progress"
      : "cannot update CPU sockets while VMI migration is in progress",
  };
}

export type AdmissionSwitches = Readonly<ReturnType<typeof computeSwitches>>;

function memoryRequestDefaults(v: KubeVirtVersion): "overcommit" | "plain" | "none" {
  if (atLeast(v, 7)) return "none";
  if (v.minor === 6 && v.patch >= 4) return "none";
  if (v.minor === 6 && v.patch === 2) return "plain";
  return "overcommit";
}
