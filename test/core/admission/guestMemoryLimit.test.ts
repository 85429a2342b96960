import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import { admit, type Rollout, vmWith } from "./admissionHarness";

const GUEST = "spec.template.spec.domain.memory.guest";
const cause: AdmissionCause = {
  type: "FieldValueInvalid",
  field: GUEST,
  message: `${GUEST} '4Gi' must be equal to or less than the memory limit spec.template.spec.domain.resources.limits.memory '2Gi'`,
};

describe("admission: memory.guest above limits.memory (validateGuestMemoryLimit)", () => {
  const vm = vmWith({
    domain: {
      cpu: { sockets: 1 },
      memory: { guest: "4Gi" },
      resources: { requests: { memory: "2Gi" }, limits: { memory: "2Gi" } },
    },
  });
  const rows: Array<[string, Rollout, AdmissionCause[]]> = [
    ["v1.0.0", "Stage", [cause]],
    ["v1.1.0", "Stage", [cause]],
    ["v1.2.0", "Stage", [cause]],
    // v1.2.0 still applied it under LiveUpdate; the skip came in v1.2.1 (the rules doc says v1.3.0: the code wins)
    ["v1.2.0", "LiveUpdate", [cause]],
    ["v1.2.1", "Stage", [cause]],
    ["v1.2.1", "LiveUpdate", []],
    ["v1.2.2", "LiveUpdate", []],
    ["v1.3.0", "Stage", [cause]],
    ["v1.3.0", "LiveUpdate", []],
    ["v1.4.0", "LiveUpdate", []],
    ["v1.5.0", "Stage", [cause]],
    ["v1.6.0", "LiveUpdate", []],
    ["v1.9.0", "Stage", [cause]],
    ["v1.9.0", "LiveUpdate", []],
  ];
  for (const [version, rollout, expected] of rows) {
    it(`${version} ${rollout}`, () => assert.deepEqual(admit(version, vm, { rollout }), expected));
  }

  it("guest equal to the limit, or no limit, is admitted", () => {
    const equal = vmWith({
      domain: { cpu: { sockets: 1 }, memory: { guest: "2Gi" }, resources: { limits: { memory: "2Gi" } } },
    });
    const noLimit = vmWith({ domain: { cpu: { sockets: 1 }, memory: { guest: "8Gi" } } });
    for (const version of ["v1.0.0", "v1.2.0", "v1.9.0"]) {
      assert.deepEqual(admit(version, equal), [], version);
      assert.deepEqual(admit(version, noLimit), [], version);
    }
  });
});
