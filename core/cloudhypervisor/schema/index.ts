export * from "./common";
export * from "./cpus";
export * from "./memory";
export * from "./devices";
export * from "./vmConfig";
