import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { type KubeVirt } from "../core/kubevirt/schema";
import { argumentErrors } from "./argumentError";
import { deriveNowOrLater, isKnownNow } from "./knownNow";
import {
  DEFAULT_KUBEVIRT_NAME,
  DEFAULT_KUBEVIRT_NAMESPACE,
  KUBEVIRT_API_VERSION,
  KUBEVIRT_KIND,
  readKubeVirt,
} from "./kubeVirtCustomResource";
import {
  checkGateList,
  checkLiveUpdatesArgs,
  checkMethodList,
  planLiveUpdatesPatch,
  type EffectiveLiveUpdateSettings,
  type KubeVirtPatchSpec,
  type LiveUpdatesRequest,
} from "./liveUpdateClusterSettings";
import { patchAnnotations } from "./patchAnnotations";

export interface KubeVirtLiveUpdatesArgs {
  /**
   * The cluster's KubeVirt version, e.g. "v1.4.1" (`kubectl get kubevirt -n kubevirt kubevirt -o
   * jsonpath='{.status.observedKubeVirtVersion}'`). Plain, not an Input: it decides which fields exist.
   * At deployment it is checked against the CR's observedKubeVirtVersion.
   */
  version: string;
  /**
   * Cluster-wide maximum CPU sockets for VMs without their own maxSockets
   * (`liveUpdateConfiguration.maxCpuSockets`; every version). Whole number >= 1.
   */
  maxCpuSockets?: pulumi.Input<number>;
  /**
   * Cluster-wide maximum guest memory for VMs without their own maxGuest
   * (`liveUpdateConfiguration.maxGuest`; v1.1+). A quantity, 2Mi aligned, at least 1Gi from v1.4.
   */
  maxGuest?: pulumi.Input<string>;
  /**
   * Maximum = ratio x boot size, for VMs without their own maximum and with no cluster maximum
   * (`liveUpdateConfiguration.maxHotplugRatio`; v1.1+; KubeVirt's default 4). Whole number >= 1.
   */
  maxHotplugRatio?: pulumi.Input<number>;
  /** other feature gates to enable in the same patch, e.g. ["CPUManager"] (see CpuManagerNodes) */
  featureGates?: string[];
  /**
   * Read the KubeVirt CR at deployment time and keep the feature gates and workload-update methods it
   * lists (default true). Both are atomic lists: server-side apply replaces them as a whole, so the
   * patch must carry everyone's entries. With false, only `keepFeatureGates`/`keepWorkloadUpdateMethods` are kept.
   */
  readCurrent?: boolean;
  /** feature gates to keep in the list besides the ones read from the CR (e.g. when readCurrent is false) */
  keepFeatureGates?: pulumi.Input<string[]>;
  /** workload-update methods to keep besides LiveMigrate and the ones read from the CR, e.g. ["Evict"] */
  keepWorkloadUpdateMethods?: pulumi.Input<("LiveMigrate" | "Evict")[]>;
  /** name of the KubeVirt CR (default "kubevirt") */
  kubevirtName?: string;
  /** namespace of the KubeVirt CR (default "kubevirt") */
  kubevirtNamespace?: string;
  /**
   * Take over fields another manager set to a different value (`pulumi.com/patchForce`; default true).
   * Needed to add a gate to a featureGates list that virt-operator, kubectl or Helm wrote.
   */
  force?: boolean;
  /**
   * Leave the settings in the CR when this component is deleted (default true). Deleting the patch
   * would otherwise remove the fields only it owns, which after a forced apply includes the whole
   * featureGates list, everyone's gates with it.
   */
  retainOnDelete?: boolean;
}

export const KUBEVIRT_LIVE_UPDATES_TYPE = "livevm:index:KubeVirtLiveUpdates";
export const LIVE_UPDATES_FIELD_MANAGER = "livevm-live-updates";

/**
 * Turns on CPU and memory hotplug in a KubeVirt cluster: patches the existing KubeVirt CR (server-side
 * apply through `CustomResourcePatch`, field manager `livevm-live-updates`) with exactly what the
 * cluster's version needs: the VMLiveUpdateFeatures gate (v1.0–v1.4), `vmRolloutStrategy: LiveUpdate`
 * (v1.2+), LiveMigrate in workloadUpdateMethods, and the liveUpdateConfiguration maxima given. Gates and
 * methods that others set are kept. `settings` is what VMs size their headroom with.
 */
