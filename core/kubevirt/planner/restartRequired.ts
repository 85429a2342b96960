import type { ClusterConfig } from "../clusterConfig";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import type { Leaf } from "./diff";
import * as diffModule from "./diff";
import type { FieldGroup } from "./fieldGroups";
import * as liveVolumesModule from "./liveVolumes";
import * as networkRestartModule from "./networkRestart";
import * as semanticEqualModule from "./semanticEqual";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { diffLeaves } = diffModule;
const { invalidLiveUpdateDisk, invalidLiveUpdateVolume } = liveVolumesModule;
const { networkRestartReason } = networkRestartModule;
const { semanticEqual } = semanticEqualModule;

type Domain = NonNullable<VmiSpec["domain"]>;

export const TEMPLATE_SPEC_PATH = "spec.template.spec";
export const TEMPLATE_SPEC_FIELDS = ["spec", "template", "spec"] as const;

export interface Neutralisation {
  /** the leaves that still differ: each is a "non-live-updatable field" */
  readonly remaining: readonly Leaf[];
  readonly remainingPaths: ReadonlySet<string>;
  /** why a live-updatable group was not neutralised (e.g. which volume is not hotpluggable) */
  readonly notNeutralisedBecause: ReadonlyMap<FieldGroup, string>;
}

/**
 * The RestartRequired comparison (`syncRestartRequired`, `addRestartRequiredIfNeeded` before v1.8; rules §1.1),
 * v1.2+: copies the live-updatable fields of the current template onto the start template, per version, and
 * returns what still differs.
 */
