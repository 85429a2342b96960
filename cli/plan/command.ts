import { planVirtualMachineUpdate } from "../../core/kubevirt/planner";
import type { Command } from "../run";
import { runPlan } from "./runPlan";

/** `livevm plan`: classify VirtualMachine manifest changes as live, restart, rejected, stuck or staged. */
export const planCommand: Command = {
  summary: "preview which VM changes apply live, need a restart, or are rejected",
  run: (args) => runPlan(args, (input) => planVirtualMachineUpdate(input)),
};
