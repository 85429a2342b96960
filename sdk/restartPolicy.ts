/**
 * What the provider does when a change cannot be applied to the running VM:
 * - `restart`: apply it and restart the VM (KubeVirt restart subresource; Cloud Hypervisor reboot or recreate)
 * - `warn`: apply it, leave the VM running with RestartRequired, and say so (the provider's default)
 * - `fail`: fail the preview and the update before anything is changed
 */
export type OnRestartRequired = "restart" | "warn" | "fail";

export const ON_RESTART_REQUIRED: readonly OnRestartRequired[] = ["restart", "warn", "fail"];
