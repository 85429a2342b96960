/**
 * What `livevm doctor` reads from a cluster, as plain data: the KubeVirt CR, the nodes, and the
 * VirtualMachines in scope with their running instances. The checks are pure functions of this.
 */

import { type KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import { type VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import { type VirtualMachineInstance } from "../../core/kubevirt/schema/virtualMachineInstance";

export interface NodeInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly unschedulable: boolean;
  readonly ready: boolean;
}

export interface VmSnapshot {
  readonly vm: VirtualMachine;
  /** absent when the VM is not running */
  readonly vmi?: VirtualMachineInstance;
}

export interface ClusterSnapshot {
  /** the KubeVirt CRs found (normally exactly one) */
  readonly kubeVirts: readonly KubeVirt[];
  /** why the KubeVirt CR could not be read, e.g. the CRD is not installed */
  readonly kubeVirtError?: string;
  /** undefined when the nodes could not be listed (nodeError says why) */
  readonly nodes?: readonly NodeInfo[];
  readonly nodeError?: string;
  readonly vms: readonly VmSnapshot[];
}

export function vmKey(vm: VirtualMachine): string {
  return `${vm.metadata?.namespace ?? "default"}/${vm.metadata?.name ?? "(unnamed)"}`;
}

/** The guest kernel release the guest agent reported (VMI status.guestOSInfo.kernelRelease). */
export function guestKernelRelease(vmi: VirtualMachineInstance): string | undefined {
  const info = (vmi.status as { guestOSInfo?: { kernelRelease?: unknown } } | undefined)?.guestOSInfo;
  return typeof info?.kernelRelease === "string" && info.kernelRelease !== "" ? info.kernelRelease : undefined;
}
