import { planVirtualMachineUpdate } from "../../core/kubevirt/planner";
import type { Command } from "../run";
import { runCloudHypervisorPlan } from "./cloudHypervisorPlan";
import { runPlan } from "./runPlan";

/**
 * `livevm plan`: classify VirtualMachine manifest changes as live, restart, rejected, stuck or staged.
 * With `--cloud-hypervisor`, the same for two Cloud Hypervisor VmConfig documents.
 */
export const planCommand: Command = {
  summary: "preview which VM changes apply live, need a restart, or are rejected",
  run: (args) =>
    args.includes("--cloud-hypervisor")
      ? runCloudHypervisorPlan(args)
      : runPlan(args, (input) => planVirtualMachineUpdate(input)),
};
