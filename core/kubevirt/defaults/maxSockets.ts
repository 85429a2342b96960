import type { ClusterConfig } from "../clusterConfig";
import type { VersionProfile } from "../versionProfile";
import type { Topology } from "./topology";

export const MAX_VCPUS = 512;

export type MaxSocketsSource =
  /** the VM template (or, v1.3+, the instance type) sets maxSockets */
  | "explicit"
  /** v1.0/v1.1: spec.liveUpdateFeatures.cpu.maxSockets */
  | "liveUpdateFeatures"
  /** the cluster's liveUpdateConfiguration.maxCpuSockets */
  | "cluster"
  /** v1.4+: the cluster's maxCpuSockets was below sockets, so maxSockets = sockets */
  | "cluster-raised-to-sockets"
  /** sockets × maxHotplugRatio */
  | "ratio"
  /** sockets × maxHotplugRatio, capped at 512 vCPUs (v1.4.1 / v1.5.1 / v1.6.0+) */
  | "ratio-capped"
  /** no hotplug defaults: Stage rollout, arm64 (v1.5.2 / v1.6.0+), or v1.0/v1.1 without liveUpdateFeatures.cpu */
  | "none";

export interface MaxSocketsInput {
  /** the VMI topology after SetDefaultGuestCPUTopology */
  readonly topology: Topology;
  /** the VMI template's maxSockets (VM template, or the instance type's spec.cpu.maxSockets from v1.3) */
  readonly explicitMaxSockets?: number;
  /** v1.0/v1.1: whether spec.liveUpdateFeatures (v1.0) / liveUpdateFeatures.cpu (v1.1) is present */
  readonly liveUpdateFeaturesCpu?: boolean;
  /** v1.0/v1.1: spec.liveUpdateFeatures.cpu.maxSockets */
  readonly liveUpdateFeaturesMaxSockets?: number;
  /** the VMI architecture (after the cluster default) */
  readonly architecture: string;
  readonly cluster: ClusterConfig;
  readonly profile: VersionProfile;
}

export interface MaxSocketsResult {
  /** the VMI's spec.domain.cpu.maxSockets (0 = no CPU hotplug) */
  readonly maxSockets: number;
  readonly source: MaxSocketsSource;
  /**
   * v1.2–v1.3.1: sockets above the cluster's maxCpuSockets make the VMI fail VMI admission, so the VM cannot
   * start; this is KubeVirt's message.
   */
  readonly vmiAdmissionError?: string;
}

/**
 * The maxSockets a VMI gets when it boots (rules §3.2): VM/instance type > cluster maxCpuSockets (raised to
 * sockets from v1.4) > sockets × maxHotplugRatio (512-vCPU cap from v1.4.1/v1.5.1/v1.6.0), per version.
 */
export function computeMaxSockets(input: MaxSocketsInput): MaxSocketsResult {
  const { topology, cluster, profile } = input;
  const explicit = input.explicitMaxSockets ?? 0;
  const ratio = cluster.maxHotplugRatio;
  const clusterMax = cluster.maxCpuSockets ?? 0;

  if (profile.liveUpdateFeaturesApi) {
    // v1.0 setupLiveFeatures / v1.1 setupCPUHotplug, VM controller, only with liveUpdateFeatures(.cpu)
    if (!input.liveUpdateFeaturesCpu) return { maxSockets: explicit, source: explicit ? "explicit" : "none" };
    if (input.liveUpdateFeaturesMaxSockets) {
      return { maxSockets: input.liveUpdateFeaturesMaxSockets, source: "liveUpdateFeatures" };
    }
    if (explicit) return { maxSockets: explicit, source: "explicit" };
    if (clusterMax) return { maxSockets: clusterMax, source: "cluster" };
    return { maxSockets: topology.sockets * ratio, source: "ratio" };
  }

  if (explicit) return { maxSockets: explicit, source: "explicit" };
  if (!cluster.liveUpdate) return { maxSockets: 0, source: "none" };
  if (profile.armSkipsHotplugDefaults && input.architecture === "arm64") return { maxSockets: 0, source: "none" };

  if (clusterMax) {
    if (topology.sockets > clusterMax) {
      if (profile.maxCpuSocketsRaisedToSockets) {
        return { maxSockets: topology.sockets, source: "cluster-raised-to-sockets" };
      }
      return {
        maxSockets: clusterMax,
        source: "cluster",
        vmiAdmissionError: "Number of sockets in CPU topology is greater than the maximum sockets allowed",
      };
    }
    return { maxSockets: clusterMax, source: "cluster" };
  }

  // v1.2 computed this in the VM controller before the topology defaults, falling back to the defaulted
  // sockets when the template had none: `topology` is already defaulted, so both give the same number.
  let maxSockets = topology.sockets * ratio;
  if (profile.maxSocketsCap512) {
    const perSocket = topology.cores * topology.threads;
    if (maxSockets * perSocket > MAX_VCPUS) {
      maxSockets = Math.max(Math.floor(MAX_VCPUS / perSocket), topology.sockets);
      return { maxSockets, source: "ratio-capped" };
    }
  }
  return { maxSockets, source: "ratio" };
}
