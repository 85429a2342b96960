import * as pulumi from "@pulumi/pulumi";
import { type OnRestartRequired } from "./restartPolicy";

/** How long the provider waits, in seconds. */
export interface ProviderTimeouts {
  /** seconds to wait for a created VM to run (per its runStrategy); default 600 */
  create?: number;
  /** seconds to wait for a live update (hotplug through live migration) or a restart; default 900 */
  update?: number;
  /** seconds to wait for the VM and its VMI to be gone; default 600 */
  delete?: number;
}

export interface ProviderArgs {
  /**
   * kubeconfig file path or content (YAML or JSON). Stored as a secret. Absent: `$KUBECONFIG`,
   * then `~/.kube/config`, then the in-cluster service account.
   */
  kubeconfig?: pulumi.Input<string>;
  /** kubeconfig context to use; default: the kubeconfig's current-context */
  context?: pulumi.Input<string>;
  /** namespace for VMs whose metadata.namespace is unset; default: the context's, then "default" */
  namespace?: pulumi.Input<string>;
  /** namespace of the KubeVirt CR (read for the cluster's version and live-update settings); default "kubevirt" */
  kubevirtNamespace?: pulumi.Input<string>;
  /** default for resources that do not set their own onRestartRequired; default "warn" */
  onRestartRequired?: pulumi.Input<OnRestartRequired>;
  /** how long to wait for creates, live updates and deletes */
  timeouts?: pulumi.Input<ProviderTimeouts>;
}

/**
 * The livevm provider (`pulumi:providers:livevm`): which cluster the VirtualMachine resources talk to,
 * in the style of `@pulumi/kubernetes`' Provider. Without an explicit provider, resources use the
 * default one configured by `livevm:*` stack configuration.
 */
export class Provider extends pulumi.ProviderResource {
  /** @internal */
  public static readonly __pulumiType = "livevm";

  /** Returns true if the given object is a livevm Provider, even across copies of the SDK. */
  public static override isInstance(obj: unknown): obj is Provider {
    if (obj === undefined || obj === null) return false;
    return (obj as { __pulumiType?: unknown }).__pulumiType === "pulumi:providers:" + Provider.__pulumiType;
  }

  declare public readonly kubeconfig: pulumi.Output<string | undefined>;
  declare public readonly context: pulumi.Output<string | undefined>;
  declare public readonly namespace: pulumi.Output<string | undefined>;
  declare public readonly kubevirtNamespace: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProviderArgs = {}, opts: pulumi.ResourceOptions = {}) {
    const inputs: pulumi.Inputs = {
      kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig),
      context: args.context,
      namespace: args.namespace,
      kubevirtNamespace: args.kubevirtNamespace,
      onRestartRequired: args.onRestartRequired,
      timeouts: args.timeouts,
    };
    super(Provider.__pulumiType, name, inputs, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["kubeconfig"] }));
  }
}
