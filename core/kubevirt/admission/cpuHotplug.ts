import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import { child, invalid } from "./cause";

export const SOCKETS_ABOVE_MAX = "Number of sockets in CPU topology is greater than the maximum sockets allowed";

/**
 * validateCPUHotplug (vmi-create-admitter.go, v1.0+): an explicit maxSockets caps sockets. Applies to VMIs and
 * VM templates alike, whatever the rollout strategy.
 */
export function validateCpuHotplug(prefix: string, spec: VmiSpec): AdmissionCause[] {
  const cpu = spec.domain?.cpu;
  const maxSockets = cpu?.maxSockets ?? 0;
  if (maxSockets !== 0 && (cpu?.sockets ?? 0) > maxSockets) {
    return [invalid(child(prefix, "domain", "cpu", "sockets"), SOCKETS_ABOVE_MAX)];
  }
  return [];
}

/**
 * validateLiveUpdateCPU (vms-admitter.go, v1.2+, only under LiveUpdate): the same check again, on the VM, so a VM
 * whose sockets exceed its explicit maxSockets under LiveUpdate gets the cause twice (KubeVirt reports both).
 */
export function validateLiveUpdateCpu(spec: VmiSpec): AdmissionCause[] {
  const cpu = spec.domain?.cpu;
  if (!cpu) return [];
  const sockets = cpu.sockets ?? 0;
  const maxSockets = cpu.maxSockets ?? 0;
  if (sockets !== 0 && maxSockets !== 0 && sockets > maxSockets) {
    return [invalid("spec.template.spec.domain.cpu.sockets", SOCKETS_ABOVE_MAX)];
  }
  return [];
}
