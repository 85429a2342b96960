import assert from "node:assert/strict";
import {
  numberOfVcpus,
  validateCpuIsolatorThread,
  validateCpuPinning,
} from "../../../core/kubevirt/admission/dedicatedCpu";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import { admit, VERSIONS, vmWith } from "./admissionHarness";

const P = "spec.template.spec";
const DEDICATED = `${P}.domain.cpu.dedicatedCpuPlacement`;
const REQ_CPU = `${P}.domain.resources.requests.cpu`;
const LIM_CPU = `${P}.domain.resources.limits.cpu`;
const REQ_MEM = `${P}.domain.resources.requests.memory`;
const LIM_MEM = `${P}.domain.resources.limits.memory`;
const CORES = `${P}.domain.cpu.cores`;

const invalid = (field: string, message: string): AdmissionCause => ({ type: "FieldValueInvalid", field, message });

type Domain = NonNullable<VmiSpec["domain"]>;

function dedicated(
  cpu: Domain["cpu"],
  rest: { memory?: Domain["memory"]; resources?: Domain["resources"]; architecture?: string } = {},
): VmiSpec {
  return {
    ...(rest.architecture ? { architecture: rest.architecture } : {}),
    domain: {
      cpu: { dedicatedCpuPlacement: true, ...cpu },
      memory: rest.memory ?? { guest: "2Gi" },
      ...(rest.resources ? { resources: rest.resources } : {}),
    },
  };
}

