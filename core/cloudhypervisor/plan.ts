import type { Outcome, PlannedChange } from "../kubevirt/plan";
import type { Architecture } from "./limits";
import type { MemoryHotplugLedger } from "./memoryHotplugLedger";
import type { VmConfig } from "./schema/vmConfig";

/**
 * The Cloud Hypervisor planner's vocabulary. Outcomes are the KubeVirt planner's (core/kubevirt/plan.ts):
 *
 * - none:     nothing changes (identical, or a field Cloud Hypervisor keeps as it is)
 * - staged:   the VM is created but not running: the change edits the stored config and applies at boot
 * - live:     applied to the running VM through the API (vm.resize, vm.add-*, vm.remove-device)
 * - restart:  only takes effect when the guest restarts. `apply` says how:
 *               "reboot"   - the API accepts it now and stores it; it takes effect at the next vm.reboot
 *                            (ACPI memory shrink)
 *               "cold"     - needs vm.shutdown, the same API call on the stopped VM, then vm.boot
 *                            (vCPU resize where vCPU hotplug is unsupported: aarch64)
 *               "recreate" - Cloud Hypervisor cannot change it on an existing VM at all: the VM must be
 *                            recreated (vm.shutdown, vm.delete, vm.create, vm.boot). The reason says so.
 * - rejected: Cloud Hypervisor would refuse the request (its error is quoted) or the config is invalid;
 *             livevm sends nothing.
 * - stuck:    not produced: Cloud Hypervisor answers every resize synchronously (a pending vCPU removal
 *             answers 429, which the client retries).
 */
export type ApplyMode = "none" | "live" | "staged" | "reboot" | "cold" | "recreate" | "rejected";

export interface CloudHypervisorChange extends PlannedChange {
  /** how the change is applied; see ApplyMode */
  readonly apply: ApplyMode;
}

/** One API request: PUT /api/v1/<endpoint> with an optional JSON body (bigints are exact sizes). */
export interface ApiCall {
  readonly endpoint: string;
  readonly body?: Readonly<Record<string, unknown>>;
  /** the change paths this request applies */
  readonly paths: readonly string[];
}

/** What, beyond API calls on the VM as it is, the plan needs. Ordered from least to most disruptive. */
export const DISRUPTIONS = ["none", "reboot", "cold", "recreate"] as const;
export type Disruption = (typeof DISRUPTIONS)[number];

export type VmState = "Created" | "Running" | "Shutdown" | "Paused" | "BreakPoint";

export interface CloudHypervisorPlanInput {
  /** the config Cloud Hypervisor holds now (vm.info.config), or undefined for a VM that does not exist yet */
  readonly before?: VmConfig;
  /** the config the user wants */
  readonly after: VmConfig;
  /** vm.info.state; absent means Running */
  readonly state?: VmState;
  /** the host's architecture; absent means x86_64 */
  readonly arch?: Architecture;
  /** what was hot-added since the last boot (ACPI); absent means nothing (assumed, and said so in messages) */
  readonly ledger?: MemoryHotplugLedger;
  /**
   * ids removed with vm.remove-device that the guest has not ejected yet (still in vm.info's device_tree
   * but no longer in its config): an id cannot be hot-added again until the guest has ejected it
   */
  readonly pendingEject?: readonly string[];
}

export interface CloudHypervisorPlan {
  /** the worst outcome of the changes */
  readonly outcome: Outcome;
  readonly changes: readonly CloudHypervisorChange[];
  readonly messages: readonly string[];
  /** true when the VM runs (Running or Paused): changes are live, restart or rejected rather than staged */
  readonly running: boolean;
  /**
   * Requests to send to the VM in its current state, in a safe order: device removals, memory growth,
   * vCPUs, memory shrink, balloon, device additions. For a running VM these are the live (and "reboot")
   * changes; for a stopped VM every resize and device change, which Cloud Hypervisor stores for the next boot.
   */
  readonly calls: readonly ApiCall[];
  /** the most disruptive step the plan needs after `calls` */
  readonly disruption: Disruption;
  /** for disruption "cold": requests to send between vm.shutdown and vm.boot */
  readonly coldCalls: readonly ApiCall[];
}
