import type { Outcome } from "../kubevirt/plan";
import { displayValue } from "./configValue";
import type { Architecture } from "./limits";
import type { MemoryHotplugLedger } from "./memoryHotplugLedger";
import type { ApiCall, ApplyMode, CloudHypervisorChange } from "./plan";

/** What every part of the planner (vCPUs, memory, balloon, devices, other fields) is given. */
export interface PlanContext {
  /** Running or Paused: changes are live/restart; otherwise staged */
  readonly running: boolean;
  readonly arch: Architecture;
  readonly ledger: MemoryHotplugLedger;
  /** device ids the guest has not ejected yet */
  readonly pendingEject: ReadonlySet<string>;
}

/** The order calls are sent in: removals free ids and PCI slots first, memory grows before vCPUs, shrinks after. */
export const PHASE = {
  removeDevice: 0,
  growMemory: 1,
  vcpus: 2,
  shrinkMemory: 3,
  balloon: 4,
  addDevice: 5,
} as const;

export interface PhasedCall {
  readonly phase: number;
  readonly call: ApiCall;
}

/** What one part of the planner returns. */
export interface PartialPlan {
  readonly changes: CloudHypervisorChange[];
  readonly calls: PhasedCall[];
  readonly coldCalls: ApiCall[];
  readonly messages: string[];
}

export function emptyPartialPlan(): PartialPlan {
  return { changes: [], calls: [], coldCalls: [], messages: [] };
}

const OUTCOME_OF: Record<ApplyMode, (running: boolean) => Outcome> = {
  none: () => "none",
  live: () => "live",
  staged: () => "staged",
  reboot: (running) => (running ? "restart" : "staged"),
  cold: (running) => (running ? "restart" : "staged"),
  recreate: (running) => (running ? "restart" : "staged"),
  rejected: () => "rejected",
};

/** A change with its outcome derived from how it applies and whether the VM runs. */
export function plannedChange(
  ctx: PlanContext,
  path: string,
  before: unknown,
  after: unknown,
  apply: ApplyMode,
  reason: string,
): CloudHypervisorChange {
  return {
    path,
    before: displayValue(before),
    after: displayValue(after),
    outcome: OUTCOME_OF[apply](ctx.running),
    apply,
    reason,
  };
}

/** The reason text for a change that needs the VM recreated. */
export function recreateReason(why: string, running: boolean): string {
  return running
    ? `the VM must be recreated (vm.shutdown, vm.delete, vm.create, vm.boot): ${why}`
    : `the VM is not running; livevm recreates its stored config (vm.delete, vm.create): ${why}`;
}
