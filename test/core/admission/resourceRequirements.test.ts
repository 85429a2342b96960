import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import { admit, VERSIONS, vmWith } from "./admissionHarness";

const P = "spec.template.spec.domain.resources";
const invalid = (field: string, message: string): AdmissionCause => ({ type: "FieldValueInvalid", field, message });

function withResources(resources: NonNullable<VmiSpec["domain"]>["resources"]): ReturnType<typeof vmWith> {
  return vmWith({ domain: { cpu: { sockets: 2 }, memory: { guest: "1Gi" }, resources } });
}

describe("admission: requests and limits (validateMemory*/validateCPU* NegativeOrNull, request above limit)", () => {
  const rows: Array<[string, ReturnType<typeof vmWith>, AdmissionCause[]]> = [
    [
      "memory request below 1M",
      withResources({ requests: { memory: "512k" } }),
      [invalid(`${P}.requests.memory`, `${P}.requests.memory '512k': must be greater than or equal to 1M.`)],
    ],
    [
      "negative memory request",
      withResources({ requests: { memory: "-1Gi" } }),
      [invalid(`${P}.requests.memory`, `${P}.requests.memory '-1Gi': must be greater than or equal to 0.`)],
    ],
    [
      "memory request above the limit",
      withResources({ requests: { memory: "2Gi" }, limits: { memory: "1Gi" } }),
      [invalid(`${P}.requests.memory`, `${P}.requests.memory '2Gi' is greater than ${P}.limits.memory '1Gi'`)],
    ],
    [
      "negative CPU limit (the defaults step copies it into requests first)",
      withResources({ limits: { cpu: "-1" } }),
      [
        invalid(`${P}.requests.cpu`, `${P}.requests.cpu '-1': must be greater than or equal to 0.`),
        invalid(`${P}.limits.cpu`, `${P}.limits.cpu '-1': must be greater than or equal to 0.`),
      ],
    ],
    [
      "CPU request above the limit (canonical quantities in the message)",
      withResources({ requests: { cpu: "1500m" }, limits: { cpu: "1" } }),
      [invalid(`${P}.requests.cpu`, `${P}.requests.cpu '1500m' is greater than ${P}.limits.cpu '1'`)],
    ],
  ];
  for (const [name, vm, expected] of rows) {
    for (const version of ["v1.0.0", "v1.5.0", "v1.9.0"]) {
      it(`${version}: ${name}`, () => assert.deepEqual(admit(version, vm), expected));
    }
  }

  for (const version of VERSIONS) {
    it(`${version}: ordinary requests and limits are admitted`, () => {
      assert.deepEqual(
        admit(
          version,
          withResources({ requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } }),
        ),
        [],
      );
    });
  }
});
