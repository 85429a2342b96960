import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import { admit, kubevirtFor, plainSpec, type Rollout, vmWith } from "./admissionHarness";

const LUF = {
  type: "FieldValueNotSupported",
  field: "spec.liveUpdateFeatures",
  message: "Live update features cannot be used when instance type is configured",
} as const;
const V120 = {
  type: "FieldValueNotSupported",
  field: "spec.instancetype",
  message: "Cannot configure instance type when the vmRolloutStrategy is LiveUpdate",
} as const;

describe("admission: instance types and live updates (§1.8)", () => {
  const instancetype = { instancetype: { name: "u1.medium", kind: "VirtualMachineClusterInstancetype" } };
  const gate = (v: string) => kubevirtFor(v, "Stage", { gates: ["VMLiveUpdateFeatures"] });

  it("v1.0: rejected only together with liveUpdateFeatures.cpu", () => {
    assert.deepEqual(
      admit("v1.0.0", vmWith(plainSpec(), { ...instancetype, liveUpdateFeatures: { cpu: {} } }), {
        kubevirt: gate("v1.0.0"),
      }),
      [LUF],
    );
    assert.deepEqual(
      admit("v1.0.0", vmWith(plainSpec(), { ...instancetype, liveUpdateFeatures: { affinity: {} } }), {
        kubevirt: gate("v1.0.0"),
      }),
      [],
    );
    assert.deepEqual(admit("v1.0.0", vmWith(plainSpec(), instancetype), { kubevirt: gate("v1.0.0") }), []);
  });

  it("v1.1: rejected with any liveUpdateFeatures", () => {
    for (const features of [{ cpu: {} }, { affinity: {} }, { memory: { maxGuest: "8Gi" } }]) {
      const vm = vmWith(plainSpec(), { ...instancetype, liveUpdateFeatures: features });
      assert.deepEqual(admit("v1.1.0", vm, { kubevirt: gate("v1.1.0") }), [LUF], JSON.stringify(features));
    }
    assert.deepEqual(admit("v1.1.0", vmWith(plainSpec(), instancetype), { kubevirt: gate("v1.1.0") }), []);
  });

  const rows: Array<[string, Rollout, AdmissionCause[]]> = [
    ["v1.2.0", "LiveUpdate", [V120]],
    ["v1.2.0", "Stage", []],
    ["v1.2.1", "LiveUpdate", []],
    ["v1.2.2", "LiveUpdate", []],
    ["v1.3.0", "LiveUpdate", []],
    ["v1.9.0", "LiveUpdate", []],
  ];
  for (const [version, rollout, expected] of rows) {
    it(`${version} ${rollout}: an instance type is ${expected.length ? "rejected" : "admitted"}`, () => {
      assert.deepEqual(admit(version, vmWith(plainSpec(), instancetype), { rollout }), expected);
    });
  }

  it("v1.2.0: the instance-type cause comes first, before the CPU rules", () => {
    const vm = vmWith(
      plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" }, resources: { requests: { cpu: "2" } } } }),
      instancetype,
    );
    assert.deepEqual(
      admit("v1.2.0", vm, { rollout: "LiveUpdate" }).map((c) => c.field),
      ["spec.instancetype", "spec.template.spec.domain.resources"],
    );
  });
});
