import type { KubeVirt } from "./schema/kubeVirt";
import type { VirtualMachine } from "./schema/virtualMachine";
import type { VirtualMachineInstance } from "./schema/virtualMachineInstance";
import type { KubeVirtVersion } from "./version";

/**
 * The planner's vocabulary, shared by the provider, the CLI and the components.
 *
 * - none:     nothing changes in the running VM (e.g. a template label, or no diff at all)
 * - live:     KubeVirt applies it to the running VM (hotplug through live migration, or a VMI patch)
 * - restart:  accepted, but KubeVirt marks the VM RestartRequired (or, before v1.2, silently stages it)
 * - rejected: an admission webhook denies the update
 * - stuck:    accepted and started live, but KubeVirt will never complete it (e.g. no LiveMigrate)
 * - staged:   the VM is not running: everything applies at its next start
 */
export const OUTCOMES = ["none", "staged", "live", "stuck", "restart", "rejected"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Severity order for reducing many outcomes to one: none < staged < live < stuck < restart < rejected. */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = "none";
  for (const o of outcomes) if (OUTCOMES.indexOf(o) > OUTCOMES.indexOf(worst)) worst = o;
  return worst;
}

export interface PlannedChange {
  /** dotted JSON path in the VM object, e.g. spec.template.spec.domain.cpu.sockets */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly outcome: Outcome;
  /** plain-words reason, quoting KubeVirt's own message where there is one */
  readonly reason: string;
}

/** An admission denial cause, as KubeVirt's webhook reports it. */
export interface AdmissionCause {
  readonly type: "FieldValueInvalid" | "FieldValueRequired" | "FieldValueNotSupported" | "FieldValueForbidden";
  readonly field: string;
  readonly message: string;
}

export interface PlanInput {
  /** the VM as it runs now (with status), or undefined for a VM that does not exist yet */
  readonly before?: VirtualMachine;
  /** the VM the user wants, or undefined for a deletion */
  readonly after?: VirtualMachine;
  /** the running VMI; when absent and the VM runs, it is derived from `before` and the plan says it is predicted */
  readonly vmi?: VirtualMachineInstance;
  /** the KubeVirt CR; absent means the version's defaults */
  readonly kubevirt?: KubeVirt;
  /** overrides kubevirt.status.observedKubeVirtVersion; absent both, the newest supported version */
  readonly version?: string | KubeVirtVersion;
}

export interface PlanStep {
  readonly kind: "live" | "restart";
  /** the changes this step applies */
  readonly paths: readonly string[];
  /** the VM object to submit for this step */
  readonly vm: VirtualMachine;
}

export interface VirtualMachinePlan {
  readonly namespace: string;
  readonly name: string;
  /** the worst outcome of the changes (or added/removed VMs: "staged" / "none" as fits) */
  readonly outcome: Outcome;
  readonly changes: readonly PlannedChange[];
  /** VM-level notes: predicted VMI, assumed version, stuck reasons, what to do */
  readonly messages: readonly string[];
  /**
   * true only when no VMI was given, the VM runs, and its running VMI was derived from `before` (false for a
   * stopped, new or deleted VM, for an update with no difference, and whenever a VMI was given)
   */
  readonly predicted: boolean;
  /** the version the plan was made for, e.g. v1.9.0 */
  readonly version: string;
  /** when live and restart-required changes are mixed: the safer order, live part first */
  readonly steps?: readonly PlanStep[];
  /** admission causes when the update would be rejected */
  readonly admission?: readonly AdmissionCause[];
}
