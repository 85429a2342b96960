import type { Condition } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";

export function conditionStatus(
  conditions: readonly Condition[] | undefined,
  type: string,
): "True" | "False" | "Unknown" | undefined {
  for (const c of conditions ?? []) if (c.type === type) return c.status;
  return undefined;
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return (conditions ?? []).find((c) => c.type === type);
}

/** `migrations.IsMigrating`: a migration has started and not ended. */
export function isMigrating(vmi: VirtualMachineInstance): boolean {
  const m = vmi.status?.migrationState;
  return !!m && !!m.startTimestamp && !m.endTimestamp && m.completed !== true && m.failed !== true;
}

/** `vmi.IsMigratable()`: the LiveMigratable condition is True. */
export function isLiveMigratable(vmi: VirtualMachineInstance): boolean {
  return conditionStatus(vmi.status?.conditions, "LiveMigratable") === "True";
}

/** The VM's RestartRequired condition, when True. */
export function restartRequiredCondition(vm: VirtualMachine | undefined): Condition | undefined {
  const c = findCondition(vm?.status?.conditions, "RestartRequired");
  return c?.status === "True" ? c : undefined;
}

export type RunState = { readonly running: boolean; readonly why: string };

const FINAL_PHASES = new Set(["Succeeded", "Failed"]);
const RUNNING_PRINTABLE = new Set(["Running", "Migrating", "Paused", "Starting", "WaitingForReceiver"]);
const STOPPED_PRINTABLE = new Set(["Stopped", "Stopping", "Terminating", "CrashLoopBackOff", "Provisioning"]);

/** Whether the VM runs now: a (non-final, not deleted) VMI is given, else its status, else its run strategy. */
export function currentRunState(vm: VirtualMachine, vmi: VirtualMachineInstance | undefined): RunState {
  if (vmi) {
    const phase = vmi.status?.phase;
    if (phase && FINAL_PHASES.has(phase)) return { running: false, why: `its VMI is ${phase}` };
    // every vm.go live handler starts with `if vmi == nil || vmi.DeletionTimestamp != nil { return nil }`
    if (vmi.metadata?.deletionTimestamp != null) {
      return {
        running: false,
        why: "its VMI is being deleted (metadata.deletionTimestamp): the next VMI starts with the new spec",
      };
    }
    return { running: true, why: "a VMI is given" };
  }
  const status = vm.status;
  if (status?.printableStatus && RUNNING_PRINTABLE.has(status.printableStatus)) {
    return { running: true, why: `status.printableStatus is ${status.printableStatus}` };
  }
  if (status?.printableStatus && STOPPED_PRINTABLE.has(status.printableStatus)) {
    return { running: false, why: `status.printableStatus is ${status.printableStatus}` };
  }
  if (status?.ready === true) return { running: true, why: "status.ready is true" };
  if (status?.created === true) return { running: true, why: "status.created is true" };
  if (status?.created === false || status?.ready === false)
    return { running: false, why: "its status says no VMI exists" };
  return runStrategyRunState(vm);
}

/** What the run strategy alone says (for a VM without status). */
export function runStrategyRunState(vm: VirtualMachine): RunState {
  const strategy = effectiveRunStrategy(vm);
  switch (strategy) {
    case "Always":
    case "RerunOnFailure":
    case "Once":
    case "WaitAsReceiver":
      return { running: true, why: `runStrategy ${strategy}` };
    case "Manual":
      return { running: false, why: "runStrategy Manual (assumed not started)" };
    default:
      return { running: false, why: "runStrategy Halted" };
  }
}

/** spec.runStrategy, else spec.running true → Always / false → Halted; neither → Halted. */
export function effectiveRunStrategy(vm: VirtualMachine): string {
  if (vm.spec.runStrategy) return vm.spec.runStrategy;
  if (vm.spec.running === true) return "Always";
  return "Halted";
}

/** True when the run strategy makes the controller stop a running VMI. */
export function stopsTheVm(vm: VirtualMachine): boolean {
  return effectiveRunStrategy(vm) === "Halted";
}
