import { resolveClusterConfig, LIVE_UPDATE_GATE } from "../core/kubevirt/clusterConfig";
import { featureGateTable } from "../core/kubevirt/featureGates";
import { formatQuantity, isMultipleOf, Mi, parseQuantity, compareQuantities } from "../core/kubevirt/quantity";
import { type KubeVirt } from "../core/kubevirt/schema";
import { formatVersion, parseKubeVirtVersion, VersionError, type KubeVirtVersion } from "../core/kubevirt/version";
import { versionProfile, type VersionProfile } from "../core/kubevirt/versionProfile";
import { type ArgumentErrorFactory } from "./argumentError";

/**
 * What KubeVirtLiveUpdates writes into the KubeVirt CR, worked out from the cluster's version (core's
 * versionProfile) and the lists the CR holds now. Pure functions: the component does the I/O.
 *
 * `developerConfiguration.featureGates` and `workloadUpdateStrategy.workloadUpdateMethods` are atomic
 * lists in the KubeVirt CRD (`+listType=atomic`, and no list type at all before v1.8, which Kubernetes
 * also treats as atomic): server-side apply owns and replaces such a list as a whole. Applying only our
 * entries would remove everyone else's, so the patch always carries the whole list: the entries the CR
 * has now (read at deployment time), plus the ones to keep that the program names, plus ours.
 */

export const LIVE_MIGRATE = "LiveMigrate";

/** The checked arguments of KubeVirtLiveUpdates. */
export interface LiveUpdatesRequest {
  readonly version: KubeVirtVersion;
  readonly profile: VersionProfile;
  readonly maxCpuSockets?: number;
  /** canonical quantity, e.g. "64Gi" */
  readonly maxGuest?: string;
  readonly maxHotplugRatio?: number;
  /** other gates to enable alongside the live-update ones (e.g. CPUManager), as given */
  readonly featureGates: readonly string[];
}

/** Parses the version argument; errors name the argument. */
export function checkVersion(raw: unknown, err: ArgumentErrorFactory, argument = "version"): KubeVirtVersion {
  if (typeof raw !== "string" || raw.trim() === "") {
    throw err(argument, `expected the cluster's KubeVirt version as a string such as "v1.4.1", got ${describe(raw)}`);
  }
  try {
    return parseKubeVirtVersion(raw);
  } catch (e) {
    if (e instanceof VersionError) throw err(argument, e.message);
    throw e;
  }
}

export interface LiveUpdatesRawArgs {
  readonly version: unknown;
  readonly maxCpuSockets?: unknown;
  readonly maxGuest?: unknown;
  readonly maxHotplugRatio?: unknown;
  readonly featureGates?: unknown;
}

/** Checks every argument against the version; throws an ArgumentError naming the first bad one. */
export function checkLiveUpdatesArgs(args: LiveUpdatesRawArgs, err: ArgumentErrorFactory): LiveUpdatesRequest {
  const version = checkVersion(args.version, err);
  const profile = versionProfile(version);
  const label = formatVersion(version);
  const fields = profile.liveUpdateConfigFields as readonly string[];

  let maxCpuSockets: number | undefined;
  if (args.maxCpuSockets !== undefined && args.maxCpuSockets !== null) {
    maxCpuSockets = positiveInteger(args.maxCpuSockets, "maxCpuSockets", err);
  }
  let maxHotplugRatio: number | undefined;
  if (args.maxHotplugRatio !== undefined && args.maxHotplugRatio !== null) {
    if (!fields.includes("maxHotplugRatio")) {
      throw err(
        "maxHotplugRatio",
        `liveUpdateConfiguration.maxHotplugRatio does not exist in KubeVirt ${label} (added in v1.1.0; v1.0 always uses 4)`,
      );
    }
    const ratio = args.maxHotplugRatio;
    if (typeof ratio !== "number" || !Number.isInteger(ratio) || ratio < 1 || ratio > 0xffffffff) {
      throw err(
        "maxHotplugRatio",
        `expected a whole number >= 1 (the maximum is ratio x the boot size), got ${describe(ratio)}`,
      );
    }
    maxHotplugRatio = ratio;
  }
  let maxGuest: string | undefined;
  if (args.maxGuest !== undefined && args.maxGuest !== null) {
    if (!fields.includes("maxGuest")) {
      throw err(
        "maxGuest",
        `liveUpdateConfiguration.maxGuest does not exist in KubeVirt ${label} (memory hotplug arrived in v1.1.0)`,
      );
    }
    maxGuest = checkMemoryCeiling(args.maxGuest, "maxGuest", profile, err);
  }
  const featureGates = checkGateList(args.featureGates, "featureGates", err);
  return { version, profile, maxCpuSockets, maxGuest, maxHotplugRatio, featureGates };
}

