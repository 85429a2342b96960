import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { KubeVirt } from "../../../core/kubevirt/schema/kubeVirt";
import { admit, kubevirtFor, plainSpec, vmWith } from "./admissionHarness";

const ARCH = "spec.template.spec.architecture";
const gateCause = (word: string): AdmissionCause => ({
  type: "FieldValueRequired",
  field: ARCH,
  message: `${word} feature gate is not enabled in kubevirt-config, invalid entry ${ARCH}`,
});

describe("admission: architecture", () => {
  const arm = vmWith(plainSpec({ architecture: "arm64" }));
  const rows: Array<[string, AdmissionCause[]]> = [
    ["v1.0.0", [gateCause("multi-architecture")]],
    ["v1.2.2", [gateCause("multi-architecture")]],
    ["v1.3.0", [gateCause("MultiArchitecture")]],
    ["v1.7.0", [gateCause("MultiArchitecture")]],
    // removed in v1.8.0
    ["v1.8.0", []],
    ["v1.9.0", []],
  ];
  for (const [version, expected] of rows) {
    it(`${version}: arm64 on an amd64 cluster without the MultiArchitecture gate`, () => {
      assert.deepEqual(admit(version, arm), expected);
      assert.deepEqual(
        admit(version, arm, { kubevirt: kubevirtFor(version, "Stage", { gates: ["MultiArchitecture"] }) }),
        [],
      );
    });
  }

  it("an empty architecture becomes the cluster default, so it never needs the gate", () => {
    const armCluster = { spec: {}, status: { defaultArchitecture: "arm64" } } as KubeVirt;
    assert.deepEqual(admit("v1.5.0", vmWith(plainSpec()), { kubevirt: armCluster }), []);
    assert.deepEqual(admit("v1.5.0", arm, { kubevirt: armCluster }), [], "arm64 is native there");
  });

  it("the defaulted architecture feeds the arm64 thread rule and the memory validator", () => {
    const armCluster = {
      spec: { configuration: { vmRolloutStrategy: "LiveUpdate" } },
      status: { defaultArchitecture: "arm64" },
    } as KubeVirt;
    const threads = vmWith(
      plainSpec({
        domain: { cpu: { sockets: 1, cores: 2, threads: 2, dedicatedCpuPlacement: true }, memory: { guest: "2Gi" } },
      }),
    );
    assert.deepEqual(admit("v1.9.0", threads, { kubevirt: armCluster }), [
      {
        type: "FieldValueInvalid",
        field: ARCH,
        message: `threads must not be greater than 1 at spec.template.spec.domain.cpu.threads (got 2) when ${ARCH} is arm64`,
      },
    ]);
    const maxGuest = vmWith(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi", maxGuest: "8Gi" } } }));
    assert.deepEqual(admit("v1.9.0", maxGuest, { kubevirt: armCluster }), [
      {
        type: "FieldValueInvalid",
        field: "spec.template.spec.domain.memory.guest",
        message: "Memory hotplug is only available for x86_64 VMs",
      },
    ]);
    // v1.5.0 (validator accepted arm64 in v1.3.0–v1.5.2 and v1.6.0)
    assert.deepEqual(admit("v1.5.0", maxGuest, { kubevirt: armCluster }), []);
  });
});