describe("admission: dedicated CPUs (validateCpuPinning, validateCPUIsolatorThread)", () => {
  const rows: Array<[string, string, VmiSpec, AdmissionCause[]]> = [
    [
      "CPU requests must be whole CPUs (KubeVirt's 'interger')",
      "v1.9.0",
      dedicated({}, { resources: { requests: { cpu: "1500m" } } }),
      [invalid(REQ_CPU, "provided resources CPU requests must be an interger")],
    ],
    [
      "CPU limits must be whole CPUs; the defaults copy limits into requests, so both are reported",
      "v1.9.0",
      dedicated({}, { resources: { limits: { cpu: "2500m" } } }),
      [
        invalid(REQ_CPU, "provided resources CPU requests must be an interger"),
        invalid(LIM_CPU, "provided resources CPU limits must be an interger"),
      ],
    ],
    [
      "CPU requests and limits must be equal (trailing space in KubeVirt's message)",
      "v1.9.0",
      dedicated({ sockets: 2 }, { resources: { requests: { cpu: "2" }, limits: { cpu: "3" } } }),
      [invalid(DEDICATED, `${REQ_CPU} or ${LIM_CPU} must be equal when DedicatedCPUPlacement is true `)],
    ],
    [
      "memory requests must equal limits",
      "v1.9.0",
      dedicated({ sockets: 2 }, { resources: { requests: { memory: "2Gi" }, limits: { memory: "3Gi" } } }),
      [invalid(REQ_MEM, `${REQ_MEM} must be equal to ${LIM_MEM}`)],
    ],
    [
      "CPU request alongside a topology whose vCPUs differ (§2.7: limits.cpu 2, sockets patched to 3)",
      "v1.9.0",
      dedicated({ sockets: 3, cores: 1, threads: 1 }, { resources: { limits: { cpu: "2" } } }),
      [
        invalid(
          DEDICATED,
          `${REQ_CPU} or ${LIM_CPU} must not be provided at the same time with ${CORES} when DedicatedCPUPlacement is true `,
        ),
      ],
    ],
    [
      "more than two threads",
      "v1.9.0",
      dedicated({ sockets: 1, cores: 1, threads: 3 }),
      [
        invalid(
          DEDICATED,
          `Not more than two threads must be provided at ${P}.domain.cpu.threads (got 3) when DedicatedCPUPlacement is true`,
        ),
      ],
    ],
    [
      "arm64 with two threads (v1.1+)",
      "v1.9.0",
      dedicated({ sockets: 1, cores: 2, threads: 2 }, { architecture: "arm64" }),
      [
        invalid(
          `${P}.architecture`,
          `threads must not be greater than 1 at ${P}.domain.cpu.threads (got 2) when ${P}.architecture is arm64`,
        ),
      ],
    ],
    [
      "arm64 with two threads in v1.0: no arm64 rule yet (the multi-architecture gate rule still applies)",
      "v1.0.0",
      dedicated(
        { sockets: 1, cores: 2, threads: 2 },
        { architecture: "arm64", resources: { requests: { memory: "2Gi" } } },
      ),
      [
        {
          type: "FieldValueRequired",
          field: `${P}.architecture`,
          message: `multi-architecture feature gate is not enabled in kubevirt-config, invalid entry ${P}.architecture`,
        },
      ],
    ],
  ];
  for (const [name, version, spec, expected] of rows) {
    it(`${version}: ${name}`, () => {
      assert.deepEqual(admit(version, vmWith(spec)), expected);
    });
  }

  describe("memory must be provided", () => {
    const noMemory: VmiSpec = { domain: { cpu: { dedicatedCpuPlacement: true, sockets: 2 } } };
    const old = invalid(LIM_MEM, `${REQ_MEM} or ${LIM_MEM} should be provided`);
    const current = invalid(
      LIM_MEM,
      `${REQ_MEM}, ${LIM_MEM}, ${P}.domain.memory.hugepages or ${P}.domain.memory.guest should be provided`,
    );
    const rows: Array<[string, AdmissionCause[]]> = [
      ["v1.0.0", [old]],
      ["v1.3.0", [old]],
      ["v1.6.3", [old]],
      ["v1.6.4", [current]],
      ["v1.7.0", [current]],
      ["v1.8.0", [current]],
      ["v1.9.0", [current]],
    ];
    for (const [version, expected] of rows) {
      it(`${version}: no memory at all`, () => assert.deepEqual(admit(version, vmWith(noMemory)), expected));
    }
    for (const version of VERSIONS) {
      it(`${version}: memory.guest alone is enough (up to v1.6.3 through the defaulted requests)`, () => {
        assert.deepEqual(admit(version, vmWith(dedicated({ sockets: 2 }))), []);
      });
    }
  });

  it("no CPU size at all: the check needs requests = limits = 0 and zero vCPUs (only reachable without the defaults)", () => {
    const spec: VmiSpec = { domain: { cpu: { dedicatedCpuPlacement: true }, memory: { guest: "1Gi" } } };
    assert.deepEqual(
      validateCpuPinning("spec", spec, {
        armThreadRule: true,
        defaultArchitecture: "amd64",
        memoryFromHugepagesOrGuest: true,
      }),
      [
        invalid(
          "spec.domain.cpu.dedicatedCpuPlacement",
          "either spec.domain.resources.requests.cpu or spec.domain.resources.limits.cpu or spec.domain.cpu.cores must be provided when DedicatedCPUPlacement is true ",
        ),
      ],
    );
  });

  it("an empty template gets one socket from the defaults, so the VM is admitted", () => {
    const spec: VmiSpec = { domain: { cpu: { dedicatedCpuPlacement: true }, memory: { guest: "1Gi" } } };
    assert.deepEqual(admit("v1.9.0", vmWith(spec)), []);
  });

  it("isolateEmulatorThread needs dedicatedCpuPlacement", () => {
    const spec: VmiSpec = { domain: { cpu: { sockets: 2, isolateEmulatorThread: true }, memory: { guest: "1Gi" } } };
    const cause = invalid(
      `${P}.domain.cpu.isolateEmulatorThread`,
      "IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement",
    );
    for (const version of VERSIONS) assert.deepEqual(admit(version, vmWith(spec)), [cause], version);
    assert.deepEqual(
      validateCpuIsolatorThread("spec", {
        domain: { cpu: { isolateEmulatorThread: true, dedicatedCpuPlacement: true } },
      }),
      [],
    );
  });

  describe("hotplug-friendly dedicated VMs are admitted in every version", () => {
    for (const version of VERSIONS) {
      it(`${version}: e2e [test_id:10822] shape, cores 2, sockets 1→3, maxSockets 3`, () => {
        const spec = dedicated({ sockets: 3, cores: 2, threads: 1, maxSockets: 3 });
        // v1.0/v1.1 forbid an explicit maxSockets in the template (liveUpdateFeatures era)
        const expected = version < "v1.2.0" ? 1 : 0;
        assert.equal(admit(version, vmWith(spec), { rollout: "LiveUpdate" }).length, expected);
      });
      it(`${version}: limits.cpu equal to the vCPUs`, () => {
        const spec = dedicated({ sockets: 2, cores: 1, threads: 1 }, { resources: { limits: { cpu: "2" } } });
        assert.deepEqual(admit(version, vmWith(spec)), []);
      });
    }
  });

  it("counts vCPUs like hwutil.GetNumberOfVCPUs (zeros skipped)", () => {
    assert.equal(numberOfVcpus({ sockets: 2, cores: 0, threads: 0 }), 2n);
    assert.equal(numberOfVcpus({ sockets: 2, cores: 3, threads: 2 }), 12n);
    assert.equal(numberOfVcpus({ threads: 2 }), 2n);
    assert.equal(numberOfVcpus({}), 0n);
    assert.equal(numberOfVcpus(undefined), 0n);
  });
});