export function neutralise(
  start: VmiSpec,
  current: VmiSpec,
  vm: VirtualMachine,
  vmi: VirtualMachineInstance,
  cluster: ClusterConfig,
  profile: VersionProfile,
): Neutralisation {
  const because = new Map<FieldGroup, string>();
  const last: VmiSpec = { ...start };
  const lastDomain = (last.domain = { ...(start.domain ?? {}) });
  const curDomain = current.domain ?? {};
  const live = cluster.liveUpdate;

  // volumes and disks
  const volumeProblem = invalidLiveUpdateVolume(start, current, vm.spec.updateVolumesStrategy, profile);
  const diskProblem = invalidLiveUpdateDisk(start, current, profile);
  switch (profile.volumeNeutralisation) {
    case "all-under-live-update":
      if (live) {
        copyVolumes(last, current);
        copyDisks(lastDomain, curDomain);
      }
      break;
    case "validated-under-live-update":
      if (live) {
        if (!volumeProblem) copyVolumes(last, current);
        if (!diskProblem) copyDisks(lastDomain, curDomain);
      } else if (
        profile.stageImperativeVolumeHotplug &&
        semanticEqual(current.volumes, vmi.spec.volumes, "volumes") &&
        semanticEqual(curDomain.devices?.disks, vmi.spec.domain?.devices?.disks, "disks")
      ) {
        copyVolumes(last, current);
        copyDisks(lastDomain, curDomain);
      }
      break;
    case "validated-always":
      if (!volumeProblem) copyVolumes(last, current);
      if (!diskProblem) copyDisks(lastDomain, curDomain);
      break;
    case "none":
      break;
  }
  if (volumeProblem) because.set("volumes", volumeProblem);
  if (diskProblem) because.set("disks", diskProblem);
  if (!live && profile.volumeNeutralisation === "validated-under-live-update") {
    because.set(
      "volumes",
      because.get("volumes") ?? "volume changes are live-updatable only under the LiveUpdate rollout strategy",
    );
    because.set(
      "disks",
      because.get("disks") ?? "disk changes are live-updatable only under the LiveUpdate rollout strategy",
    );
  }

  if (live) {
    if (start.domain?.cpu && curDomain.cpu) {
      lastDomain.cpu = { ...start.domain.cpu, sockets: curDomain.cpu.sockets };
    } else {
      because.set(
        "cpuSockets",
        "sockets are live-updatable only when domain.cpu exists in both the running and the new template; adding or removing the cpu stanza needs a restart",
      );
    }
    if (profile.memoryNeutralisationNilTolerant) {
      if (curDomain.memory?.guest != null) {
        lastDomain.memory = { ...(start.domain?.memory ?? {}), guest: curDomain.memory.guest };
      } else {
        because.set("memoryGuest", "removing memory.guest is not a live update");
      }
    } else if (start.domain?.memory && curDomain.memory) {
      lastDomain.memory = { ...start.domain.memory, guest: curDomain.memory.guest };
    } else {
      because.set(
        "memoryGuest",
        `in ${profile.label} guest memory is live-updatable only when domain.memory exists in both the running and the new template`,
      );
    }
    last.nodeSelector = current.nodeSelector;
    last.affinity = current.affinity;
    if (profile.tolerationsLive) {
      last.tolerations = current.tolerations;
    } else {
      because.set("tolerations", `tolerations are live-updatable from KubeVirt v1.4.0 (this is ${profile.label})`);
    }
  } else {
    const why = liveUpdateOffReason(cluster, profile);
    for (const g of ["cpuSockets", "memoryGuest", "nodeSelector", "affinity", "tolerations"] as const)
      because.set(g, why);
  }

  if (profile.networkHotplugLive) {
    const ignoreNad =
      profile.nadRefLive === "always" ||
      (profile.nadRefLive === "gate" && cluster.isFeatureGateEnabled("LiveUpdateNADRef"));
    const problem = networkRestartReason(current, vmi.spec, ignoreNad, profile.podNetworkAddRestart);
    if (!problem) {
      lastDomain.devices = { ...(lastDomain.devices ?? {}), interfaces: curDomain.devices?.interfaces };
      last.networks = current.networks;
    } else {
      because.set("network", problem);
    }
  } else {
    because.set(
      "network",
      `network hotplug without RestartRequired needs KubeVirt v1.4.1, v1.5.2 or v1.6.0+ (this is ${profile.label})`,
    );
  }

  if (profile.firmwareUuidNeutralised) {
    const vmiUuid = vmi.spec.domain?.firmware?.uuid;
    const vmUuid = curDomain.firmware?.uuid;
    if (vmi.spec.domain?.firmware && curDomain.firmware && vmiUuid === vmUuid) {
      lastDomain.firmware = { ...(lastDomain.firmware ?? {}), uuid: vmUuid };
    } else {
      because.set("firmwareUuid", "the firmware UUID differs from the one the VMI runs with");
    }
  }

  const remaining = diffLeaves(last, current, TEMPLATE_SPEC_PATH, TEMPLATE_SPEC_FIELDS);
  return {
    remaining,
    remainingPaths: remaining.length === 0 ? NO_PATHS : pathsOf(remaining),
    notNeutralisedBecause: because,
  };
}

const NO_PATHS: ReadonlySet<string> = new Set();

function pathsOf(leaves: readonly Leaf[]): Set<string> {
  const paths = new Set<string>();
  for (const leaf of leaves) paths.add(leaf.path);
  return paths;
}

function copyVolumes(last: VmiSpec, current: VmiSpec): void {
  last.volumes = current.volumes;
}

function copyDisks(lastDomain: Domain, curDomain: Domain): void {
  lastDomain.devices = { ...(lastDomain.devices ?? {}), disks: curDomain.devices?.disks };
}

export function liveUpdateOffReason(cluster: ClusterConfig, profile: VersionProfile): string {
  if (profile.liveUpdateGateRequired && cluster.rolloutStrategy === "LiveUpdate" && !cluster.liveUpdateGateEnabled) {
    return `the rollout strategy is LiveUpdate but KubeVirt ${profile.label} also needs the VMLiveUpdateFeatures feature gate, which is not enabled`;
  }
  return `the cluster's VM rollout strategy is ${cluster.rolloutStrategy ?? "Stage"}${
    profile.defaultRolloutStrategy === "Stage"
      ? ` (the default before v1.6; set spec.configuration.vmRolloutStrategy: LiveUpdate${profile.liveUpdateGateRequired ? " and the VMLiveUpdateFeatures gate" : ""})`
      : ""
  }`;
}
