import * as pulumi from "@pulumi/pulumi";
import { type ObjectMeta } from "../core/kubevirt/schema";
import { type DeepInput } from "../sdk/deepInput";
import * as kubevirt from "../sdk/kubevirt";
import { type OnRestartRequired } from "../sdk/restartPolicy";
import { argumentErrors } from "./argumentError";
import { buildHotplugSpec, type ClusterLiveUpdateSettings, type HotplugSpec } from "./hotplugVirtualMachineSpec";
import { isKnownNow } from "./knownNow";

export interface HotplugVirtualMachineArgs {
  /**
   * The cluster's KubeVirt version, e.g. "v1.9.0". Plain, not an Input: it decides the VM's shape
   * (v1.0/v1.1 put the headroom in `spec.liveUpdateFeatures`) and which rules apply.
   */
  version: string;
  /** the VM's metadata, as in a KubeVirt manifest */
  metadata?: DeepInput<ObjectMeta>;
  /**
   * The VM's spec, as a KubeVirt VirtualMachine's `spec`. Size it with `domain.cpu` (sockets, cores,
   * threads) and `domain.memory.guest` (required); the component adds maxSockets and maxGuest.
   */
  spec: DeepInput<kubevirt.VirtualMachineSpec>;
  /**
   * Most CPU sockets the VM can grow to without a restart. Default: what the cluster's settings give
   * (`cluster`): its maxCpuSockets, else sockets x maxHotplugRatio (4), capped at 512 vCPUs.
   */
  maxSockets?: pulumi.Input<number>;
  /**
   * Most guest memory the VM can grow to without a restart (a quantity, e.g. "16Gi"; v1.1+). Default:
   * the cluster's maxGuest, else guest x maxHotplugRatio (4). Checked with KubeVirt's memory-hotplug rules.
   */
  maxGuest?: pulumi.Input<string>;
  /** whether the VM gets memory hotplug headroom (default: true from v1.1, where KubeVirt has it) */
  memoryHotplug?: boolean;
  /** the cluster's live-update settings, e.g. `new KubeVirtLiveUpdates(...).settings`; default KubeVirt's defaults */
  cluster?: pulumi.Input<ClusterLiveUpdateSettings>;
  /**
   * Make hot-plugged CPUs and memory usable in the guest: cloud-init that onlines them (memory as
   * online_movable) and loads virtio_mem, merged into the template's cloud-init user data (or a new
   * NoCloud disk). `true` for both, or choose: `{ cpu: true, memory: false }`. Default false.
   */
  guestReadiness?: boolean | { cpu?: boolean; memory?: boolean };
  /** what to do when an update cannot be applied live: "restart", "warn" (provider default) or "fail" */
  onRestartRequired?: pulumi.Input<OnRestartRequired>;
  /** wait until live updates really happened in the guest (default true) */
  waitForLiveUpdate?: pulumi.Input<boolean>;
}

export const HOTPLUG_VIRTUAL_MACHINE_TYPE = "livevm:index:HotplugVirtualMachine";

/**
 * A livevm KubeVirt VirtualMachine with hotplug-ready defaults: explicit maxSockets and maxGuest
 * headroom, guest memory that satisfies the memory-hotplug rules of the cluster's version, dedicated
 * CPUs sized through the topology, and (optionally) a guest that onlines what is hot-plugged.
 * Bad arguments fail at construction with a message naming the argument.
 */
export class HotplugVirtualMachine extends pulumi.ComponentResource {
  /** the livevm VirtualMachine */
  public readonly vm: kubevirt.VirtualMachine;
  /** the VM's maximum CPU sockets */
  public readonly maxSockets: pulumi.Output<number>;
  /** the VM's maximum guest memory (undefined without memory hotplug) */
  public readonly maxGuest: pulumi.Output<string | undefined>;
  /** vCPUs at boot and at most */
  public readonly vcpus: pulumi.Output<{ boot: number; max: number }>;
  /** the spec submitted, with the headroom filled in */
  public readonly spec: pulumi.Output<kubevirt.VirtualMachineSpec>;
  /** true while a change waits for a restart */
  public readonly restartRequired: pulumi.Output<boolean>;

  constructor(name: string, args: HotplugVirtualMachineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const err = argumentErrors(HOTPLUG_VIRTUAL_MACHINE_TYPE, name);
    if (args === undefined || args === null) throw err("args", "expected an object with `version` and `spec`");
    const raw = {
      version: args.version,
      spec: args.spec,
      maxSockets: args.maxSockets,
      maxGuest: args.maxGuest,
      memoryHotplug: args.memoryHotplug,
      guestReadiness: args.guestReadiness,
    };
    // Checked before anything is registered, when the arguments are known now. Cluster settings that
    // come from another resource are applied when they resolve (the same checks run again then).
    let built: HotplugSpec | undefined;
    if (isKnownNow(raw)) {
      const clusterNow = isKnownNow(args.cluster) ? args.cluster : undefined;
      built = buildHotplugSpec({ ...raw, cluster: clusterNow }, err);
      if (!isKnownNow(args.cluster)) built = undefined;
    }
    super(HOTPLUG_VIRTUAL_MACHINE_TYPE, name, {}, opts);

    const result = (built
      ? pulumi.output(built)
      : pulumi
          .all([pulumi.output(raw), pulumi.output(args.cluster)])
          .apply(([r, cluster]) => buildHotplugSpec({ ...r, cluster }, err))) as unknown as pulumi.Output<HotplugSpec>;
    const logged = result.apply((r) => {
      for (const note of r.notes) void pulumi.log.info(note, this);
      return r;
    });

    this.vm = new kubevirt.VirtualMachine(
      name,
      {
        metadata: args.metadata,
        spec: logged.apply((r) => r.spec) as DeepInput<kubevirt.VirtualMachineSpec>,
        onRestartRequired: args.onRestartRequired,
        waitForLiveUpdate: args.waitForLiveUpdate,
      },
      { parent: this },
    );
    this.maxSockets = result.apply((r) => r.maxSockets);
    this.maxGuest = result.apply((r) => r.maxGuest);
    this.vcpus = result.apply((r) => ({ boot: r.vcpus.boot, max: r.vcpus.max }));
    this.spec = this.vm.spec;
    this.restartRequired = this.vm.restartRequired;
    this.registerOutputs({
      maxSockets: this.maxSockets,
      maxGuest: this.maxGuest,
      vcpus: this.vcpus,
      spec: this.spec,
      restartRequired: this.restartRequired,
    });
  }
}
