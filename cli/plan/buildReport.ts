import { OUTCOMES, worstOutcome, type Outcome, type VirtualMachinePlan } from "../../core/kubevirt/plan";
import type { KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import { exitCodeFor } from "./exitCode";
import type { VersionChoice } from "./kubevirtVersionChoice";
import type { ManifestSide } from "./manifestSide";
import type { FailOn } from "./planArguments";
import type { ManifestChange, PlanFunction, PlanReport, VmReport } from "./planReport";

export interface ReportInputs {
  readonly before: ManifestSide;
  readonly after: ManifestSide;
  /** VMIs from --vmi (and any in --before) */
  readonly vmis: ManifestSide["vmis"];
  /** whether --vmi was given at all */
  readonly vmisGiven: boolean;
  readonly kubevirt?: KubeVirt;
  readonly version: VersionChoice;
  readonly failOn: FailOn;
}

/** Plans every VM on either side (matched by namespace/name) and sums the outcomes up. */
export function buildReport(inputs: ReportInputs, plan: PlanFunction): PlanReport {
  const keys = [...new Set([...inputs.before.vms.keys(), ...inputs.after.vms.keys()])].sort(compareKeys);
  const vms = keys.map((key) => planOne(key, inputs, plan));

  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  const manifests: Record<ManifestChange, number> = { added: 0, removed: 0, modified: 0, unchanged: 0 };
  for (const vm of vms) {
    outcomes[vm.outcome]++;
    manifests[vm.manifest]++;
  }
  const worst = worstOutcome(vms.map((v) => v.outcome));
  const predicted = vms.some((v) => v.predicted);
  const messages = [inputs.version.note];
  if (predicted) {
    messages.push(
      inputs.vmisGiven
        ? "predicted: some running VMs have no VMI in --vmi, so their VMIs were derived from the before specs"
        : "predicted: no VMIs given (--vmi), so the running VMIs were derived from the before specs",
    );
  }
  for (const [key, vmi] of inputs.vmis) {
    if (!inputs.before.vms.has(key))
      messages.push(`VMI ${key} (${vmi.location}) has no VirtualMachine in --before: ignored`);
  }
  return {
    vms,
    summary: {
      vms: vms.length,
      outcomes,
      ...manifests,
      worst,
      skippedDocuments: inputs.before.skipped + inputs.after.skipped,
      version: inputs.version.text,
      versionSource: inputs.version.source,
      predicted,
      failOn: inputs.failOn,
      exitCode: exitCodeFor(worst, inputs.failOn),
      messages,
    },
  };
}

function planOne(key: string, inputs: ReportInputs, plan: PlanFunction): VmReport {
  const before = inputs.before.vms.get(key);
  const after = inputs.after.vms.get(key);
  const vmi = before ? inputs.vmis.get(key) : undefined;
  const [namespace, name] = splitKey(key);
  const result: VirtualMachinePlan = plan({
    before: before?.object,
    after: after?.object,
    vmi: vmi?.object,
    kubevirt: inputs.kubevirt,
    version: inputs.version.version,
  });
  const manifest: ManifestChange = !before
    ? "added"
    : !after
      ? "removed"
      : result.changes.length
        ? "modified"
        : "unchanged";
  const messages = [...result.messages];
  if (manifest === "added") messages.unshift(`new VM (${after!.location}): created by this change`);
  if (manifest === "removed") {
    messages.unshift(
      `no longer in the desired manifests (was ${before!.location}): deleted if your GitOps tool prunes, which stops it`,
    );
  }
  return {
    namespace,
    name,
    outcome: result.outcome,
    manifest,
    changes: result.changes,
    messages,
    // the planner sets it only when it derived a running VMI from the before spec
    predicted: result.predicted,
    ...(result.admission?.length ? { admission: result.admission } : {}),
    ...(result.steps?.length ? { steps: result.steps.map((s) => ({ kind: s.kind, paths: s.paths })) } : {}),
  };
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
