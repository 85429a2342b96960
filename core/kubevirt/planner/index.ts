export { planVirtualMachineUpdate, type AdmitFunction, type PlanOptions } from "./planVirtualMachineUpdate";
export { diffLeaves, type Leaf } from "./diff";
export { fieldGroup, type FieldGroup } from "./fieldGroups";