/** A cluster-wide maxGuest: a quantity, 2Mi aligned, and at least 1Gi where memory hotplug needs 1Gi guests. */
export function checkMemoryCeiling(raw: unknown, argument: string, profile: VersionProfile, err: ArgumentErrorFactory) {
  if (typeof raw !== "string" && typeof raw !== "number") {
    throw err(argument, `expected a memory quantity such as "64Gi", got ${describe(raw)}`);
  }
  let canonical: string;
  try {
    canonical = formatQuantity(parseQuantity(raw));
  } catch (e) {
    throw err(argument, (e as Error).message);
  }
  if (compareQuantities(raw, 0) <= 0) throw err(argument, `expected a positive quantity, got ${JSON.stringify(raw)}`);
  if (!isMultipleOf(raw, 2n * Mi)) {
    throw err(
      argument,
      `${JSON.stringify(raw)} is not 2Mi aligned: KubeVirt disables memory hotplug ("MaxGuest must be 2Mi aligned")`,
    );
  }
  if (profile.memoryMinimum1Gi && compareQuantities(raw, "1Gi") < 0) {
    throw err(
      argument,
      `${JSON.stringify(raw)} is below 1Gi: KubeVirt ${profile.label} needs at least 1Gi of guest memory for memory hotplug, so no VM could use it`,
    );
  }
  return canonical;
}

function positiveInteger(raw: unknown, argument: string, err: ArgumentErrorFactory): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 1 || raw > 0xffffffff) {
    throw err(argument, `expected a whole number >= 1, got ${describe(raw)}`);
  }
  return raw;
}

export function checkGateList(raw: unknown, argument: string, err: ArgumentErrorFactory): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw err(argument, `expected a list of feature gate names, got ${describe(raw)}`);
  raw.forEach((gate, i) => {
    if (typeof gate !== "string" || !/^[A-Za-z][A-Za-z0-9]*$/.test(gate)) {
      throw err(`${argument}[${i}]`, `expected a feature gate name such as "CPUManager", got ${describe(gate)}`);
    }
  });
  return [...(raw as string[])];
}

/** Checks a list of workload-update methods: each LiveMigrate or Evict. */
export function checkMethodList(raw: unknown, argument: string, err: ArgumentErrorFactory): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw err(argument, `expected a list of workload-update methods, got ${describe(raw)}`);
  raw.forEach((method, i) => {
    if (method !== "LiveMigrate" && method !== "Evict") {
      throw err(`${argument}[${i}]`, `expected "LiveMigrate" or "Evict", got ${describe(method)}`);
    }
  });
  return [...(raw as string[])];
}

/** The lists the CR holds now (read at deployment time) and the entries the program says to keep. */
export interface CurrentLists {
  readonly featureGates: readonly string[];
  readonly disabledFeatureGates: readonly string[];
  readonly workloadUpdateMethods: readonly string[];
}

