import type { AdmissionCause, Outcome, PlannedChange, PlanInput, VirtualMachinePlan } from "../../core/kubevirt/plan";
import type { FailOn } from "./planArguments";
import type { VersionSource } from "./kubevirtVersionChoice";

/** The core planner, injected so the report can be built and tested without it. */
export type PlanFunction = (input: PlanInput) => VirtualMachinePlan;

/** How a VM's manifest changed between the two sides. */
export type ManifestChange = "added" | "removed" | "modified" | "unchanged";

/** One VM in the output (the `vms[]` entries of --output json). */
export interface VmReport {
  readonly namespace: string;
  readonly name: string;
  readonly outcome: Outcome;
  readonly manifest: ManifestChange;
  readonly changes: readonly PlannedChange[];
  readonly messages: readonly string[];
  readonly predicted: boolean;
  readonly admission?: readonly AdmissionCause[];
  readonly steps?: ReadonlyArray<{ readonly kind: "live" | "restart"; readonly paths: readonly string[] }>;
}

export interface PlanSummary {
  /** VMs on either side */
  readonly vms: number;
  /** VMs per outcome */
  readonly outcomes: Readonly<Record<Outcome, number>>;
  /** VMs per manifest change */
  readonly added: number;
  readonly removed: number;
  readonly modified: number;
  readonly unchanged: number;
  /** the worst outcome over all VMs */
  readonly worst: Outcome;
  /** documents that were not VirtualMachines (nor VMIs in --before/--vmi), skipped */
  readonly skippedDocuments: number;
  /** the KubeVirt version the plan was made for, e.g. v1.9.0, and where it came from */
  readonly version: string;
  readonly versionSource: VersionSource;
  /** true when some running VM's VMI was not given and was predicted from its before spec */
  readonly predicted: boolean;
  readonly failOn: FailOn;
  readonly exitCode: number;
  /** run-wide notes: the version used and why, predicted VMIs, unmatched VMIs */
  readonly messages: readonly string[];
}

export interface PlanReport {
  readonly vms: readonly VmReport[];
  readonly summary: PlanSummary;
}