export class KubeVirtLiveUpdates extends pulumi.ComponentResource {
  /** the parsed KubeVirt version, e.g. "v1.4.1" */
  public readonly version: string;
  /** the CustomResourcePatch on the KubeVirt CR */
  public readonly patch: apiextensions.CustomResourcePatch;
  /** the featureGates list applied, or undefined when this version needs no gate */
  public readonly featureGates: pulumi.Output<string[] | undefined>;
  /** the workloadUpdateMethods list applied (always with LiveMigrate) */
  public readonly workloadUpdateMethods: pulumi.Output<string[]>;
  /** "LiveUpdate" where the field exists (v1.2+), else undefined */
  public readonly vmRolloutStrategy: pulumi.Output<"LiveUpdate" | undefined>;
  /** the liveUpdateConfiguration fields applied */
  public readonly liveUpdateConfiguration: pulumi.Output<KubeVirtPatchSpec["configuration"]["liveUpdateConfiguration"]>;
  /** the cluster's live-update settings after the patch, for HotplugVirtualMachine's `cluster` argument */
  public readonly settings: pulumi.Output<EffectiveLiveUpdateSettings>;

  constructor(name: string, args: KubeVirtLiveUpdatesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const err = argumentErrors(KUBEVIRT_LIVE_UPDATES_TYPE, name);
    if (args === undefined || args === null) throw err("args", "expected an object with at least `version`");
    const raw = {
      version: args.version,
      maxCpuSockets: args.maxCpuSockets,
      maxGuest: args.maxGuest,
      maxHotplugRatio: args.maxHotplugRatio,
      featureGates: args.featureGates,
    };
    // Checked before anything is registered. The version and gates decide which resources and fields
    // exist: they are plain. The maxima are checked now when known, else as soon as they resolve.
    const requestNow = checkLiveUpdatesArgs({ version: args.version, featureGates: args.featureGates }, err);
    const request = deriveNowOrLater(raw, (r) => checkLiveUpdatesArgs(r, err));
    if (isKnownNow(args.keepFeatureGates)) checkGateList(args.keepFeatureGates, "keepFeatureGates", err);
    if (isKnownNow(args.keepWorkloadUpdateMethods)) {
      checkMethodList(args.keepWorkloadUpdateMethods, "keepWorkloadUpdateMethods", err);
    }
    super(KUBEVIRT_LIVE_UPDATES_TYPE, name, {}, opts);
    this.version = requestNow.profile.label;

    const where = {
      name: args.kubevirtName ?? DEFAULT_KUBEVIRT_NAME,
      namespace: args.kubevirtNamespace ?? DEFAULT_KUBEVIRT_NAMESPACE,
    };
    const whereText = `KubeVirt ${where.namespace}/${where.name}`;
    const current: pulumi.Output<KubeVirt | undefined> =
      args.readCurrent === false
        ? pulumi.output(undefined)
        : readKubeVirt(`${name}-current`, where, { parent: this, dependsOn: opts.dependsOn });
    const keep = pulumi.output({
      featureGates: args.keepFeatureGates ?? [],
      workloadUpdateMethods: args.keepWorkloadUpdateMethods ?? [],
    });
    const plan = pulumi.all([request, current, keep]).apply(([req, cr, kept]) => {
      checkGateList(kept.featureGates, "keepFeatureGates", err);
      checkMethodList(kept.workloadUpdateMethods, "keepWorkloadUpdateMethods", err);
      const result = planLiveUpdatesPatch(req as LiveUpdatesRequest, cr, kept, whereText, err);
      for (const warning of result.warnings) void pulumi.log.warn(warning, this);
      return result;
    });

    this.patch = new apiextensions.CustomResourcePatch(
      `${name}-kubevirt`,
      {
        apiVersion: KUBEVIRT_API_VERSION,
        kind: KUBEVIRT_KIND,
        metadata: {
          name: where.name,
          namespace: where.namespace,
          annotations: patchAnnotations(LIVE_UPDATES_FIELD_MANAGER, args.force ?? true),
        },
        spec: plan.apply((p) => p.spec),
      },
      { parent: this, retainOnDelete: args.retainOnDelete ?? true },
    );

    this.featureGates = plan.apply((p) => p.spec.configuration.developerConfiguration?.featureGates);
    this.workloadUpdateMethods = plan.apply((p) => p.spec.workloadUpdateStrategy.workloadUpdateMethods);
    this.vmRolloutStrategy = plan.apply((p) => p.spec.configuration.vmRolloutStrategy);
    this.liveUpdateConfiguration = plan.apply((p) => p.spec.configuration.liveUpdateConfiguration);
    // settings become available once the patch is applied
    this.settings = pulumi.all([plan, this.patch.urn]).apply(([p]) => p.effective);

    this.registerOutputs({
      version: this.version,
      featureGates: this.featureGates,
      workloadUpdateMethods: this.workloadUpdateMethods,
      vmRolloutStrategy: this.vmRolloutStrategy,
      liveUpdateConfiguration: this.liveUpdateConfiguration,
      settings: this.settings,
    });
  }
}
