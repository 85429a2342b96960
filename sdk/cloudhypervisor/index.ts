export { VirtualMachine, type VirtualMachineArgs, type CloudHypervisorPlan } from "./virtualMachine";
export type * from "./vmConfig";
