import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import { admit, kubevirtFor, plainSpec, type Rollout, VERSIONS, vmWith } from "./admissionHarness";

const P = "spec.template.spec";
const invalid = (field: string, message: string): AdmissionCause => ({ type: "FieldValueInvalid", field, message });
const notSupported = (field: string, message: string): AdmissionCause => ({
  type: "FieldValueNotSupported",
  field,
  message,
});
const GATE = invalid("spec.liveUpdateFeatures", "VMLiveUpdateFeatures feature gate is not enabled in kubevirt-config");
const CPU_RESOURCES = "Configuration of CPU resource requirements is not allowed when CPU live update is enabled";
const SOCKETS = "Number of sockets in CPU topology is greater than the maximum sockets allowed";
const withGate = (version: string) => kubevirtFor(version, "Stage", { gates: ["VMLiveUpdateFeatures"] });

describe("admission: v1.0/v1.1 spec.liveUpdateFeatures", () => {
  it("needs the VMLiveUpdateFeatures gate", () => {
    const vm = vmWith(plainSpec(), { liveUpdateFeatures: { cpu: {} } });
    assert.deepEqual(admit("v1.0.0", vm), [GATE]);
    assert.deepEqual(admit("v1.1.0", vm), [GATE]);
    assert.deepEqual(admit("v1.0.0", vm, { kubevirt: withGate("v1.0.0") }), []);
    assert.deepEqual(admit("v1.1.1", vm, { kubevirt: withGate("v1.1.1") }), []);
  });

  it("sockets above liveUpdateFeatures.cpu.maxSockets (field spec.liveUpdateFeatures)", () => {
    const vm = vmWith(plainSpec({ domain: { cpu: { sockets: 6 } } }), {
      liveUpdateFeatures: { cpu: { maxSockets: 4 } },
    });
    for (const version of ["v1.0.0", "v1.0.1", "v1.1.0"]) {
      assert.deepEqual(admit(version, vm, { kubevirt: withGate(version) }), [
        invalid("spec.liveUpdateFeatures", SOCKETS),
      ]);
    }
    const within = vmWith(plainSpec({ domain: { cpu: { sockets: 4 } } }), {
      liveUpdateFeatures: { cpu: { maxSockets: 4 } },
    });
    assert.deepEqual(admit("v1.0.0", within, { kubevirt: withGate("v1.0.0") }), []);
  });

  it("no CPU requests or limits with liveUpdateFeatures.cpu (keyed on presence, after the defaults)", () => {
    for (const resources of [{ requests: { cpu: "2" } }, { limits: { cpu: "2" } }, { requests: { cpu: "0" } }]) {
      const vm = vmWith(plainSpec({ domain: { cpu: { sockets: 2 }, resources } }), { liveUpdateFeatures: { cpu: {} } });
      assert.deepEqual(admit("v1.0.0", vm, { kubevirt: withGate("v1.0.0") }), [
        invalid("spec.liveUpdateFeatures", CPU_RESOURCES),
      ]);
      assert.deepEqual(admit("v1.1.0", vm, { kubevirt: withGate("v1.1.0") }), [
        invalid("spec.liveUpdateFeatures", CPU_RESOURCES),
      ]);
    }
    // a cluster-wide cpuRequest other than 100m lands in every template copy, hence the rule fires too
    const vm = vmWith(plainSpec(), { liveUpdateFeatures: { cpu: {} } });
    const kubevirt = kubevirtFor("v1.0.0", "Stage", {
      gates: ["VMLiveUpdateFeatures"],
      configuration: { cpuRequest: "250m" },
    });
    assert.deepEqual(admit("v1.0.0", vm, { kubevirt }), [invalid("spec.liveUpdateFeatures", CPU_RESOURCES)]);
  });

  it("v1.1: no explicit maxGuest in the template", () => {
    const vm = vmWith(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi", maxGuest: "8Gi" } } }));
    assert.deepEqual(admit("v1.1.0", vm), [
      notSupported(`${P}.domain.memory.maxGuest`, "Memory maxGuest cannot be set directy in VM template"),
    ]);
    assert.deepEqual(admit("v1.0.0", vm), [], "v1.0 had no memory hotplug");
  });

  describe("v1.1 liveUpdateFeatures.memory: every failing rule, each with its field", () => {
    const lufMemory = (maxGuest: string) => ({ liveUpdateFeatures: { memory: { maxGuest } } });
    const rows: Array<[string, VmiSpec, string, AdmissionCause[]]> = [
      ["admitted: guest 2Gi, maxGuest 8Gi", plainSpec(), "8Gi", []],
      [
        "memory limits",
        plainSpec({
          domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" }, resources: { limits: { memory: "2Gi" } } },
        }),
        "8Gi",
        [
          invalid(
            "spec.liveUpdateFeatures",
            "Configuration of Memory limits is not allowed when Memory live update is enabled",
          ),
        ],
      ],
      [
        "guest above maxGuest",
        plainSpec(),
        "1Gi",
        [invalid(`${P}.domain.memory.guest`, "Guest memory is greater than the configured maxGuest memory")],
      ],
      [
        "guest and maxGuest not 2Mi-aligned (maxGuest field spelled MaxGuest, as KubeVirt did)",
        plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "1025Mi" } } }),
        "4097Mi",
        [
          invalid(`${P}.domain.memory.guest`, "Guest memory must be 2Mi aligned"),
          invalid("spec.liveUpdateFeatures.MaxGuest", "MaxGuest must be 2Mi aligned"),
        ],
      ],
      [
        "no guest (v1.1 does not default it from requests)",
        { domain: { cpu: { sockets: 2 }, resources: { requests: { memory: "2Gi" } } } },
        "8Gi",
        [invalid(`${P}.domain.memory.guest`, "Guest memory must be configured when memory hotplug is enabled")],
      ],
      [
        "dedicated CPUs and hugepages, arm64",
        {
          architecture: "arm64",
          domain: {
            cpu: { sockets: 2, dedicatedCpuPlacement: true },
            memory: { guest: "2Gi", hugepages: { pageSize: "2Mi" } },
          },
        },
        "8Gi",
        [
          invalid(`${P}.domain.cpu.dedicatedCpuPlacement`, "Memory hotplug is not compatible with dedicated CPUs"),
          invalid(`${P}.domain.memory.hugepages`, "Memory hotplug is not compatible with hugepages"),
          invalid(`${P}.architecture`, "Memory hotplug is only available for x86_64 VMs"),
        ],
      ],
    ];
    for (const [name, spec, maxGuest, expected] of rows) {
      it(name, () => {
        const kubevirt = kubevirtFor("v1.1.0", "Stage", { gates: ["VMLiveUpdateFeatures", "MultiArchitecture"] });
        assert.deepEqual(admit("v1.1.0", vmWith(spec, lufMemory(maxGuest)), { kubevirt }), expected);
      });
    }
  });

  it("realtime, NUMA passthrough and SEV each have their own cause (v1.1)", () => {
    const spec: VmiSpec = {
      domain: {
        cpu: { sockets: 2, dedicatedCpuPlacement: true, realtime: {}, numa: { guestMappingPassthrough: {} } },
        memory: { guest: "2Gi", hugepages: { pageSize: "2Mi" } },
        launchSecurity: { sev: {} },
      },
    };
    const kubevirt = kubevirtFor("v1.1.0", "Stage", { gates: ["VMLiveUpdateFeatures", "NUMA"] });
    const causes = admit("v1.1.0", vmWith(spec, { liveUpdateFeatures: { memory: { maxGuest: "8Gi" } } }), { kubevirt });
    assert.deepEqual(
      causes.map((c) => [c.field, c.message]),
      [
        [`${P}.domain.cpu.realtime`, "Memory hotplug is not compatible with realtime VMs"],
        [
          `${P}.domain.cpu.numa.guestMappingPassthrough`,
          "Memory hotplug is not compatible with guest mapping passthrough",
        ],
        [`${P}.domain.launchSecurity`, "Memory hotplug is not compatible with encrypted VMs"],
        [`${P}.domain.cpu.dedicatedCpuPlacement`, "Memory hotplug is not compatible with dedicated CPUs"],
        [`${P}.domain.memory.hugepages`, "Memory hotplug is not compatible with hugepages"],
      ],
    );
  });
});

