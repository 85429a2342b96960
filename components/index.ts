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
export { hotplugOnliningCloudConfig, type CloudConfig } from "../core/guest/hotplugOnliningCloudConfig";
export { mergeCloudInitUserData } from "../core/guest/mergeCloudInitUserData";
