import * as pulumi from "@pulumi/pulumi";
import type { Outcome } from "../../core/kubevirt/plan";
import type { CpuTopology, ObjectMeta, VirtualMachine as VirtualMachineObject } from "../../core/kubevirt/schema";
import type { virtualMachineInstance } from "../../core/kubevirt/schema";
import type { z } from "zod";
import { type DeepInput } from "../deepInput";
import { type OnRestartRequired } from "../restartPolicy";

/** `spec` of a KubeVirt VirtualMachine (kubevirt.io/v1); fields livevm does not model pass through as they are. */
export type VirtualMachineSpec = VirtualMachineObject["spec"];
/** `status` of a KubeVirt VirtualMachine. */
export type VirtualMachineStatus = NonNullable<VirtualMachineObject["status"]>;
/** `status.memory` of the running VirtualMachineInstance. */
export type VirtualMachineInstanceMemoryStatus = NonNullable<
  NonNullable<z.infer<typeof virtualMachineInstance>["status"]>["memory"]
>;

/** The `lastPlan` output: what the last create or update did to the running VM, and why. */
export interface LastPlan {
  /** the worst outcome of the changes: none, staged, live, stuck, restart or rejected */
  readonly outcome: Outcome;
  /** the KubeVirt version planned for, e.g. v1.9.0 */
  readonly version: string;
  /** true when the running VMI was derived from the VM rather than read */
  readonly predicted: boolean;
  readonly changes: readonly {
    readonly path: string;
    readonly before: unknown;
    readonly after: unknown;
    readonly outcome: Outcome;
    readonly reason: string;
  }[];
  readonly messages: readonly string[];
  /** what the provider did: "applied live", "restarted", "left RestartRequired", "staged", "nothing to do", ... */
  readonly action: string;
}

export interface VirtualMachineArgs {
  /** the VM's metadata, as in a KubeVirt manifest; `name` defaults to the Pulumi name plus a random suffix */
  metadata?: DeepInput<ObjectMeta>;
  /** the VM's spec, exactly as a KubeVirt VirtualMachine's `spec` (everything passes through) */
  spec: DeepInput<VirtualMachineSpec>;
  /**
   * what to do when an update cannot be applied to the running VM: `restart` it, `warn` and leave it
   * RestartRequired, or `fail` the preview; default: the provider's `onRestartRequired` ("warn")
   */
  onRestartRequired?: pulumi.Input<OnRestartRequired>;
  /**
   * wait until live updates really happened in the guest (hotplug conditions cleared, CPU topology and
   * memory at the target, workload-update migration succeeded); default true
   */
  waitForLiveUpdate?: pulumi.Input<boolean>;
}

/**
 * A KubeVirt VirtualMachine (`livevm:kubevirt:VirtualMachine`) whose CPU-socket and guest-memory changes
 * are applied to the running VM by hotplug instead of replacing or restarting it. The preview says for
 * every change whether it applies live, needs a restart, or would be rejected.
 */
export class VirtualMachine extends pulumi.CustomResource {
  /** @internal */
  public static readonly __pulumiType = "livevm:kubevirt:VirtualMachine";

  /** Looks up an existing VirtualMachine by its provider ID (`namespace/name`). */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): VirtualMachine {
    return new VirtualMachine(name, undefined, { ...opts, id });
  }

  /** Returns true if the given object is a livevm KubeVirt VirtualMachine, even across copies of the SDK. */
  public static override isInstance(obj: unknown): obj is VirtualMachine {
    if (obj === undefined || obj === null) return false;
    return (obj as { __pulumiType?: unknown }).__pulumiType === VirtualMachine.__pulumiType;
  }

  /** always kubevirt.io/v1 */
  declare public readonly apiVersion: pulumi.Output<"kubevirt.io/v1">;
  /** always VirtualMachine */
  declare public readonly kind: pulumi.Output<"VirtualMachine">;
  /** the VM's metadata as the cluster has it */
  declare public readonly metadata: pulumi.Output<ObjectMeta>;
  /** the VM's spec as the cluster has it */
  declare public readonly spec: pulumi.Output<VirtualMachineSpec>;
  /** the VM's status (conditions, printableStatus, ...) */
  declare public readonly status: pulumi.Output<VirtualMachineStatus | undefined>;
  /** true while the VM carries the RestartRequired condition (a change waits for the next restart) */
  declare public readonly restartRequired: pulumi.Output<boolean>;
  /** the RestartRequired condition's message, when there is one */
  declare public readonly restartRequiredMessage: pulumi.Output<string | undefined>;
  /** UID of the running VMI: unchanged across live updates, new after a restart */
  declare public readonly vmiUid: pulumi.Output<string | undefined>;
  /** the running VMI's `status.currentCPUTopology`: the topology the guest has now */
  declare public readonly currentCpuTopology: pulumi.Output<CpuTopology | undefined>;
  /** the running VMI's `status.memory` (guestAtBoot, guestCurrent, guestRequested) */
  declare public readonly memory: pulumi.Output<VirtualMachineInstanceMemoryStatus | undefined>;
  /** what the last update did to the running VM and why: per change live, restart, rejected, ... */
  declare public readonly lastPlan: pulumi.Output<LastPlan | undefined>;
  declare public readonly onRestartRequired: pulumi.Output<OnRestartRequired | undefined>;
  declare public readonly waitForLiveUpdate: pulumi.Output<boolean | undefined>;

  constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal */
  constructor(name: string, args: VirtualMachineArgs | undefined, opts?: pulumi.CustomResourceOptions);
  constructor(name: string, args: VirtualMachineArgs | undefined, opts: pulumi.CustomResourceOptions = {}) {
    const inputs: pulumi.Inputs = {
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachine",
      metadata: args?.metadata,
      spec: args?.spec,
      onRestartRequired: args?.onRestartRequired,
      waitForLiveUpdate: args?.waitForLiveUpdate,
      status: undefined,
      restartRequired: undefined,
      restartRequiredMessage: undefined,
      vmiUid: undefined,
      currentCpuTopology: undefined,
      memory: undefined,
      lastPlan: undefined,
    };
    if (!opts.id && args !== undefined && (args.spec === undefined || args.spec === null)) {
      throw new Error(`livevm.kubevirt.VirtualMachine ${JSON.stringify(name)}: missing required argument 'spec'`);
    }
    super(VirtualMachine.__pulumiType, name, inputs, opts);
  }
}