describe("admission: v1.2+ validateLiveUpdateFeatures (only under LiveUpdate)", () => {
  const cpuResources = vmWith(
    plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" }, resources: { requests: { cpu: "2" } } } }),
  );
  const rows: Array<[string, Rollout, AdmissionCause[]]> = [
    ["v1.2.0", "LiveUpdate", [invalid(`${P}.domain.resources`, CPU_RESOURCES)]],
    ["v1.2.1", "LiveUpdate", [invalid(`${P}.domain.resources`, CPU_RESOURCES)]],
    ["v1.2.2", "LiveUpdate", []],
    ["v1.2.0", "Stage", []],
    ["v1.3.0", "LiveUpdate", []],
    ["v1.9.0", "LiveUpdate", []],
  ];
  for (const [version, rollout, expected] of rows) {
    it(`${version} ${rollout}: CPU requests ${expected.length ? "rejected" : "allowed"}`, () => {
      assert.deepEqual(admit(version, cpuResources, { rollout }), expected);
    });
  }

  describe("an explicit maxGuest is validated", () => {
    const limitsAndMaxGuest = vmWith(
      plainSpec({
        domain: {
          cpu: { sockets: 2 },
          memory: { guest: "2Gi", maxGuest: "8Gi" },
          resources: { limits: { memory: "8Gi" } },
        },
      }),
    );
    it("v1.2.0 rejects memory limits with it; v1.2.1 no longer", () => {
      assert.deepEqual(admit("v1.2.0", limitsAndMaxGuest, { rollout: "LiveUpdate" }), [
        invalid(
          `${P}.domain.resources`,
          "Configuration of Memory limits is not allowed when Memory live update is enabled",
        ),
      ]);
      assert.deepEqual(admit("v1.2.1", limitsAndMaxGuest, { rollout: "LiveUpdate" }), []);
    });

    const rows: Array<[string, VmiSpec, AdmissionCause[]]> = [
      [
        "v1.2.2",
        plainSpec({
          domain: { cpu: { sockets: 2, dedicatedCpuPlacement: true }, memory: { guest: "2Gi", maxGuest: "8Gi" } },
        }),
        [invalid(`${P}.domain.cpu.dedicatedCpuPlacement`, "Memory hotplug is not compatible with dedicated CPUs")],
      ],
      [
        "v1.2.2",
        plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi", maxGuest: "4097Mi" } } }),
        [invalid(`${P}.domain.memory.maxGuest`, "MaxGuest must be 2Mi aligned")],
      ],
      // v1.3+: the memory validator, first failure only, always on field memory.guest
      [
        "v1.3.0",
        plainSpec({
          domain: { cpu: { sockets: 2, dedicatedCpuPlacement: true }, memory: { guest: "2Gi", maxGuest: "8Gi" } },
        }),
        [],
      ],
      [
        "v1.3.0",
        plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi", maxGuest: "4097Mi" } } }),
        [invalid(`${P}.domain.memory.guest`, "MaxGuest must be 2Mi aligned")],
      ],
      [
        "v1.9.0",
        plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "8Gi", maxGuest: "4Gi" } } }),
        [invalid(`${P}.domain.memory.guest`, "Guest memory is greater than the configured maxGuest memory")],
      ],
      [
        "v1.9.0",
        plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "512Mi", maxGuest: "4Gi" } } }),
        [
          invalid(
            `${P}.domain.memory.guest`,
            "Memory hotplug is only available for VMs with at least 1Gi of guest memory",
          ),
        ],
      ],
      ["v1.3.0", plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "512Mi", maxGuest: "4Gi" } } }), []],
      [
        "v1.9.0",
        { architecture: "s390x", domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi", maxGuest: "8Gi" } } },
        [invalid(`${P}.domain.memory.guest`, "Memory hotplug is only available for x86_64 VMs")],
      ],
      [
        "v1.9.0",
        {
          domain: {
            cpu: { sockets: 2 },
            memory: { guest: "1536Mi", maxGuest: "8Gi", hugepages: { pageSize: "1Gi" } },
            resources: { requests: { memory: "2Gi" } },
          },
        },
        [invalid(`${P}.domain.memory.guest`, "Guest memory must be 1Gi aligned")],
      ],
      [
        "v1.9.0",
        // guest defaulted from requests.memory on the copy (v1.3+), so it is "configured"
        { domain: { cpu: { sockets: 2 }, memory: { maxGuest: "8Gi" }, resources: { requests: { memory: "2Gi" } } } },
        [],
      ],
    ];
    for (const [version, spec, expected] of rows) {
      it(`${version}: ${expected.map((c) => c.message).join("; ") || "admitted"}`, () => {
        assert.deepEqual(admit(version, vmWith(spec), { rollout: "LiveUpdate" }), expected);
      });
    }

    it("without LiveUpdate, or without an explicit maxGuest, memory is not validated at VM admission", () => {
      const tooSmall = plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "512Mi", maxGuest: "4Gi" } } });
      assert.deepEqual(admit("v1.9.0", vmWith(tooSmall), { rollout: "Stage" }), []);
      const implicit = plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "513Mi" } } });
      for (const version of VERSIONS.filter((v) => v >= "v1.2.0")) {
        assert.deepEqual(admit(version, vmWith(implicit), { rollout: "LiveUpdate" }), [], version);
      }
    });
  });

  describe("v1.3–v1.4: updateVolumesStrategy needs its gates under LiveUpdate", () => {
    const vm = vmWith(plainSpec(), { updateVolumesStrategy: "Migration" });
    const strategyGate = invalid(
      "updateVolumesStrategy",
      "VolumesUpdateStrategy feature gate is not enabled in kubevirt-config",
    );
    const migrationGate = invalid(
      "updateVolumesStrategy",
      "VolumeMigration feature gate is not enabled in kubevirt-config",
    );
    it("v1.3.0 and v1.4.0 without the gates", () => {
      assert.deepEqual(admit("v1.3.0", vm, { rollout: "LiveUpdate" }), [strategyGate, migrationGate]);
      assert.deepEqual(admit("v1.4.1", vm, { rollout: "LiveUpdate" }), [strategyGate, migrationGate]);
      assert.deepEqual(
        admit("v1.4.0", vmWith(plainSpec(), { updateVolumesStrategy: "Replacement" }), { rollout: "LiveUpdate" }),
        [strategyGate],
      );
    });
    it("with the gates, under Stage, and from v1.5 (GA) it is admitted", () => {
      const kubevirt = kubevirtFor("v1.4.0", "LiveUpdate", { gates: ["VolumesUpdateStrategy", "VolumeMigration"] });
      assert.deepEqual(admit("v1.4.0", vm, { kubevirt }), []);
      assert.deepEqual(admit("v1.4.0", vm, { rollout: "Stage" }), []);
      assert.deepEqual(admit("v1.5.0", vm, { rollout: "LiveUpdate" }), []);
    });
  });
});
