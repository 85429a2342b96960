/**
 * The cluster-wide KubeVirt settings the controllers read, derived from the KubeVirt CR and the
 * sandbox's KubeVirt version (`pkg/virt-config`): rollout strategy, feature gates, workload update
 * methods, liveUpdateConfiguration defaults, migration parallelism, eviction strategy.
 */
import { atLeast, type KubeVirtVersion } from "../../core/kubevirt/version";

export interface ClusterConfig {
  readonly version: KubeVirtVersion;
  readonly featureGates: ReadonlySet<string>;
  /** `IsVMRolloutStrategyLiveUpdate()` for v1.2+; false before v1.2 (no rollout strategy existed). */
  readonly liveUpdate: boolean;
  readonly workloadUpdateMethods: readonly string[];
  readonly maxHotplugRatio: number;
  readonly maxCpuSockets?: number;
  readonly maxGuest?: string;
  readonly parallelMigrationsPerCluster: number;
  readonly evictionStrategy?: string;
  readonly defaultArchitecture: string;
  readonly cpuAllocationRatio: number;
  readonly additionalGuestMemoryOverheadRatio?: string;
}

/** Gates that are GA in a version: always on, listing them is redundant. */
function gaGates(v: KubeVirtVersion): string[] {
  const ga: string[] = [];
  if (atLeast(v, 5)) ga.push("VMLiveUpdateFeatures", "VolumesUpdateStrategy", "VolumeMigration");
  if (atLeast(v, 4)) ga.push("NUMA", "HotplugNICs");
  if (atLeast(v, 6)) ga.push("VMPersistentState");
  if (atLeast(v, 9)) ga.push("MigrationPriorityQueue", "LiveUpdateNADRef");
  return ga;
}

/** Beta gates on by default from v1.9 (GA > explicit enable > explicit disable > Beta). */
function betaGates(v: KubeVirtVersion): string[] {
  if (!atLeast(v, 9)) return [];
  return ["DeclarativeHotplugVolumes"];
}

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

export function clusterConfig(version: KubeVirtVersion, kubevirt: Record<string, unknown> | undefined): ClusterConfig {
  const spec = (kubevirt?.spec ?? {}) as Record<string, unknown>;
  const conf = (spec.configuration ?? {}) as Record<string, unknown>;
  const explicit = get(conf, "developerConfiguration", "featureGates");
  const disabled = get(conf, "developerConfiguration", "disabledFeatureGates");
  const gates = new Set<string>([...gaGates(version)]);
  for (const g of betaGates(version)) if (!(Array.isArray(disabled) && disabled.includes(g))) gates.add(g);
  if (Array.isArray(explicit)) for (const g of explicit) if (typeof g === "string") gates.add(g);

  const strategy = conf.vmRolloutStrategy;
  let liveUpdate: boolean;
  if (!atLeast(version, 2)) liveUpdate = false;
  else if (!atLeast(version, 5)) liveUpdate = gates.has("VMLiveUpdateFeatures") && strategy === "LiveUpdate";
  else if (!atLeast(version, 6)) liveUpdate = strategy === "LiveUpdate";
  else liveUpdate = strategy === undefined || strategy === null || strategy === "LiveUpdate";

  const luc = (conf.liveUpdateConfiguration ?? {}) as Record<string, unknown>;
  const ratio = typeof luc.maxHotplugRatio === "number" && luc.maxHotplugRatio > 0 ? luc.maxHotplugRatio : 4;
  const methods = get(spec, "workloadUpdateStrategy", "workloadUpdateMethods");
  const parallel = get(conf, "migrations", "parallelMigrationsPerCluster");
  const ratioCpu = get(conf, "developerConfiguration", "cpuAllocationRatio");
  const defaultArch = get(kubevirt, "status", "defaultArchitecture");
  return {
    version,
    featureGates: gates,
    liveUpdate,
    workloadUpdateMethods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : [],
    maxHotplugRatio: ratio,
    ...(typeof luc.maxCpuSockets === "number" && luc.maxCpuSockets > 0 ? { maxCpuSockets: luc.maxCpuSockets } : {}),
    ...(luc.maxGuest !== undefined && luc.maxGuest !== null ? { maxGuest: String(luc.maxGuest) } : {}),
    parallelMigrationsPerCluster: typeof parallel === "number" && parallel > 0 ? parallel : 5,
    ...(typeof conf.evictionStrategy === "string" ? { evictionStrategy: conf.evictionStrategy } : {}),
    defaultArchitecture: typeof defaultArch === "string" && defaultArch ? defaultArch : "amd64",
    cpuAllocationRatio: typeof ratioCpu === "number" && ratioCpu > 0 ? ratioCpu : 10,
    ...(typeof conf.additionalGuestMemoryOverheadRatio === "string"
      ? { additionalGuestMemoryOverheadRatio: conf.additionalGuestMemoryOverheadRatio }
      : {}),
  };
}
