/** Runs every doctor check over a ClusterSnapshot: cluster first, then nodes, then each VM. */

import { isBlocking } from "../../core/guestReadiness/finding";
import { type ClusterSnapshot } from "./clusterSnapshot";
import { check, type DoctorCheck } from "./doctorCheck";
import { checkKubeVirt } from "./kubeVirtChecks";
import { checkNodes } from "./nodeChecks";
import { checkVm } from "./vmChecks";

export interface Diagnosis {
  readonly checks: readonly DoctorCheck[];
  /** true when something keeps CPU/memory changes from being applied live */
  readonly blocking: boolean;
}

export function diagnose(snapshot: ClusterSnapshot): Diagnosis {
  const { checks: clusterChecks, facts } = checkKubeVirt(snapshot.kubeVirts, snapshot.kubeVirtError);
  const checks: DoctorCheck[] = [
    ...clusterChecks,
    ...checkNodes(snapshot.nodes, snapshot.nodeError, snapshot.vms, facts),
    ...snapshot.vms.flatMap((vm) => checkVm(vm, facts, snapshot.nodes)),
  ];
  if (snapshot.vms.length === 0) {
    checks.push(check("cluster", "VMs", "info", "no-vms", "no VirtualMachines in scope: only the cluster was checked"));
  }
  return { checks, blocking: isBlocking(checks) };
}
