import type { ClusterConfig } from "../clusterConfig";
import type { KubeVirt } from "../schema/kubeVirt";
import type { VirtualMachine } from "../schema/virtualMachine";

/**
 * What KubeVirt's VM mutating webhook writes into every submitted VM (all versions: `setDefaultArchitecture`,
 * `setDefaultMachineType`; rules §9): an absent `spec.template.spec.architecture` becomes the cluster default and an
 * absent `domain.machine.type` the default machine type. A manifest that omits them therefore means the defaults,
 * not "remove them". The architecture is the CR's default when the CR states one, else the running VM's (which
 * the same webhook wrote); the machine type is the running VM's when the architecture is unchanged.
 * Returns `after` itself when nothing is filled in.
 */
export function withVmDefaults(
  after: VirtualMachine,
  before: VirtualMachine,
  kubevirt: KubeVirt | undefined,
  cluster: ClusterConfig,
): VirtualMachine {
  const spec = after.spec.template.spec;
  const beforeSpec = before.spec.template.spec;
  const known =
    !!kubevirt?.status?.defaultArchitecture ||
    !!kubevirt?.spec?.configuration?.architectureConfiguration?.defaultArchitecture;
  const architecture =
    spec?.architecture ||
    (known ? cluster.defaultArchitecture : beforeSpec?.architecture || cluster.defaultArchitecture);
  const machine = (spec?.domain as Record<string, unknown> | undefined)?.machine as { type?: string } | undefined;
  const beforeMachine = (beforeSpec?.domain as Record<string, unknown> | undefined)?.machine as
    { type?: string } | undefined;
  const sameArch = (beforeSpec?.architecture || cluster.defaultArchitecture) === architecture;
  const machineType = !machine?.type && sameArch && beforeMachine?.type ? beforeMachine.type : undefined;
  if (spec?.architecture === architecture && machineType === undefined) return after;
  const domain = spec?.domain ?? {};
  return {
    ...after,
    spec: {
      ...after.spec,
      template: {
        ...after.spec.template,
        spec: {
          ...(spec ?? {}),
          architecture,
          ...(machineType !== undefined
            ? { domain: { ...domain, machine: { ...(machine ?? {}), type: machineType } } }
            : {}),
        },
      },
    },
  };
}
