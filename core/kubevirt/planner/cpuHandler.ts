import * as quantityModule from "../quantity";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import * as topologyModule from "../defaults/topology";
import type { Verdict } from "./verdict";
import * as verdictModule from "./verdict";
import * as vmiStateModule from "./vmiState";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { quantityMilli } = quantityModule;
const { vcpuCount } = topologyModule;
const { restartRequired } = verdictModule;
const { conditionStatus, isMigrating } = vmiStateModule;

/**
 * `handleCPUChangeRequest` (vm.go, rules §1.3), per version. `desired` is the VM template spec (instance type
 * applied where known), `architecture` its architecture (cluster default when absent).
 */
export function cpuHandler(
  desired: VmiSpec,
  vmi: VirtualMachineInstance,
  profile: VersionProfile,
  architecture: string,
  cpuAllocationRatio = 10,
): Verdict {
  const vmCpu = desired.domain?.cpu;
  const vmiCpu = vmi.spec.domain?.cpu;
  if (!vmCpu || !vmiCpu) {
    return {
      outcome: "restart",
      reason:
        "KubeVirt's CPU handler ignores a VM or VMI without domain.cpu: the sockets are not hot-plugged and apply at the next restart",
    };
  }
  const vmSockets = vmCpu.sockets ?? 0;
  const vmiSockets = vmiCpu.sockets ?? 0;
  const same = profile.cpuHandlerComparesSocketsOnly
    ? vmSockets === vmiSockets
    : vcpuCount(vmCpu) === vcpuCount(vmiCpu);
  if (same) return { outcome: "none", reason: `the running VMI already has ${vmiSockets} socket(s)` };

  let retry: string | undefined;
  if (conditionStatus(vmi.status?.conditions, "HotVCPUChange") === "True") {
    retry = "another CPU hotplug is in progress";
  } else if (isMigrating(vmi)) {
    retry = "CPU hotplug is not allowed while VMI is migrating";
  }
  const vmiMax = vmiCpu.maxSockets ?? 0;
  if (profile.cpuMaxSocketsRestart && vmSockets > vmiMax) {
    const why =
      vmiMax === 0
        ? "the VMI has no maxSockets: it started without CPU hotplug (Stage rollout, arm64, or hotplug defaults off) and needs a restart to gain it"
        : `the VMI booted with maxSockets ${vmiMax}`;
    return withRetry(
      restartRequired("CPU sockets updated in template spec to a value higher than what's available", why),
      retry,
    );
  }
  if (profile.socketReductionRestart && vmSockets < vmiSockets) {
    return withRetry(restartRequired("Reduction of CPU socket count requires a restart"), retry);
  }
  if (profile.armCpuHotplugRestart && architecture === "arm64") {
    return withRetry(restartRequired("ARM doesn't support CPU hotplug"), retry);
  }
  if (profile.multiQueueCpuRestart && desired.domain?.devices?.networkInterfaceMultiqueue === true) {
    return withRetry(
      restartRequired("Changes to CPU sockets require a restart when NetworkInterfaceMultiQueue is enabled"),
      retry,
    );
  }
  const reduction = vmSockets < vmiSockets ? " (a reduction: v1.2.0 still hot-unplugs it)" : "";
  // VMICPUsPatch: explicit CPU requests/limits grow by vcpusDelta × 1000/cpuAllocationRatio milli-CPU
  const resources = desired.domain?.resources;
  const explicit = [
    isNonZero(resources?.requests?.cpu) ? "requests" : undefined,
    profile.cpuHotplugPatchesLimits && isNonZero(resources?.limits?.cpu) ? "limits" : undefined,
  ].filter(Boolean);
  const perSocket = Math.max(vmCpu.cores ?? 1, 1) * Math.max(vmCpu.threads ?? 1, 1);
  const delta = (vmSockets - vmiSockets) * perSocket * Math.floor(1000 / cpuAllocationRatio);
  const resourceNote = explicit.length
    ? `; the VMI's CPU ${explicit.join(" and ")} change by ${delta}m (${Math.floor(1000 / cpuAllocationRatio)}m per vCPU, cpuAllocationRatio ${cpuAllocationRatio})`
    : "";
  // vmi.go requireCPUHotplug: HotVCPUChange (and so a migration) only when the patched VMI's vCPU count differs
  // from status.currentCPUTopology's; GetNumberOfVCPUs skips zero factors, so 0 → 1 socket changes nothing.
  const current = vmi.status?.currentCPUTopology ?? vmiCpu;
  const patchedVcpus = vcpuCount({ ...vmiCpu, sockets: vmSockets });
  if (patchedVcpus === vcpuCount(current)) {
    return {
      outcome: "live",
      reason: `the VM controller patches the VMI's sockets ${vmiSockets} → ${vmSockets}${resourceNote}, which leaves it at ${patchedVcpus} vCPU(s) (KubeVirt counts 0 sockets as 1): no HotVCPUChange, nothing to hot-plug and no migration`,
      ...(retry ? { retry } : {}),
    };
  }
  return {
    outcome: "live",
    reason: `CPU hotplug: the VM controller patches the VMI's sockets ${vmiSockets} → ${vmSockets}${reduction}${resourceNote}; the VMI gets HotVCPUChange`,
    needsMigration: "hotplug",
    ...(retry ? { retry } : {}),
  };
}

function withRetry(v: Verdict, retry: string | undefined): Verdict {
  // the transient error returns before the RestartRequired checks; once it clears the restart verdict follows
  return retry ? { ...v, retry } : v;
}

function isNonZero(q: unknown): boolean {
  if (typeof q !== "string" && typeof q !== "number") return false;
  try {
    return quantityMilli(q) !== 0n;
  } catch {
    return false;
  }
}
