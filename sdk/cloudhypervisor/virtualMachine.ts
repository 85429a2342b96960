import * as pulumi from "@pulumi/pulumi";
import type { Outcome, PlannedChange } from "../../core/kubevirt/plan";
import { type DeepInput } from "../deepInput";
import { type OnRestartRequired } from "../restartPolicy";
import type { Architecture, VmConfig, VmInfo, VmState } from "./vmConfig";

/** What the last update did to the running Cloud Hypervisor VM, per change, and why. */
export interface CloudHypervisorPlan {
  readonly outcome: Outcome;
  readonly changes: readonly PlannedChange[];
  readonly messages?: readonly string[];
  readonly [field: string]: unknown;
}

export interface VirtualMachineArgs {
  /** path of the VMM's API socket (`cloud-hypervisor --api-socket <path>`) on the machine running Pulumi */
  apiSocket: pulumi.Input<string>;
  /** the VM's configuration, as the JSON body of `vm.create` (sizes in bytes or "2G" form); hot-pluggable devices need an `id` */
  config: DeepInput<VmConfig>;
  /**
   * what to do when a change cannot be applied to the running VM (e.g. a new max_vcpus): `restart`
   * (recreate and boot it), `warn` (leave it for the next restart and say so), or `fail` the preview
   */
  onRestartRequired?: pulumi.Input<OnRestartRequired>;
  /** the host architecture (default x86_64); vCPU hotplug is x86_64-only */
  architecture?: pulumi.Input<Architecture>;
}

/**
 * A Cloud Hypervisor VM (`livevm:cloudhypervisor:VirtualMachine`) resized in place: vCPUs within
 * max_vcpus, memory within hotplug_size, and devices are changed on the running VM through the VMM's
 * API (`vm.resize`, `vm.add-*`, `vm.remove-device`) instead of recreating it.
 */
export class VirtualMachine extends pulumi.CustomResource {
  /** @internal */
  public static readonly __pulumiType = "livevm:cloudhypervisor:VirtualMachine";

  /** Looks up an existing VM by its provider ID (its API socket path). */
  public static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): VirtualMachine {
    return new VirtualMachine(name, undefined, { ...opts, id });
  }

  /** Returns true if the given object is a livevm Cloud Hypervisor VirtualMachine, even across copies of the SDK. */
  public static override isInstance(obj: unknown): obj is VirtualMachine {
    if (obj === undefined || obj === null) return false;
    return (obj as { __pulumiType?: unknown }).__pulumiType === VirtualMachine.__pulumiType;
  }

  /** path of the VMM's API socket */
  declare public readonly apiSocket: pulumi.Output<string>;
  /** the configuration Cloud Hypervisor holds (`vm.info`), sizes in bytes */
  declare public readonly config: pulumi.Output<VmConfig>;
  /** from `vm.info`: actual memory size, device PCI addresses, devices the guest has not ejected yet */
  declare public readonly info: pulumi.Output<VmInfo | undefined>;
  /** the VM's state: Created, Running, Shutdown, Paused or BreakPoint */
  declare public readonly state: pulumi.Output<VmState | undefined>;
  /** what the last update did and why: per change live, restart, rejected, ... */
  declare public readonly lastPlan: pulumi.Output<CloudHypervisorPlan | undefined>;
  /** RAM at boot, RAM now and ACPI hotplug slots used since boot (which vm.info does not show) */
  declare public readonly memoryHotplug: pulumi.Output<Record<string, unknown> | undefined>;
  declare public readonly onRestartRequired: pulumi.Output<OnRestartRequired | undefined>;
  declare public readonly architecture: pulumi.Output<Architecture | undefined>;

  constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions);
  /** @internal */
  constructor(name: string, args: VirtualMachineArgs | undefined, opts?: pulumi.CustomResourceOptions);
  constructor(name: string, args: VirtualMachineArgs | undefined, opts: pulumi.CustomResourceOptions = {}) {
    if (!opts.id && args !== undefined) {
      if (args.apiSocket === undefined || args.apiSocket === null) {
        throw new Error(
          `livevm.cloudhypervisor.VirtualMachine ${JSON.stringify(name)}: missing required argument 'apiSocket'`,
        );
      }
      if (args.config === undefined || args.config === null) {
        throw new Error(
          `livevm.cloudhypervisor.VirtualMachine ${JSON.stringify(name)}: missing required argument 'config'`,
        );
      }
    }
    const inputs: pulumi.Inputs = {
      apiSocket: args?.apiSocket,
      config: args?.config,
      onRestartRequired: args?.onRestartRequired,
      architecture: args?.architecture,
      info: undefined,
      memoryHotplug: undefined,
      state: undefined,
      lastPlan: undefined,
    };
    super(VirtualMachine.__pulumiType, name, inputs, opts);
  }
}
