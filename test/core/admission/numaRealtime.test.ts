import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import { admit, kubevirtFor, VERSIONS, vmWith } from "./admissionHarness";

const P = "spec.template.spec";
const PASSTHROUGH = `${P}.domain.cpu.numa.guestMappingPassthrough`;
const DEDICATED = `${P}.domain.cpu.dedicatedCpuPlacement`;
const REALTIME = `${P}.domain.cpu.realtime`;
const invalid = (field: string, message: string): AdmissionCause => ({ type: "FieldValueInvalid", field, message });
const required = (field: string, message: string): AdmissionCause => ({ type: "FieldValueRequired", field, message });

const NUMA_GATE = invalid(
  PASSTHROUGH,
  `NUMA feature gate is not enabled in kubevirt-config, invalid entry ${PASSTHROUGH}`,
);
const NUMA_DEDICATED = invalid(
  PASSTHROUGH,
  `${DEDICATED} must be set to true when NUMA topology strategy is set in ${PASSTHROUGH}`,
);
const NUMA_HUGEPAGES = invalid(
  PASSTHROUGH,
  `${P}.domain.memory.hugepages must be requested when NUMA topology strategy is set in ${PASSTHROUGH}`,
);
const RT_DEDICATED = required(DEDICATED, `${DEDICATED} must be set to true when ${REALTIME} is used`);
const RT_NUMA = required(PASSTHROUGH, `${PASSTHROUGH} must be defined when ${REALTIME} is used`);

const numaOnly: VmiSpec = {
  domain: { cpu: { sockets: 2, numa: { guestMappingPassthrough: {} } }, memory: { guest: "2Gi" } },
};
const numaComplete: VmiSpec = {
  domain: {
    cpu: { sockets: 2, dedicatedCpuPlacement: true, numa: { guestMappingPassthrough: {} } },
    memory: { guest: "2Gi", hugepages: { pageSize: "2Mi" } },
  },
};

describe("admission: NUMA passthrough (validateNUMA)", () => {
  const rows: Array<[string, string[], VmiSpec, AdmissionCause[]]> = [
    ["v1.0.0", [], numaOnly, [NUMA_GATE, NUMA_DEDICATED, NUMA_HUGEPAGES]],
    ["v1.3.0", [], numaOnly, [NUMA_GATE, NUMA_DEDICATED, NUMA_HUGEPAGES]],
    ["v1.3.0", ["NUMA"], numaOnly, [NUMA_DEDICATED, NUMA_HUGEPAGES]],
    // GA in v1.4.0: no gate needed
    ["v1.4.0", [], numaOnly, [NUMA_DEDICATED, NUMA_HUGEPAGES]],
    ["v1.9.0", [], numaOnly, [NUMA_DEDICATED, NUMA_HUGEPAGES]],
    ["v1.3.0", [], numaComplete, [NUMA_GATE]],
    ["v1.3.0", ["NUMA"], numaComplete, []],
    ["v1.4.0", [], numaComplete, []],
    ["v1.9.0", [], numaComplete, []],
  ];
  for (const [version, gates, spec, expected] of rows) {
    it(`${version} gates [${gates.join(",")}]: ${expected.length} cause(s)`, () => {
      assert.deepEqual(admit(version, vmWith(spec), { kubevirt: kubevirtFor(version, "Stage", { gates }) }), expected);
    });
  }
});

describe("admission: realtime (validateRealtime)", () => {
  for (const version of VERSIONS) {
    it(`${version}: realtime alone needs dedicated CPUs and NUMA passthrough (FieldValueRequired)`, () => {
      const spec: VmiSpec = { domain: { cpu: { sockets: 2, realtime: {} }, memory: { guest: "2Gi" } } };
      assert.deepEqual(admit(version, vmWith(spec)), [RT_DEDICATED, RT_NUMA]);
    });
    it(`${version}: a complete realtime VM is admitted`, () => {
      const spec: VmiSpec = {
        domain: {
          cpu: {
            sockets: 2,
            dedicatedCpuPlacement: true,
            realtime: { mask: "0" },
            numa: { guestMappingPassthrough: {} },
          },
          memory: { guest: "2Gi", hugepages: { pageSize: "2Mi" } },
        },
      };
      assert.deepEqual(
        admit(version, vmWith(spec), { kubevirt: kubevirtFor(version, "Stage", { gates: ["NUMA"] }) }),
        [],
      );
    });
  }

  it("NUMA causes come before the realtime ones (KubeVirt's order)", () => {
    const spec: VmiSpec = {
      domain: { cpu: { sockets: 2, realtime: {}, numa: { guestMappingPassthrough: {} } }, memory: { guest: "2Gi" } },
    };
    assert.deepEqual(admit("v1.9.0", vmWith(spec)), [NUMA_DEDICATED, NUMA_HUGEPAGES, RT_DEDICATED]);
  });

  it("realtime and NUMA passthrough make an explicit maxGuest fail the memory validator under LiveUpdate (v1.3+)", () => {
    const spec: VmiSpec = {
      domain: {
        cpu: { sockets: 2, dedicatedCpuPlacement: true, realtime: {}, numa: { guestMappingPassthrough: {} } },
        memory: { guest: "2Gi", maxGuest: "8Gi", hugepages: { pageSize: "2Mi" } },
      },
    };
    assert.deepEqual(admit("v1.9.0", vmWith(spec), { rollout: "LiveUpdate" }), [
      invalid(`${P}.domain.memory.guest`, "Memory hotplug is not compatible with realtime VMs"),
    ]);
    assert.deepEqual(admit("v1.9.0", vmWith(spec), { rollout: "Stage" }), []);
  });
});
