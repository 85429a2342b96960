/** Cloud Hypervisor: VmConfig schema, size syntax, limits and the live-resize planner. Pure, no I/O. */
export * from "./schema";
export * from "./size";
export * from "./limits";
export * from "./apiJson";
export * from "./configValue";
export * from "./configProblems";
export * from "./deviceKinds";
export * from "./memoryHotplugLedger";
export * from "./plan";
export * from "./planner";
