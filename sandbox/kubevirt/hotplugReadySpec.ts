/**
 * The KubeVirt CR spec a given version needs for CPU/memory hotplug to take effect (§4.2): the
 * VMLiveUpdateFeatures gate up to v1.4, `vmRolloutStrategy: LiveUpdate` for v1.2–v1.5 (the default from
 * v1.6), and `LiveMigrate` among the workload update methods (always).
 */
import { atLeast, parseKubeVirtVersion } from "../../core/kubevirt/version";

export function hotplugReadyKubeVirtSpec(kubevirtVersion: string): Record<string, unknown> {
  const v = parseKubeVirtVersion(kubevirtVersion);
  const gates = atLeast(v, 5) ? [] : ["VMLiveUpdateFeatures"];
  const configuration: Record<string, unknown> = { developerConfiguration: { featureGates: gates } };
  if (atLeast(v, 2) && !atLeast(v, 6)) configuration.vmRolloutStrategy = "LiveUpdate";
  return {
    certificateRotateStrategy: {},
    configuration,
    customizeComponents: {},
    imagePullPolicy: "IfNotPresent",
    workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate"] },
  };
}
