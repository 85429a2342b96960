import type { ClusterConfig } from "../clusterConfig";
import type { VersionProfile } from "../versionProfile";
import type { Leaf } from "./diff";
import type { FieldGroup } from "./fieldGroups";
import { restartRequired, type GroupResult } from "./verdict";

/** Verdicts for the fields outside spec.template.spec: instance type matchers, metadata, VM-level settings. */
export function instancetypeVerdict(
  profile: VersionProfile,
  matcherRR: string | undefined,
  cluster: ClusterConfig,
): GroupResult {
  if (matcherRR) return restartRequired(matcherRR);
  if (profile.instancetypeHandling === "expanded") {
    return {
      outcome: "restart",
      reason: `KubeVirt ${profile.label} expands the old and new instance type/preference and compares the results: more sockets or guest memory is a live hotplug${cluster.liveUpdate ? "" : " (under LiveUpdate)"}, any other difference gives RestartRequired. livevm cannot expand it without the instance type object, so it plans a restart`,
    };
  }
  return {
    outcome: "restart",
    reason: `KubeVirt ${profile.label} does not compare the instance type matcher of a running VM: the new instance type applies at the next restart`,
  };
}

export function otherGroupVerdict(group: FieldGroup, profile: VersionProfile, leaf: Leaf): GroupResult {
  switch (group) {
    case "templateMetadata":
      return {
        outcome: "none",
        reason:
          "template labels and annotations never cause RestartRequired; they reach the running VMI only for keys in virt-controller's --additional-launcher-labels-sync (empty by default)",
      };
    case "vmMetadata":
      return { outcome: "none", reason: "VM metadata: not part of the running VM" };
    case "runStrategy":
      return { outcome: "none", reason: "the run strategy changes, but the VM keeps running" };
    case "liveUpdateFeatures":
      if (profile.liveUpdateFeaturesApi) {
        return {
          outcome: "restart",
          reason: `spec.liveUpdateFeatures decides which hotplug defaults a VMI gets when it boots: the new setting takes effect at the next restart`,
        };
      }
      return {
        outcome: "none",
        reason: `spec.liveUpdateFeatures was removed in KubeVirt v1.2.0: ${profile.label} drops the field`,
      };
    case "instancetype":
      return { outcome: "restart", reason: `the instance type applies at the next restart` };
    default: {
      const field = leaf.fields[1] ?? "";
      const what =
        field === "dataVolumeTemplates"
          ? "dataVolumeTemplates: KubeVirt creates missing DataVolumes; the running VMI is unaffected"
          : field === "updateVolumesStrategy"
            ? "updateVolumesStrategy is not compared; it decides how later volume changes are applied"
            : `VM-level field spec.${field} is not part of the running VMI and is not compared`;
      return { outcome: "none", reason: what };
    }
  }
}
