/**
 * The Kubernetes API calls the livevm provider makes, as RBAC rules: each rule names the calls that need
 * it. `deploy/rbac/livevm-provider.yaml` ships the same rules (a test keeps the two equal).
 */

export interface ProviderRbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** the provider's calls that need the rule */
  readonly usedBy: string;
}

/** Rules in every namespace that holds livevm VirtualMachines (a ClusterRole, bound per namespace or cluster-wide). */
export const VIRTUAL_MACHINE_RULES: readonly ProviderRbacRule[] = [
  {
    apiGroups: ["kubevirt.io"],
    resources: ["virtualmachines"],
    verbs: ["get", "list", "watch", "create", "patch", "delete"],
    usedBy:
      "get: Diff/Read/Update read the VM; list+watch: the shared watch per namespace (waiters, KubeVirt's Failure condition); create: Create (POST); patch: Update (merge patch with the resourceVersion read); delete: Delete",
  },
  {
    apiGroups: ["kubevirt.io"],
    resources: ["virtualmachineinstances"],
    verbs: ["get", "list", "watch"],
    usedBy:
      "get: Diff/Update read the running VMI to plan; list+watch: the shared watch the hotplug, restart and Create waits follow",
  },
  {
    apiGroups: ["kubevirt.io"],
    resources: ["virtualmachineinstancemigrations"],
    verbs: ["list", "watch"],
    usedBy: "list+watch: the shared watch that reports the workload-update migrations (and KubeVirt's retries)",
  },
  {
    apiGroups: ["subresources.kubevirt.io"],
    resources: ["virtualmachines/restart"],
    verbs: ["update"],
    usedBy: 'update (PUT .../restart): onRestartRequired: "restart"',
  },
];

/** Rules in the KubeVirt CR's namespace (a Role there): the planner reads the cluster's live-update settings. */
export const KUBEVIRT_CR_RULES: readonly ProviderRbacRule[] = [
  {
    apiGroups: ["kubevirt.io"],
    resources: ["kubevirts"],
    verbs: ["list"],
    usedBy:
      "list: Diff/Update read the KubeVirt CR (version, feature gates, workloadUpdateStrategy, maxHotplugRatio); without it the provider plans without the CR and warns",
  },
];
