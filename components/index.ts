/**
 * livevm's components: cluster settings for live updates, CPU-manager nodes for dedicated CPUs, and
 * VMs with hotplug-ready defaults. Built on `@pulumi/kubernetes` and the livevm provider's resources.
 */
export { KubeVirtLiveUpdates, type KubeVirtLiveUpdatesArgs } from "./kubeVirtLiveUpdates";
export { CpuManagerNodes, type CpuManagerNodesArgs, KUBELET_STATIC_CPU_MANAGER } from "./cpuManagerNodes";
export { HotplugVirtualMachine, type HotplugVirtualMachineArgs } from "./hotplugVirtualMachine";
export { type EffectiveLiveUpdateSettings } from "./liveUpdateClusterSettings";
export { type ClusterLiveUpdateSettings } from "./hotplugVirtualMachineSpec";
export { ArgumentError } from "./argumentError";
export {
  guestConfiguration,
  renderCloudConfig,
  type GuestConfiguration,
  type GuestCloudConfig,
} from "../core/guestReadiness/guestCloudConfig";
export { type GuestHotplugLimits } from "../core/guestReadiness/hotplugLimits";
export { mergeUserData, UserDataError } from "../core/guestReadiness/userDataMerge";
export { checkKernelCommandLine, checkPossibleCpus } from "../core/guestReadiness/kernelParameterChecks";
export { checkMemoryHotplugKernel } from "../core/guestReadiness/kernelRelease";
export { LiveVmProviderRbac, type LiveVmProviderRbacArgs } from "./providerRbac";
export { VIRTUAL_MACHINE_RULES, KUBEVIRT_CR_RULES, type ProviderRbacRule } from "./providerRbacRules";
