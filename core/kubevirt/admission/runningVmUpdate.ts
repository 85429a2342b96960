import type { AdmissionCause } from "../plan";
import { compareQuantities } from "../quantity";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import { notSupported } from "./cause";
import { semanticEqual } from "./semanticEqual";

export interface RunningVmUpdateOptions {
  /** v1.0: "cannot update CPU sockets while VMI migration is in progress"; v1.1: "cannot update while …" */
  readonly migrationMessage: string;
  /** v1.1: memory changes are checked too */
  readonly memory: boolean;
}

/**
 * `validateVMUpdate` (vms-admitter.go, v1.0–v1.1): old-vs-new rules for a running VM (`status.ready`; the API
 * server keeps the stored status on a spec update, so the old VM's status decides when it has one) whose spec
 * changed. The first failing rule is the only cause. The socket and memory checks read the live VMI; without
 * one they are not evaluated (KubeVirt would fetch it).
 */
export function validateRunningVmUpdate(
  oldVm: VirtualMachine,
  vm: VirtualMachine,
  vmi: VirtualMachineInstance | undefined,
  options: RunningVmUpdateOptions,
): AdmissionCause[] {
  if (semanticEqual(oldVm.spec, vm.spec)) return [];
  const ready = (oldVm.status ?? vm.status)?.ready === true;
  if (!ready) return [];
  if (!semanticEqual(oldVm.spec.liveUpdateFeatures, vm.spec.liveUpdateFeatures)) {
    return [notSupported("spec", "Cannot update VM live features while VM is running")];
  }
  const features = vm.spec.liveUpdateFeatures;
  if (features === undefined) return [];
  if (features.cpu !== undefined) {
    const oldCpu = oldVm.spec.template.spec?.domain?.cpu;
    const newCpu = vm.spec.template.spec?.domain?.cpu;
    if (oldCpu && newCpu) {
      if ((oldCpu.cores ?? 0) !== (newCpu.cores ?? 0)) {
        return [
          notSupported(
            "spec.template.spec.domain.cpu.cores",
            "Cannot update CPU cores while live update features configured",
          ),
        ];
      }
      if ((oldCpu.threads ?? 0) !== (newCpu.threads ?? 0)) {
        return [
          notSupported(
            "spec.template.spec.domain.cpu.threads",
            "Cannot update CPU threads while live update features configured",
          ),
        ];
      }
      if ((oldCpu.sockets ?? 0) !== (newCpu.sockets ?? 0) && vmi) {
        const message = cpuHotplugBlocker(vmi, options.migrationMessage);
        if (message) return [notSupported("spec.template.spec.domain.cpu.sockets", message)];
      }
    }
  }
  if (options.memory && features.memory !== undefined) {
    const oldGuest = oldVm.spec.template.spec?.domain?.memory?.guest;
    const newGuest = vm.spec.template.spec?.domain?.memory?.guest;
    if (!semanticEqual(oldGuest, newGuest) && vmi) {
      const message = memoryHotplugBlocker(vm, vmi, options.migrationMessage);
      if (message) return [notSupported("spec.template.spec.domain.memory.guest", message)];
    }
  }
  return [];
}

function conditionTrue(vmi: VirtualMachineInstance, type: string): boolean {
  return (vmi.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");
}

function migrating(vmi: VirtualMachineInstance): boolean {
  const state = vmi.status?.migrationState;
  return state !== undefined && state !== null && state.completed !== true;
}

/** shouldAllowCPUHotPlug */
function cpuHotplugBlocker(vmi: VirtualMachineInstance, migrationMessage: string): string | undefined {
  if (conditionTrue(vmi, "HotVCPUChange")) return "cannot update CPU sockets while another CPU change is in progress";
  if (migrating(vmi)) return migrationMessage;
  return undefined;
}

/** shouldAllowMemoryHotPlug (v1.1) */
function memoryHotplugBlocker(
  vm: VirtualMachine,
  vmi: VirtualMachineInstance,
  migrationMessage: string,
): string | undefined {
  const guest = vm.spec.template.spec?.domain?.memory?.guest;
  const atBoot = vmi.status?.memory?.guestAtBoot;
  if (guest !== undefined && atBoot !== undefined && compareQuantities(guest, atBoot) < 0) {
    return "cannot set less memory than what the guest booted with";
  }
  if (conditionTrue(vmi, "HotMemoryChange")) return "cannot update memory while another memory change is in progress";
  if (migrating(vmi)) return migrationMessage;
  return undefined;
}
