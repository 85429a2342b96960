import assert from "node:assert/strict";
import fc from "fast-check";
import { worstOutcome, type PlanInput } from "../../../core/kubevirt/plan";
import { planVirtualMachineUpdate } from "../../../core/kubevirt/planner";
import { kubeVirt, parseWith, virtualMachine, virtualMachineInstance } from "../../../core/kubevirt/schema";
import { inputArb } from "./arbitraries";

describe("planner properties (fast-check)", () => {
  it("never throws on schema-valid input, is deterministic, and its outcome is the worst change outcome", () => {
    fc.assert(
      fc.property(inputArb, (raw) => {
        const input: PlanInput = {
          before: parseWith(virtualMachine, raw.before, "before"),
          after: parseWith(virtualMachine, raw.after, "after"),
          ...(raw.kubevirt ? { kubevirt: parseWith(kubeVirt, raw.kubevirt, "kubevirt") } : {}),
          ...(raw.vmi ? { vmi: parseWith(virtualMachineInstance, raw.vmi, "vmi") } : {}),
          version: raw.version,
        };
        const snapshot = JSON.stringify(input);
        const a = planVirtualMachineUpdate(input);
        const b = planVirtualMachineUpdate(input);
        assert.equal(JSON.stringify(a), JSON.stringify(b));
        assert.equal(JSON.stringify(input), snapshot, "inputs unchanged");
        if (a.changes.length > 0) assert.equal(a.outcome, worstOutcome(a.changes.map((c) => c.outcome)));
        assert.equal(new Set(a.changes.map((c) => c.path)).size, a.changes.length, "paths are unique");
        // predicted only when a running VMI was derived: never with a VMI given
        if (a.predicted) assert.equal(input.vmi, undefined);
        for (const c of a.changes) assert.ok(c.reason.length > 0);
        if (a.outcome === "rejected") assert.ok(a.admission && a.admission.length > 0, "a rejection carries causes");
        else assert.equal(a.admission, undefined);
        if (a.changes.some((c) => c.outcome === "staged")) {
          assert.ok(
            a.changes.every((c) => c.outcome === "staged" || c.outcome === "none"),
            "staged is all-or-nothing",
          );
        }
        if (a.steps) {
          assert.equal(a.outcome, "restart", "steps only order a restart-requiring update");
          assert.equal(a.steps.length, 2);
          const step1 = planVirtualMachineUpdate({ ...input, after: a.steps[0]!.vm });
          assert.equal(step1.outcome, "live");
        }
      }),
      { numRuns: 400 },
    );
  });

  it("never writes into its inputs: deep-frozen inputs give the same plan as unfrozen copies", () => {
    fc.assert(
      fc.property(inputArb, fc.boolean(), (raw, withVmi) => {
        const input: PlanInput = {
          before: parseWith(virtualMachine, raw.before, "before"),
          after: parseWith(virtualMachine, raw.after, "after"),
          ...(raw.kubevirt ? { kubevirt: parseWith(kubeVirt, raw.kubevirt, "kubevirt") } : {}),
          ...(raw.vmi && withVmi ? { vmi: parseWith(virtualMachineInstance, raw.vmi, "vmi") } : {}),
          version: raw.version,
        };
        const expected = JSON.stringify(planVirtualMachineUpdate(structuredClone(input)));
        const plan = planVirtualMachineUpdate(deepFreeze(input));
        assert.equal(JSON.stringify(plan), expected);
        // the planned first step is itself a valid input: planning it must not write into the frozen inputs either
        if (plan.steps) planVirtualMachineUpdate({ ...input, after: deepFreeze(structuredClone(plan.steps[0]!.vm)) });
      }),
      { numRuns: 300 },
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
