import { planVirtualMachineUpdate } from "../../core/kubevirt/planner";
import { cloudHypervisorVirtualMachine } from "./cloudHypervisorVirtualMachine";
import { createVirtualMachineHandler } from "./kubevirtVirtualMachine";
import type { AnyResourceHandler } from "./resource";

/** Every resource type the livevm provider serves, dispatched by token. One line per resource type. */
export const RESOURCE_HANDLERS: readonly AnyResourceHandler[] = [
  createVirtualMachineHandler({ planner: (input) => planVirtualMachineUpdate(input) }),
  cloudHypervisorVirtualMachine,
];
