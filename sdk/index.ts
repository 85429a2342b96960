/**
 * livevm's SDK: the provider's resources for Pulumi programs, and core's planning API.
 * The components (KubeVirtLiveUpdates, CpuManagerNodes, HotplugVirtualMachine) are in `../components`.
 */
export { Provider, type ProviderArgs, type ProviderTimeouts } from "./provider";
export { type OnRestartRequired, ON_RESTART_REQUIRED } from "./restartPolicy";
export { type DeepInput } from "./deepInput";
export * as kubevirt from "./kubevirt";
export * as cloudhypervisor from "./cloudhypervisor";
export * as planning from "./planning";
export * from "./planning";
