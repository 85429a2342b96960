import type { ClusterConfig } from "../clusterConfig";
import * as clusterConfigModule from "../clusterConfig";
import type { PlanInput } from "../plan";
import type { VersionProfile } from "../versionProfile";
import type { KubeVirtVersion } from "../version";
import * as versionModule from "../version";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { resolveClusterConfig } = clusterConfigModule;
const { NEWEST_SUPPORTED, parseKubeVirtVersion, VersionError } = versionModule;

// Plans over many VMs share one KubeVirt CR: its resolved configuration is kept per CR object and version
// (inputs are treated as immutable).
const CLUSTER_CONFIGS = new WeakMap<object, Map<string, ClusterConfig>>();
const DEFAULT_CLUSTER_CONFIGS = new Map<string, ClusterConfig>();

export function clusterConfigFor(
  kubevirt: PlanInput["kubevirt"],
  version: KubeVirtVersion,
  profile: VersionProfile,
): ClusterConfig {
  let byVersion = kubevirt ? CLUSTER_CONFIGS.get(kubevirt) : DEFAULT_CLUSTER_CONFIGS;
  if (!byVersion) {
    byVersion = new Map();
    CLUSTER_CONFIGS.set(kubevirt!, byVersion);
  }
  const key = profile.label; // formatVersion(version), already made
  let config = byVersion.get(key);
  if (!config) {
    config = resolveClusterConfig(kubevirt, version);
    byVersion.set(key, config);
  }
  return config;
}

// Versions parsed from text, kept so that every plan for "v1.4.1" uses one (immutable) version object, which the
// version profile and admission switches are found by. Bounded: a few versions per cluster.
const PARSED_VERSIONS = new Map<string, KubeVirtVersion>();
const PARSED_VERSIONS_LIMIT = 256;

function parseVersionText(text: string): KubeVirtVersion {
  let version = PARSED_VERSIONS.get(text);
  if (!version) {
    version = parseKubeVirtVersion(text);
    if (PARSED_VERSIONS.size >= PARSED_VERSIONS_LIMIT) PARSED_VERSIONS.clear();
    PARSED_VERSIONS.set(text, version);
  }
  return version;
}

export function resolveVersion(input: PlanInput, messages: string[]): KubeVirtVersion {
  if (input.version !== undefined) {
    return typeof input.version === "string" ? parseVersionText(input.version) : input.version;
  }
  const observed = input.kubevirt?.status?.observedKubeVirtVersion;
  if (observed) {
    try {
      return parseVersionText(observed);
    } catch (e) {
      const why = e instanceof VersionError ? e.why : String(e);
      messages.push(
        `KubeVirt status.observedKubeVirtVersion ${JSON.stringify(observed)} is not usable (${why}): planned for ${NEWEST_SUPPORTED.raw}`,
      );
      return NEWEST_SUPPORTED;
    }
  }
  messages.push(
    `no KubeVirt version given: planned for ${NEWEST_SUPPORTED.raw} (pass version or a KubeVirt CR with status)`,
  );
  return NEWEST_SUPPORTED;
}
