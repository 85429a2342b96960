export {
  VirtualMachine,
  type VirtualMachineArgs,
  type VirtualMachineSpec,
  type VirtualMachineStatus,
  type VirtualMachineInstanceMemoryStatus,
} from "./virtualMachine";
