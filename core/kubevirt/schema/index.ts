export * from "./common";
export * from "./virtualMachine";
export * from "./virtualMachineInstance";
export * from "./kubeVirt";
export * from "./parse";
