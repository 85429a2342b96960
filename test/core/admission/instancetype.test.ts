import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
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
      admit("v1.0.0", vmWith(typedSpec(), { ...instancetype, liveUpdateFeatures: { cpu: {} } }), {
        kubevirt: gate("v1.0.0"),
      }),
      [LUF],
    );
    assert.deepEqual(
      admit("v1.0.0", vmWith(typedSpec(), { ...instancetype, liveUpdateFeatures: { affinity: {} } }), {
        kubevirt: gate("v1.0.0"),
      }),
      [],
    );
    assert.deepEqual(admit("v1.0.0", vmWith(typedSpec(), instancetype), { kubevirt: gate("v1.0.0") }), []);
  });

  it("v1.1: rejected with any liveUpdateFeatures", () => {
    for (const features of [{ cpu: {} }, { affinity: {} }, { memory: { maxGuest: "8Gi" } }]) {
      const vm = vmWith(typedSpec(), { ...instancetype, liveUpdateFeatures: features });
      // the first cause (a plan cannot expand the instance type, so the template rules may add more)
      assert.deepEqual(admit("v1.1.0", vm, { kubevirt: gate("v1.1.0") })[0], LUF, JSON.stringify(features));
    }
    assert.deepEqual(admit("v1.1.0", vmWith(typedSpec(), instancetype), { kubevirt: gate("v1.1.0") }), []);
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
      assert.deepEqual(admit(version, vmWith(typedSpec(), instancetype), { rollout }), expected);
    });
  }

  it("v1.2.0: the instance-type conflicts come first, before the LiveUpdate instance-type rule", () => {
    const vm = vmWith(
      plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" }, resources: { requests: { cpu: "2" } } } }),
      instancetype,
    );
    assert.deepEqual(
      admit("v1.2.0", vm, { rollout: "LiveUpdate" }).map((c) => c.field),
      [
        "spec.template.spec.domain.resources.requests.cpu",
        "spec.template.spec.domain.cpu.sockets",
        "spec.template.spec.domain.memory",
      ],
    );
  });
});

describe("admission: template fields an instance type owns (pkg/instancetype/apply validateCPU, validateMemory)", () => {
  const instancetype = { instancetype: { name: "u1.medium" } };
  const conflict = (version: string, domain: NonNullable<VmiSpec["domain"]>) =>
    admit(version, vmWith({ domain: { devices: {}, ...domain } }, instancetype), { rollout: "LiveUpdate" });

  it("v1.5+: one cause per field, 'VM field(s) <path> conflicts with selected instance type'", () => {
    assert.deepEqual(conflict("v1.9.0", { cpu: { sockets: 2 } }), [
      {
        type: "FieldValueInvalid",
        field: "spec.template.spec.domain.cpu.sockets",
        message: "VM field(s) spec.template.spec.domain.cpu.sockets conflicts with selected instance type",
      },
    ]);
    assert.deepEqual(
      conflict("v1.5.0", { cpu: { cores: 2, threads: 1 }, resources: { limits: { cpu: "2", memory: "1Gi" } } }).map(
        (c) => c.field,
      ),
      [
        "spec.template.spec.domain.resources.limits.cpu",
        "spec.template.spec.domain.cpu.cores",
        "spec.template.spec.domain.cpu.threads",
        "spec.template.spec.domain.resources.limits.memory",
      ],
    );
  });
  it("v1.1–v1.4 say 'VM field <path> conflicts with selected instance type'; v1.0 'VM field conflicts with selected Instancetype'", () => {
    assert.equal(
      conflict("v1.4.1", { cpu: { sockets: 2 } })[0]!.message,
      "VM field spec.template.spec.domain.cpu.sockets conflicts with selected instance type",
    );
    assert.equal(
      conflict("v1.0.0", { cpu: { sockets: 2 } })[0]!.message,
      "VM field conflicts with selected Instancetype",
    );
  });
  it("memory: v1.0–v1.6 any domain.memory stanza, v1.7+ memory.guest; only the first memory conflict", () => {
    assert.deepEqual(
      conflict("v1.6.4", {
        memory: { hugepages: { pageSize: "2Mi" } },
        resources: { requests: { memory: "1Gi" } },
      }).map((c) => c.field),
      ["spec.template.spec.domain.memory"],
    );
    assert.deepEqual(conflict("v1.7.0", { memory: { hugepages: { pageSize: "2Mi" } } }), []);
    assert.deepEqual(
      conflict("v1.7.0", { memory: { guest: "2Gi" }, resources: { requests: { memory: "1Gi" } } }).map((c) => c.field),
      ["spec.template.spec.domain.memory.guest"],
    );
    assert.deepEqual(
      conflict("v1.9.0", { resources: { requests: { memory: "1Gi" } } }).map((c) => c.field),
      ["spec.template.spec.domain.resources.requests.memory"],
    );
  });
  it("sockets 0, a cpu model, or only a preference: no conflict", () => {
    assert.deepEqual(conflict("v1.9.0", { cpu: { sockets: 0, model: "host-passthrough" } }), []);
    const preferenceOnly = vmWith(plainSpec(), { preference: { name: "fedora" } });
    assert.deepEqual(admit("v1.9.0", preferenceOnly, { rollout: "LiveUpdate" }), []);
  });
});

/** A template as an instance-typed VM has it: CPU and memory come from the instance type. */
function typedSpec(): VmiSpec {
  return { domain: { devices: {} } };
}