export interface GateMerge {
  /** the whole list to apply, or undefined when no gate is needed (the list is then left alone) */
  readonly featureGates: readonly string[] | undefined;
  /** gates this component needs */
  readonly wanted: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * The featureGates list to apply: the current entries in their order, then each wanted gate that is
 * missing. GA gates are not added (listing them only earns a warning from KubeVirt). A wanted gate in
 * disabledFeatureGates is an error: KubeVirt forbids a gate in both lists.
 */
export function mergeFeatureGates(
  version: KubeVirtVersion,
  wantedGates: readonly string[],
  current: Pick<CurrentLists, "featureGates" | "disabledFeatureGates">,
  where: string,
): GateMerge {
  const table = featureGateTable(version);
  const label = formatVersion(version);
  const warnings: string[] = [];
  const wanted: string[] = [];
  for (const gate of new Set(wantedGates)) {
    if (table.ga.has(gate)) {
      warnings.push(`feature gate ${gate} is GA in KubeVirt ${label}: it is always on, so it is not added`);
      continue;
    }
    wanted.push(gate);
  }
  for (const gate of wanted) {
    if (current.disabledFeatureGates.includes(gate)) {
      throw new Error(
        `${where} lists ${gate} in spec.configuration.developerConfiguration.disabledFeatureGates; KubeVirt forbids a gate in both featureGates and disabledFeatureGates: remove it from disabledFeatureGates first`,
      );
    }
  }
  for (const gate of current.featureGates) {
    if (gate === LIVE_UPDATE_GATE && table.ga.has(gate)) {
      warnings.push(
        `${where} lists ${LIVE_UPDATE_GATE}, which is GA in KubeVirt ${label}: KubeVirt warns that it is redundant; livevm keeps it because another manager set it`,
      );
    }
  }
  if (wanted.length === 0) return { featureGates: undefined, wanted, warnings };
  const merged = dedupe(current.featureGates);
  for (const gate of wanted) if (!merged.includes(gate)) merged.push(gate);
  return { featureGates: merged, wanted, warnings };
}

/** workloadUpdateMethods with LiveMigrate: the current entries in their order, LiveMigrate appended when missing. */
export function mergeWorkloadUpdateMethods(current: readonly string[]): string[] {
  const merged = dedupe(current);
  if (!merged.includes(LIVE_MIGRATE)) merged.push(LIVE_MIGRATE);
  return merged;
}

/** The gates KubeVirtLiveUpdates needs for this version, plus the extra ones asked for. */
export function liveUpdateGates(request: LiveUpdatesRequest): string[] {
  return [...(request.profile.liveUpdateGateRequired ? [LIVE_UPDATE_GATE] : []), ...request.featureGates];
}

/** The `spec` of the CustomResourcePatch on the KubeVirt CR. */
export interface KubeVirtPatchSpec {
  configuration: {
    developerConfiguration?: { featureGates: string[] };
    vmRolloutStrategy?: "LiveUpdate";
    liveUpdateConfiguration?: { maxCpuSockets?: number; maxGuest?: string; maxHotplugRatio?: number };
  };
  workloadUpdateStrategy: { workloadUpdateMethods: string[] };
}

export interface LiveUpdatesPlan {
  readonly spec: KubeVirtPatchSpec;
  readonly warnings: readonly string[];
  /** the settings as they will be once the patch is applied over the current CR */
  readonly effective: EffectiveLiveUpdateSettings;
}

/** The cluster's live-update settings, for VMs to size their headroom with. */
export interface EffectiveLiveUpdateSettings {
  /** the KubeVirt version, e.g. v1.4.1 */
  readonly version: string;
  /** vmRolloutStrategy in effect (undefined before v1.2, where it does not exist) */
  readonly vmRolloutStrategy?: "Stage" | "LiveUpdate";
  /** whether KubeVirt applies live updates (gate and strategy as this version needs them) */
  readonly liveUpdate: boolean;
  readonly featureGates: readonly string[];
  readonly workloadUpdateMethods: readonly string[];
  /** cluster maxCpuSockets, when set */
  readonly maxCpuSockets?: number;
  /** cluster maxGuest, when set */
  readonly maxGuest?: string;
  /** the ratio KubeVirt uses for VMs without their own maximum (default 4) */
  readonly maxHotplugRatio: number;
}

/**
 * The patch for the KubeVirt CR and the settings it results in. `current` is the CR as it is now
 * (undefined when the program chose not to read it), `keep` the list entries the program names.
 */
export function planLiveUpdatesPatch(
  request: LiveUpdatesRequest,
  current: KubeVirt | undefined,
  keep: { featureGates: readonly string[]; workloadUpdateMethods: readonly string[] },
  where: string,
  err: ArgumentErrorFactory,
): LiveUpdatesPlan {
  const { profile, version } = request;
  const observed = current?.status?.observedKubeVirtVersion;
  if (observed) {
    let running: KubeVirtVersion | undefined;
    try {
      running = parseKubeVirtVersion(observed, false);
    } catch {
      running = undefined;
    }
    if (running && (running.major !== version.major || running.minor !== version.minor)) {
      throw err(
        "version",
        `${where} runs KubeVirt ${observed} (status.observedKubeVirtVersion), not ${formatVersion(version)}: set version to "${observed}"`,
      );
    }
  }
  const dev = current?.spec?.configuration?.developerConfiguration;
  const lists: CurrentLists = {
    featureGates: [...(dev?.featureGates ?? []), ...keep.featureGates],
    disabledFeatureGates: dev?.disabledFeatureGates ?? [],
    workloadUpdateMethods: [
      ...(current?.spec?.workloadUpdateStrategy?.workloadUpdateMethods ?? []),
      ...keep.workloadUpdateMethods,
    ],
  };
  const gates = mergeFeatureGates(version, liveUpdateGates(request), lists, where);
  const methods = mergeWorkloadUpdateMethods(lists.workloadUpdateMethods);
  const liveUpdateConfiguration: NonNullable<KubeVirtPatchSpec["configuration"]["liveUpdateConfiguration"]> = {};
  if (request.maxCpuSockets !== undefined) liveUpdateConfiguration.maxCpuSockets = request.maxCpuSockets;
  if (request.maxGuest !== undefined) liveUpdateConfiguration.maxGuest = request.maxGuest;
  if (request.maxHotplugRatio !== undefined) liveUpdateConfiguration.maxHotplugRatio = request.maxHotplugRatio;

  const spec: KubeVirtPatchSpec = { configuration: {}, workloadUpdateStrategy: { workloadUpdateMethods: methods } };
  if (gates.featureGates) spec.configuration.developerConfiguration = { featureGates: [...gates.featureGates] };
  if (profile.rolloutStrategyField) spec.configuration.vmRolloutStrategy = "LiveUpdate";
  if (Object.keys(liveUpdateConfiguration).length > 0)
    spec.configuration.liveUpdateConfiguration = liveUpdateConfiguration;

  const after = applyPatch(current, spec);
  const config = resolveClusterConfig(after, version);
  const effective: EffectiveLiveUpdateSettings = {
    version: formatVersion(version),
    ...(config.rolloutStrategy ? { vmRolloutStrategy: config.rolloutStrategy } : {}),
    liveUpdate: config.liveUpdate,
    featureGates: config.featureGates,
    workloadUpdateMethods: config.workloadUpdateMethods,
    ...(config.maxCpuSockets !== undefined ? { maxCpuSockets: config.maxCpuSockets } : {}),
    ...(config.maxGuest !== undefined ? { maxGuest: formatQuantity(config.maxGuest) } : {}),
    maxHotplugRatio: config.maxHotplugRatio,
  };
  return { spec, warnings: gates.warnings, effective };
}

/** The CR as it will be after the server-side apply of `spec` (our fields win; everything else stays). */
function applyPatch(current: KubeVirt | undefined, spec: KubeVirtPatchSpec): KubeVirt {
  const base = current ?? {};
  const configuration = base.spec?.configuration ?? {};
  return {
    ...base,
    spec: {
      ...base.spec,
      configuration: {
        ...configuration,
        ...(spec.configuration.developerConfiguration
          ? {
              developerConfiguration: {
                ...configuration.developerConfiguration,
                featureGates: spec.configuration.developerConfiguration.featureGates,
              },
            }
          : {}),
        ...(spec.configuration.vmRolloutStrategy ? { vmRolloutStrategy: spec.configuration.vmRolloutStrategy } : {}),
        liveUpdateConfiguration: {
          ...configuration.liveUpdateConfiguration,
          ...spec.configuration.liveUpdateConfiguration,
        },
      },
      workloadUpdateStrategy: {
        ...base.spec?.workloadUpdateStrategy,
        workloadUpdateMethods: spec.workloadUpdateStrategy.workloadUpdateMethods as ("LiveMigrate" | "Evict")[],
      },
    },
  };
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}

export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" && value !== null ? "an object" : typeof value;
}
