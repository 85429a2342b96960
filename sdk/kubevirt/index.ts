export {
  VirtualMachine,
  type VirtualMachineArgs,
  type LastPlan,
  type VirtualMachineSpec,
  type VirtualMachineStatus,
  type VirtualMachineInstanceMemoryStatus,
} from "./virtualMachine";
