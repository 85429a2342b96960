import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { type KubeVirt } from "../core/kubevirt/schema";
import { versionProfile } from "../core/kubevirt/versionProfile";
import { argumentErrors } from "./argumentError";
import { isKnownNow } from "./knownNow";
import {
  DEFAULT_KUBEVIRT_NAME,
  DEFAULT_KUBEVIRT_NAMESPACE,
  KUBEVIRT_API_VERSION,
  KUBEVIRT_KIND,
  readKubeVirt,
} from "./kubeVirtCustomResource";
import { checkGateList, checkVersion, describe, mergeFeatureGates } from "./liveUpdateClusterSettings";
import { patchAnnotations } from "./patchAnnotations";

export interface CpuManagerNodesArgs {
  /** The cluster's KubeVirt version, e.g. "v1.8.0": it decides the node label key. Plain, not an Input. */
  version: string;
  /** names of the nodes that run dedicated-CPU VMs (plain: one NodePatch per node) */
  nodes: string[];
  /**
   * Enable KubeVirt's CPUManager feature gate in the KubeVirt CR (default true). Set false when another
   * component already lists it, e.g. `new KubeVirtLiveUpdates(..., { featureGates: ["CPUManager"] })`.
   */
  enableFeatureGate?: boolean;
  /**
   * Set true once every listed node's kubelet runs the static CPU manager policy; the warning that
   * virt-handler rewrites the label otherwise then becomes an info message. Default false.
   */
  kubeletStaticPolicy?: boolean;
  /** read the KubeVirt CR at deployment and keep the gates it lists (default true; featureGates is an atomic list) */
  readCurrent?: boolean;
  /** feature gates to keep in the list besides the ones read from the CR */
  keepFeatureGates?: pulumi.Input<string[]>;
  /** name of the KubeVirt CR (default "kubevirt") */
  kubevirtName?: string;
  /** namespace of the KubeVirt CR (default "kubevirt") */
  kubevirtNamespace?: string;
  /** take over fields (the node label, the gate list) that another manager set differently (default true) */
  force?: boolean;
}

export const CPU_MANAGER_NODES_TYPE = "livevm:index:CpuManagerNodes";
export const CPU_MANAGER_FIELD_MANAGER = "livevm-cpu-manager";
export const CPU_MANAGER_GATE = "CPUManager";

/** The kubelet settings that make virt-handler keep the CPU-manager label at "true". */
export const KUBELET_STATIC_CPU_MANAGER = [
  "# KubeletConfiguration (e.g. /var/lib/kubelet/config.yaml) on each dedicated-CPU node",
  "apiVersion: kubelet.config.k8s.io/v1beta1",
  "kind: KubeletConfiguration",
  "cpuManagerPolicy: static",
  "# the static policy needs CPUs reserved for the system: reservedSystemCPUs, or a CPU in kubeReserved/systemReserved",
  'reservedSystemCPUs: "0"',
  "# to switch a node: drain it, stop the kubelet, delete /var/lib/kubelet/cpu_manager_state, start the kubelet, uncordon it",
].join("\n");

const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * What dedicatedCpuPlacement needs: the CPUManager feature gate in the KubeVirt CR and the version's
 * CPU-manager label (`cpumanager` up to v1.7, `kubevirt.io/cpumanager` from v1.8) on the chosen nodes,
 * set through NodePatch. virt-handler's heartbeat rewrites that label every minute, to "true" only where
 * the kubelet runs the static CPU manager policy: the component says so, with the kubelet settings.
 */
export class CpuManagerNodes extends pulumi.ComponentResource {
  /** the node label key of the version */
  public readonly labelKey: string;
  /** the nodes labelled */
  public readonly nodeNames: string[];
  /** one NodePatch per node */
  public readonly nodePatches: corev1.NodePatch[];
  /** the patch that enables the CPUManager gate, when enableFeatureGate */
  public readonly gatePatch: apiextensions.CustomResourcePatch | undefined;
  /** the featureGates list applied (undefined when the gate is left to another component) */
  public readonly featureGates: pulumi.Output<string[] | undefined>;
  /** the kubelet configuration the nodes need (static CPU manager policy) */
  public readonly kubeletConfiguration: string;
  /** the warning about virt-handler rewriting the label */
  public readonly labelWarning: string;

