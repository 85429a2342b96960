import type { ClusterConfig } from "../clusterConfig";
import * as bootVmiModule from "../defaults/bootVmi";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import * as semanticEqualModule from "./semanticEqual";
import * as vmiStateModule from "./vmiState";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { bootVirtualMachineInstanceSharingTemplate } = bootVmiModule;
const { quantitiesMatch } = semanticEqualModule;
const { conditionStatus, isMigrating } = vmiStateModule;

/** What the running VMI shows that bears on the plan: pending hotplugs, failures, migrations. */
export function pendingOnVmi(vmi: VirtualMachineInstance, before: VirtualMachine): string[] {
  const out: string[] = [];
  const vmCpu = before.spec.template.spec?.domain?.cpu;
  const vmiCpu = vmi.spec.domain?.cpu;
  if (vmCpu?.sockets !== undefined && vmiCpu?.sockets !== undefined && vmCpu.sockets !== vmiCpu.sockets) {
    out.push(
      `the running VM's template says ${vmCpu.sockets} socket(s) but its VMI has ${vmiCpu.sockets}: an earlier socket change is still pending (RestartRequired, a hotplug in progress, or one that never completed)`,
    );
  }
  const vmGuest = before.spec.template.spec?.domain?.memory?.guest;
  const vmiGuest = vmi.spec.domain?.memory?.guest;
  if (vmGuest != null && vmiGuest != null && !quantitiesEqualSafe(vmGuest, vmiGuest)) {
    out.push(
      `the running VM's template says guest memory ${String(vmGuest)} but its VMI has ${String(vmiGuest)}: an earlier memory change is still pending`,
    );
  }
  const conditions = vmi.status?.conditions;
  const cpu = conditionStatus(conditions, "HotVCPUChange");
  const mem = conditionStatus(conditions, "HotMemoryChange");
  if (cpu !== undefined)
    out.push(
      "the VMI has a CPU hotplug pending (condition HotVCPUChange): it completes with the next workload-update migration",
    );
  if (mem === "True") out.push("the VMI has a memory hotplug pending (condition HotMemoryChange)");
  if (mem === "False")
    out.push("an earlier memory hotplug failed on this VMI (HotMemoryChange=False): memory changes need a restart");
  if (conditionStatus(conditions, "MigrationRequired") === "True")
    out.push("the VMI waits for a migration (MigrationRequired)");
  if (isMigrating(vmi))
    out.push("the VMI is migrating: live CPU, memory and placement changes wait until the migration ends");
  return out;
}

/** What the VM gets when it restarts with `after`: its hotplug capacity, or why the new VMI would be denied. */
export function afterRestart(after: VirtualMachine, cluster: ClusterConfig, profile: VersionProfile): string[] {
  const booted = bootVirtualMachineInstanceSharingTemplate(after, cluster, profile);
  const out = [
    `after a restart the VMI boots with maxSockets ${booted.maxSockets.maxSockets || "none (no CPU hotplug)"} and maxGuest ${booted.maxGuest.maxGuest ?? `none (no memory hotplug${booted.maxGuest.disabledReason ? `: ${booted.maxGuest.disabledReason}` : ""})`}`,
  ];
  if (booted.maxSockets.vmiAdmissionError) {
    out.push(
      `the restarted VMI would be denied: "${booted.maxSockets.vmiAdmissionError}" (sockets above the cluster's maxCpuSockets ${cluster.maxCpuSockets}; KubeVirt raises maxSockets to sockets only from v1.4.0): raise liveUpdateConfiguration.maxCpuSockets or set domain.cpu.maxSockets`,
    );
  }
  return out;
}

function quantitiesEqualSafe(a: unknown, b: unknown): boolean {
  return a === b || quantitiesMatch(a, b, "guest", "memory");
}
