import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";
import { argumentErrors } from "./argumentError";
import { DEFAULT_KUBEVIRT_NAMESPACE } from "./kubeVirtCustomResource";
import { KUBEVIRT_CR_RULES, VIRTUAL_MACHINE_RULES, type ProviderRbacRule } from "./providerRbacRules";

export interface LiveVmProviderRbacArgs {
  /** namespace of the provider's ServiceAccount (default "livevm-system"; it must exist) */
  serviceAccountNamespace?: string;
  /** name of the ServiceAccount (default "livevm-provider") */
  serviceAccountName?: string;
  /** create the ServiceAccount (default true); false binds an existing one */
  createServiceAccount?: boolean;
  /**
   * The namespaces that hold livevm VirtualMachines: one RoleBinding to the ClusterRole in each. When
   * omitted, a ClusterRoleBinding grants the VM rules in every namespace.
   */
  vmNamespaces?: string[];
  /** namespace of the KubeVirt CR the provider reads (default "kubevirt", the provider's kubevirtNamespace) */
  kubevirtNamespace?: string;
}

export const LIVEVM_PROVIDER_RBAC_TYPE = "livevm:index:LiveVmProviderRbac";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A rule as RBAC takes it (the `usedBy` note stays in the source and the manifest's comments). */
export function policyRule(rule: ProviderRbacRule): { apiGroups: string[]; resources: string[]; verbs: string[] } {
  return { apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] };
}

/**
 * The least privilege the livevm provider needs, for a ServiceAccount it runs as (in-cluster config, or a
 * kubeconfig with the account's token): a ClusterRole with the VirtualMachine, VMI and migration rules,
 * bound cluster-wide or in the listed namespaces, and a Role in the KubeVirt CR's namespace to read the
 * CR. The same rules as `deploy/rbac/livevm-provider.yaml`.
 */
export class LiveVmProviderRbac extends pulumi.ComponentResource {
  public readonly serviceAccountName: string;
  public readonly serviceAccountNamespace: string;
  /** the ServiceAccount, when createServiceAccount */
  public readonly serviceAccount: corev1.ServiceAccount | undefined;
  /** the VM rules */
  public readonly clusterRole: rbacv1.ClusterRole;
  /** the KubeVirt CR rule, in kubevirtNamespace */
  public readonly kubevirtRole: rbacv1.Role;
  /** a ClusterRoleBinding, or one RoleBinding per vmNamespaces entry */
  public readonly vmBindings: (rbacv1.ClusterRoleBinding | rbacv1.RoleBinding)[];
  public readonly kubevirtBinding: rbacv1.RoleBinding;

  constructor(name: string, args: LiveVmProviderRbacArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    super(LIVEVM_PROVIDER_RBAC_TYPE, name, {}, opts);
    const error = argumentErrors(LIVEVM_PROVIDER_RBAC_TYPE, name);
    const saNamespace = args.serviceAccountNamespace ?? "livevm-system";
    const saName = args.serviceAccountName ?? "livevm-provider";
    const kubevirtNamespace = args.kubevirtNamespace ?? DEFAULT_KUBEVIRT_NAMESPACE;
    const checkName = (argument: string, value: string): void => {
      if (!DNS_LABEL.test(value)) {
        throw error(argument, `expected a Kubernetes name (lower-case DNS label), got ${JSON.stringify(value)}`);
      }
    };
    checkName("serviceAccountNamespace", saNamespace);
    checkName("serviceAccountName", saName);
    checkName("kubevirtNamespace", kubevirtNamespace);
    if (args.vmNamespaces !== undefined) {
      if (args.vmNamespaces.length === 0) {
        throw error(
          "vmNamespaces",
          "expected at least one namespace (omit it to grant the VM rules in every namespace)",
        );
      }
      const seen = new Set<string>();
      for (const [i, ns] of args.vmNamespaces.entries()) {
        checkName(`vmNamespaces[${i}]`, ns);
        if (seen.has(ns)) throw error(`vmNamespaces[${i}]`, `${JSON.stringify(ns)} is listed twice`);
        seen.add(ns);
      }
    }
    this.serviceAccountName = saName;
    this.serviceAccountNamespace = saNamespace;
    const child = { parent: this };
    this.serviceAccount =
      args.createServiceAccount === false
        ? undefined
        : new corev1.ServiceAccount(name, { metadata: { name: saName, namespace: saNamespace } }, child);
    const subjects = [{ kind: "ServiceAccount", name: saName, namespace: saNamespace }];
    const after = this.serviceAccount ? { ...child, dependsOn: [this.serviceAccount] } : child;

    this.clusterRole = new rbacv1.ClusterRole(name, { rules: VIRTUAL_MACHINE_RULES.map(policyRule) }, child);
    const roleRef = {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: this.clusterRole.metadata.name,
    };
    this.vmBindings = args.vmNamespaces
      ? args.vmNamespaces.map(
          (ns) => new rbacv1.RoleBinding(`${name}-${ns}`, { metadata: { namespace: ns }, roleRef, subjects }, after),
        )
      : [new rbacv1.ClusterRoleBinding(name, { roleRef, subjects }, after)];

    this.kubevirtRole = new rbacv1.Role(
      `${name}-kubevirt-cr`,
      { metadata: { namespace: kubevirtNamespace }, rules: KUBEVIRT_CR_RULES.map(policyRule) },
      child,
    );
    this.kubevirtBinding = new rbacv1.RoleBinding(
      `${name}-kubevirt-cr`,
      {
        metadata: { namespace: kubevirtNamespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: this.kubevirtRole.metadata.name },
        subjects,
      },
      after,
    );
    this.registerOutputs({
      serviceAccountName: saName,
      serviceAccountNamespace: saNamespace,
      clusterRole: this.clusterRole.metadata.name,
      kubevirtRole: this.kubevirtRole.metadata.name,
    });
  }
}
