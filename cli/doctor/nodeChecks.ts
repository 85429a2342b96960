/**
 * Node checks: a live migration (how KubeVirt applies CPU and memory hotplug) needs a second
 * node that can run the VM. A node can run VMs when it is Ready, not cordoned, and virt-handler
 * has labelled it `kubevirt.io/schedulable=true`. Dedicated-CPU VMs also need the CPU-manager label
 * (`cpumanager` up to v1.7, `kubevirt.io/cpumanager` from v1.8), which virt-handler sets to "true"
 * only with the CPUManager feature gate and the kubelet's static CPU manager policy.
 */

import { NEWEST_SUPPORTED, type KubeVirtVersion } from "../../core/kubevirt/version";
import { versionProfile } from "../../core/kubevirt/versionProfile";
import { type NodeInfo, type VmSnapshot } from "./clusterSnapshot";
import { check, type DoctorCheck } from "./doctorCheck";
import { type KubeVirtFacts } from "./kubeVirtChecks";

export const SCHEDULABLE_LABEL = "kubevirt.io/schedulable";

export function cpuManagerLabel(version: KubeVirtVersion | undefined): string {
  return versionProfile(version ?? NEWEST_SUPPORTED).cpuManagerLabel;
}

export function isSchedulable(node: NodeInfo): boolean {
  return node.ready && !node.unschedulable && node.labels[SCHEDULABLE_LABEL] === "true";
}

export function hasDedicatedCpus(snapshot: VmSnapshot): boolean {
  return (
    snapshot.vmi?.spec.domain?.cpu?.dedicatedCpuPlacement === true ||
    snapshot.vm.spec.template.spec?.domain?.cpu?.dedicatedCpuPlacement === true
  );
}

export function checkNodes(
  nodes: readonly NodeInfo[] | undefined,
  nodeError: string | undefined,
  vms: readonly VmSnapshot[],
  facts: KubeVirtFacts,
): DoctorCheck[] {
  const scope = "cluster";
  if (!nodes) {
    return [
      check(
        scope,
        "nodes",
        "warning",
        "nodes-unreadable",
        `cannot list nodes, so migration capacity is unchecked: ${nodeError ?? "unknown error"}`,
        "run doctor with a kubeconfig allowed to list nodes",
      ),
    ];
  }
  const checks: DoctorCheck[] = [];
  const schedulable = nodes.filter(isSchedulable);
  if (schedulable.length >= 2) {
    checks.push(
      check(
        scope,
        "nodes",
        "ok",
        "nodes-enough",
        `${schedulable.length} of ${nodes.length} nodes can run VMs: enough for a live migration`,
      ),
    );
  } else {
    checks.push(
      check(
        scope,
        "nodes",
        "blocking",
        "nodes-too-few",
        `${schedulable.length} of ${nodes.length} nodes can run VMs (Ready, not cordoned, ${SCHEDULABLE_LABEL}=true): a live migration, which applies CPU/memory hotplug, needs at least 2`,
        "add or uncordon a node running virt-handler",
      ),
    );
  }
  const dedicated = vms.filter(hasDedicatedCpus);
  if (dedicated.length > 0) {
    const label = facts.profile?.cpuManagerLabel ?? cpuManagerLabel(facts.version);
    const labelled = schedulable.filter((n) => n.labels[label] === "true");
    const gate = facts.config?.isFeatureGateEnabled("CPUManager") ?? false;
    if (labelled.length >= 2) {
      checks.push(
        check(
          scope,
          "CPU manager",
          "ok",
          "cpumanager-enough",
          `${labelled.length} schedulable nodes carry ${label}=true for ${dedicated.length} dedicated-CPU VM(s)`,
        ),
      );
    } else {
      checks.push(
        check(
          scope,
          "CPU manager",
          "blocking",
          "cpumanager-too-few",
          `${dedicated.length} VM(s) use dedicatedCpuPlacement, but only ${labelled.length} schedulable node(s) carry ${label}=true: they cannot be migrated${gate ? "" : "; the CPUManager feature gate is not enabled, so virt-handler labels every node false"}`,
          `${gate ? "" : "enable the CPUManager feature gate in the KubeVirt CR and "}run the kubelet with --cpu-manager-policy=static on at least 2 nodes (virt-handler then sets ${label}=true; labelling by hand is overwritten)`,
        ),
      );
    }
  }
  return checks;
}