  constructor(name: string, args: CpuManagerNodesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const err = argumentErrors(CPU_MANAGER_NODES_TYPE, name);
    if (args === undefined || args === null) throw err("args", "expected an object with `version` and `nodes`");
    const version = checkVersion(args.version, err);
    const profile = versionProfile(version);
    if (!Array.isArray(args.nodes) || args.nodes.length === 0) {
      throw err("nodes", `expected a non-empty list of node names, got ${describe(args.nodes)}`);
    }
    const seen = new Set<string>();
    args.nodes.forEach((node, i) => {
      if (typeof node !== "string" || node.length > 253 || !NODE_NAME.test(node)) {
        throw err(`nodes[${i}]`, `expected a Kubernetes node name (lower-case DNS subdomain), got ${describe(node)}`);
      }
      if (seen.has(node)) throw err(`nodes[${i}]`, `${JSON.stringify(node)} is listed twice`);
      seen.add(node);
    });
    if (isKnownNow(args.keepFeatureGates)) checkGateList(args.keepFeatureGates, "keepFeatureGates", err);
    super(CPU_MANAGER_NODES_TYPE, name, {}, opts);

    this.labelKey = profile.cpuManagerLabel;
    this.nodeNames = [...args.nodes];
    this.kubeletConfiguration = KUBELET_STATIC_CPU_MANAGER;
    this.labelWarning =
      `virt-handler rewrites the node label ${this.labelKey} every minute: "true" only where the CPUManager gate is on and ` +
      `the kubelet runs the static CPU manager policy (it reads /var/lib/kubelet/cpu_manager_state), "false" everywhere else. ` +
      `The label set on ${this.nodeNames.join(", ")} lasts only if their kubelets run cpuManagerPolicy: static with CPUs ` +
      `reserved (reservedSystemCPUs: "0", or kubeReserved/systemReserved cpu); otherwise dedicated-CPU VMs stay Pending. ` +
      `To switch a node: drain it, stop the kubelet, delete /var/lib/kubelet/cpu_manager_state, set the policy, start the kubelet, uncordon it.`;
    if (args.kubeletStaticPolicy) void pulumi.log.info(this.labelWarning, this);
    else void pulumi.log.warn(this.labelWarning, this);

    const force = args.force ?? true;
    const where = {
      name: args.kubevirtName ?? DEFAULT_KUBEVIRT_NAME,
      namespace: args.kubevirtNamespace ?? DEFAULT_KUBEVIRT_NAMESPACE,
    };
    if (args.enableFeatureGate ?? true) {
      const whereText = `KubeVirt ${where.namespace}/${where.name}`;
      const current: pulumi.Output<KubeVirt | undefined> =
        args.readCurrent === false
          ? pulumi.output(undefined)
          : readKubeVirt(`${name}-current`, where, { parent: this, dependsOn: opts.dependsOn });
      const gates = pulumi.all([current, pulumi.output(args.keepFeatureGates ?? [])]).apply(([cr, keep]) => {
        checkGateList(keep, "keepFeatureGates", err);
        const dev = cr?.spec?.configuration?.developerConfiguration;
        const merged = mergeFeatureGates(
          version,
          [CPU_MANAGER_GATE],
          {
            featureGates: [...(dev?.featureGates ?? []), ...keep],
            disabledFeatureGates: dev?.disabledFeatureGates ?? [],
          },
          whereText,
        );
        for (const warning of merged.warnings) void pulumi.log.warn(warning, this);
        return merged.featureGates ? [...merged.featureGates] : undefined;
      });
      this.gatePatch = new apiextensions.CustomResourcePatch(
        `${name}-kubevirt`,
        {
          apiVersion: KUBEVIRT_API_VERSION,
          kind: KUBEVIRT_KIND,
          metadata: {
            name: where.name,
            namespace: where.namespace,
            annotations: patchAnnotations(CPU_MANAGER_FIELD_MANAGER, force),
          },
          spec: { configuration: { developerConfiguration: { featureGates: gates } } },
        },
        { parent: this, retainOnDelete: true },
      );
      this.featureGates = gates;
    } else {
      this.gatePatch = undefined;
      this.featureGates = pulumi.output(undefined);
    }

    this.nodePatches = this.nodeNames.map(
      (node) =>
        new corev1.NodePatch(
          `${name}-${node}`,
          {
            metadata: {
              name: node,
              labels: { [this.labelKey]: "true" },
              annotations: patchAnnotations(CPU_MANAGER_FIELD_MANAGER, force),
            },
          },
          { parent: this },
        ),
    );

    this.registerOutputs({
      labelKey: this.labelKey,
      nodeNames: this.nodeNames,
      featureGates: this.featureGates,
      kubeletConfiguration: this.kubeletConfiguration,
    });
  }
}
