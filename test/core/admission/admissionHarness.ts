import { resolveClusterConfig } from "../../../core/kubevirt/clusterConfig";
import { admitVirtualMachine } from "../../../core/kubevirt/admission";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import type { KubeVirt } from "../../../core/kubevirt/schema/kubeVirt";
import type { VirtualMachine } from "../../../core/kubevirt/schema/virtualMachine";
import type { VirtualMachineInstance } from "../../../core/kubevirt/schema/virtualMachineInstance";
import { parseKubeVirtVersion } from "../../../core/kubevirt/version";
import { versionProfile } from "../../../core/kubevirt/versionProfile";

/** The versions the tables run through: every minor, and the patch releases where admission changed. */
export const VERSIONS = [
  "v1.0.0",
  "v1.1.0",
  "v1.2.0",
  "v1.2.1",
  "v1.2.2",
  "v1.3.0",
  "v1.4.0",
  "v1.5.0",
  "v1.6.0",
  "v1.9.0",
];

export type Rollout = "Stage" | "LiveUpdate";

/** A KubeVirt CR that gives the wanted rollout in `version` (gate and strategy as that version needs them). */
export function kubevirtFor(
  version: string,
  rollout: Rollout,
  extra: { gates?: string[]; configuration?: object } = {},
): KubeVirt {
  const v = parseKubeVirtVersion(version);
  const gates = [...(extra.gates ?? [])];
  if (rollout === "LiveUpdate" && v.minor <= 4) gates.push("VMLiveUpdateFeatures");
  const configuration: Record<string, unknown> = {
    developerConfiguration: { featureGates: gates },
    ...(extra.configuration ?? {}),
  };
  if (v.minor >= 2) configuration.vmRolloutStrategy = rollout;
  return { spec: { configuration } } as KubeVirt;
}

export function vmWith(
  spec: VmiSpec,
  vmSpec: Partial<VirtualMachine["spec"]> = {},
  status?: VirtualMachine["status"],
): VirtualMachine {
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata: { name: "vm1", namespace: "default" },
    spec: { runStrategy: "Always", ...vmSpec, template: { spec } },
    ...(status ? { status } : {}),
  };
}

export interface AdmitOptions {
  readonly rollout?: Rollout;
  readonly kubevirt?: KubeVirt;
  readonly oldVm?: VirtualMachine;
  readonly vmi?: VirtualMachineInstance;
}

export function admit(version: string, vm: VirtualMachine, options: AdmitOptions = {}): AdmissionCause[] {
  const v = parseKubeVirtVersion(version);
  const kubevirt = options.kubevirt ?? kubevirtFor(version, options.rollout ?? "Stage");
  return admitVirtualMachine({
    vm,
    oldVm: options.oldVm,
    vmi: options.vmi,
    cluster: resolveClusterConfig(kubevirt, v),
    profile: versionProfile(v),
    kubevirt,
  });
}

/** A valid, ordinary VM template: 2 sockets, 2Gi. */
export function plainSpec(overrides: VmiSpec = {}): VmiSpec {
  return {
    domain: {
      cpu: { sockets: 2, cores: 1, threads: 1 },
      memory: { guest: "2Gi" },
      devices: {},
      ...(overrides.domain ?? {}),
    },
    ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k !== "domain")),
  };
}
