import assert from "node:assert/strict";
import { validateCpuHotplug, validateLiveUpdateCpu } from "../../../core/kubevirt/admission/cpuHotplug";
import { admit, plainSpec, VERSIONS, vmWith, type Rollout } from "./admissionHarness";

const SOCKETS = "spec.template.spec.domain.cpu.sockets";
const MESSAGE = "Number of sockets in CPU topology is greater than the maximum sockets allowed";
const socketsCause = { type: "FieldValueInvalid", field: SOCKETS, message: MESSAGE };
const directyCause = {
  type: "FieldValueNotSupported",
  field: "spec.template.spec.domain.cpu.maxSockets",
  message: "CPU topology maxSockets cannot be set directy in VM template",
};

describe("admission: sockets and maxSockets (validateCPUHotplug, validateLiveUpdateCPU)", () => {
  // sockets 4 > explicit maxSockets 2
  const over = vmWith(plainSpec({ domain: { cpu: { sockets: 4, cores: 1, threads: 1, maxSockets: 2 } } }));
  const rows: Array<[string, Rollout, object[]]> = [
    // v1.0/v1.1: the VMI rule, then the liveUpdateFeatures-era ban on an explicit maxSockets
    ["v1.0.0", "Stage", [socketsCause, directyCause]],
    ["v1.1.0", "Stage", [socketsCause, directyCause]],
    // v1.2+: under Stage only the VMI rule; under LiveUpdate the VM rule repeats it (two identical causes)
    ["v1.2.0", "Stage", [socketsCause]],
    ["v1.2.0", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.2.1", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.2.2", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.3.0", "Stage", [socketsCause]],
    ["v1.3.0", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.4.0", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.5.0", "Stage", [socketsCause]],
    ["v1.5.0", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.6.0", "LiveUpdate", [socketsCause, socketsCause]],
    ["v1.9.0", "Stage", [socketsCause]],
    ["v1.9.0", "LiveUpdate", [socketsCause, socketsCause]],
  ];
  for (const [version, rollout, expected] of rows) {
    it(`${version} ${rollout}: sockets 4 > maxSockets 2 → ${expected.length} cause(s)`, () => {
      assert.deepEqual(admit(version, over, { rollout }), expected);
    });
  }

  it("v1.2–v1.4 without the VMLiveUpdateFeatures gate is not LiveUpdate: one cause", () => {
    const kubevirt = { spec: { configuration: { vmRolloutStrategy: "LiveUpdate" as const } } };
    assert.deepEqual(admit("v1.4.0", over, { kubevirt }), [socketsCause]);
  });

  it("v1.6+ with the rollout unset is LiveUpdate: two causes", () => {
    assert.deepEqual(admit("v1.6.0", over, { kubevirt: { spec: {} } }), [socketsCause, socketsCause]);
  });

  for (const version of VERSIONS.filter((v) => v >= "v1.2.0")) {
    for (const rollout of ["Stage", "LiveUpdate"] as const) {
      it(`${version} ${rollout}: sockets within maxSockets, or no maxSockets, is admitted`, () => {
        const within = vmWith(plainSpec({ domain: { cpu: { sockets: 2, cores: 1, threads: 1, maxSockets: 8 } } }));
        const equal = vmWith(plainSpec({ domain: { cpu: { sockets: 8, cores: 1, threads: 1, maxSockets: 8 } } }));
        const implicit = vmWith(plainSpec({ domain: { cpu: { sockets: 64, cores: 1, threads: 1 } } }));
        assert.deepEqual(admit(version, within, { rollout }), []);
        assert.deepEqual(admit(version, equal, { rollout }), []);
        assert.deepEqual(admit(version, implicit, { rollout }), []);
      });
    }
  }

  it("the VMI rule takes any prefix and ignores a zero maxSockets", () => {
    assert.deepEqual(validateCpuHotplug("spec", { domain: { cpu: { sockets: 3, maxSockets: 2 } } }), [
      { type: "FieldValueInvalid", field: "spec.domain.cpu.sockets", message: MESSAGE },
    ]);
    assert.deepEqual(validateCpuHotplug("spec", { domain: { cpu: { sockets: 3, maxSockets: 0 } } }), []);
    assert.deepEqual(validateCpuHotplug("spec", {}), []);
  });

  it("the VM rule needs non-zero sockets and maxSockets", () => {
    assert.deepEqual(validateLiveUpdateCpu({ domain: { cpu: { sockets: 0, maxSockets: 2 } } }), []);
    assert.deepEqual(validateLiveUpdateCpu({ domain: {} }), []);
    assert.deepEqual(validateLiveUpdateCpu({ domain: { cpu: { sockets: 3, maxSockets: 2 } } }), [socketsCause]);
  });

  it("sockets derived from limits.cpu by the defaults step count against maxSockets", () => {
    // no topology: sockets ← limits.cpu (3) on the copy; maxSockets 2 alone keeps the cpu stanza "empty"
    const vm = vmWith({
      domain: { cpu: { maxSockets: 2 }, memory: { guest: "2Gi" }, resources: { limits: { cpu: "3" } } },
    });
    assert.deepEqual(admit("v1.9.0", vm, { rollout: "LiveUpdate" }), [socketsCause, socketsCause]);
    assert.equal(vm.spec.template.spec?.domain?.cpu?.sockets, undefined, "the input is not defaulted");
  });
});
