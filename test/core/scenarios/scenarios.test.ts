/**
 * The KubeVirt scenario corpus: an independent check of planVirtualMachineUpdate.
 *
 * Each scenario (corpus/*.ts, built with builders.ts) is a running or stopped VirtualMachine, the VMI it runs
 * (or none: then the planner predicts it), the KubeVirt CR and version, the edit, and what KubeVirt does:
 * the VM-level outcome, per changed path an outcome and a substring of KubeVirt's message, admission causes,
 * whether the VMI was predicted, and the safer two-step order. Every expectation names its source: a KubeVirt
 * unit or e2e test, a function read at a release tag, or a section of shared/docs/kubevirt-live-update-rules.md
 * (where the doc and the tagged code differ, the code wins and the source says so).
 *
 * Every scenario must pass: a planner bug is fixed, not listed. To add a scenario: append it to a corpus file,
 * run `./scripts/run npx mocha test/core/scenarios`.
 */
import assert from "node:assert/strict";
import { planVirtualMachineUpdate } from "../../../core/kubevirt/planner";
import type { PlannedChange, VirtualMachinePlan } from "../../../core/kubevirt/plan";
import type { ExpectedChange, Scenario } from "./builders";
import { SCENARIOS } from "./corpus";

/** Changes at `path` or below it (a list element, a nested field). */
function changesAt(plan: VirtualMachinePlan, path: string): PlannedChange[] {
  return plan.changes.filter((c) => c.path === path || c.path.startsWith(`${path}.`) || c.path.startsWith(`${path}[`));
}

function describePlan(plan: VirtualMachinePlan): string {
  const lines = plan.changes.map((c) => `  ${c.path}: ${c.outcome} — ${c.reason}`);
  const causes = (plan.admission ?? []).map((c) => `  admission ${c.field}: ${c.message}`);
  return [`plan outcome ${plan.outcome} (${plan.version}, predicted ${plan.predicted})`, ...lines, ...causes].join(
    "\n",
  );
}

function checkChange(plan: VirtualMachinePlan, path: string, want: ExpectedChange): void {
  const found = changesAt(plan, path);
  assert.ok(found.length > 0, `no planned change at ${path}\n${describePlan(plan)}`);
  for (const c of found) {
    assert.equal(c.outcome, want.outcome, `outcome of ${c.path}\n${describePlan(plan)}`);
  }
  if (want.reason !== undefined) {
    assert.ok(
      found.some((c) => c.reason.includes(want.reason!)),
      `no change at ${path} has a reason containing ${JSON.stringify(want.reason)}\n${describePlan(plan)}`,
    );
  }
}

export function checkScenario(s: Scenario): void {
  const plan = planVirtualMachineUpdate({
    ...(s.before ? { before: s.before } : {}),
    ...(s.after ? { after: s.after } : {}),
    ...(s.vmi ? { vmi: s.vmi } : {}),
    ...(s.kubevirt ? { kubevirt: s.kubevirt } : {}),
    ...(s.versionFromKubeVirt ? {} : { version: s.version }),
  });
  assert.equal(plan.version, s.version, "the plan is made for the scenario's version");
  assert.equal(plan.outcome, s.expect.outcome, `VM-level outcome\n${describePlan(plan)}`);
  for (const [path, want] of Object.entries(s.expect.changes ?? {})) checkChange(plan, path, want);
  if (s.expect.admission !== undefined) {
    assert.ok(
      (plan.admission ?? []).some((c) => c.message.includes(s.expect.admission!)),
      `no admission cause contains ${JSON.stringify(s.expect.admission)}\n${describePlan(plan)}`,
    );
  }
  if (s.expect.predicted !== undefined) assert.equal(plan.predicted, s.expect.predicted, "predicted");
  if (s.expect.steps === null) assert.equal(plan.steps, undefined, `no steps expected\n${describePlan(plan)}`);
  if (s.expect.steps) {
    assert.ok(plan.steps, `steps expected (live part first)\n${describePlan(plan)}`);
    assert.equal(plan.steps.length, 2, "two steps");
    assert.equal(plan.steps[0]!.kind, "live");
    assert.deepEqual([...plan.steps[0]!.paths].sort(), [...s.expect.steps.live].sort(), "the live step's paths");
    assert.equal(plan.steps[1]!.kind, "restart");
    // the live step, submitted on its own, really is live
    const step1 = planVirtualMachineUpdate({
      before: s.before!,
      after: plan.steps[0]!.vm,
      ...(s.vmi ? { vmi: s.vmi } : {}),
      ...(s.kubevirt ? { kubevirt: s.kubevirt } : {}),
      version: s.version,
    });
    assert.equal(step1.outcome, "live", `step 1 on its own\n${describePlan(step1)}`);
  }
}

describe("KubeVirt scenario corpus: planVirtualMachineUpdate against KubeVirt's own tests and the rules", () => {
  it("has unique scenario names", () => {
    const names = SCENARIOS.map((s) => s.name);
    const dupes = names.filter((n, i) => names.indexOf(n) !== i);
    assert.deepEqual(dupes, []);
  });

  for (const s of SCENARIOS) {
    it(`${s.version} ${s.name}`, () => {
      checkScenario(s);
    });
  }
});
