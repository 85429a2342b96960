import assert from "node:assert/strict";
import { resolveClusterConfig } from "../../core/kubevirt/clusterConfig";
import { bootVirtualMachineInstance, defaultGuestCpuTopology, vcpuCount } from "../../core/kubevirt/defaults";
import type { KubeVirt, VirtualMachine } from "../../core/kubevirt/schema";
import { parseKubeVirtVersion } from "../../core/kubevirt/version";

const liveKv = (liveUpdateConfiguration: Record<string, unknown> = {}, gates: string[] = []): KubeVirt =>
  ({
    spec: {
      configuration: {
        vmRolloutStrategy: "LiveUpdate",
        liveUpdateConfiguration,
        developerConfiguration: { featureGates: gates },
      },
    },
  }) as KubeVirt;

const vmWith = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): VirtualMachine =>
  ({
    metadata: { name: "vm", namespace: "ns" },
    spec: { runStrategy: "Always", template: { spec }, ...extra },
  }) as VirtualMachine;

const boot = (vm: VirtualMachine, kv: KubeVirt | undefined, version = "v1.9.0") =>
  bootVirtualMachineInstance(vm, resolveClusterConfig(kv, parseKubeVirtVersion(version)));

describe("core/kubevirt/defaults", () => {
  describe("topology (SetDefaultGuestCPUTopology)", () => {
    const rows: [string, Record<string, unknown>, [number, number, number]][] = [
      ["empty → 1/1/1", {}, [1, 1, 1]],
      ["limits.cpu 3 → sockets 3", { domain: { resources: { limits: { cpu: "3" } } } }, [3, 1, 1]],
      [
        "requests.cpu 500m → sockets 1 (rounded up)",
        { domain: { resources: { requests: { cpu: "500m" } } } },
        [1, 1, 1],
      ],
      ["limits before requests", { domain: { resources: { limits: { cpu: 4 }, requests: { cpu: 2 } } } }, [4, 1, 1]],
      ["a partial topology is kept", { domain: { cpu: { cores: 2 } } }, [0, 2, 0]],
      [
        "topology wins over resources",
        { domain: { cpu: { sockets: 2, cores: 1, threads: 1 }, resources: { limits: { cpu: 8 } } } },
        [2, 1, 1],
      ],
    ];
    for (const [name, spec, expected] of rows) {
      it(name, () => {
        const t = defaultGuestCpuTopology(spec);
        assert.deepEqual([t.sockets, t.cores, t.threads], expected);
      });
    }
    it("vcpuCount multiplies the non-zero fields", () => {
      assert.equal(vcpuCount({ sockets: 2, cores: 0, threads: 2 }), 4);
      assert.equal(vcpuCount({}), 0);
      assert.equal(vcpuCount({ sockets: 3, cores: 2, threads: 1 }), 6);
    });
  });

  describe("maxSockets: the vmi-mutator_test.go table (rules §3.2)", () => {
    const rows: [string, Record<string, unknown>, Record<string, unknown>, string, number][] = [
      ["default topology (sockets 1)", {}, {}, "amd64", 4],
      ["sockets 2", { cpu: { sockets: 2 } }, {}, "amd64", 8],
      [
        "sockets 32, cores 2, threads 3 → 85 (512 / 6)",
        { cpu: { sockets: 32, cores: 2, threads: 3 } },
        {},
        "amd64",
        85,
      ],
      ["ratio 2, sockets 1", { cpu: { sockets: 1 } }, { maxHotplugRatio: 2 }, "amd64", 2],
      ["maxCpuSockets 10", {}, { maxCpuSockets: 10 }, "amd64", 10],
      [
        "maxCpuSockets 10 + ratio 2, sockets 2",
        { cpu: { sockets: 2 } },
        { maxCpuSockets: 10, maxHotplugRatio: 2 },
        "amd64",
        10,
      ],
      ["maxSockets 16 given", { cpu: { sockets: 2, maxSockets: 16 } }, {}, "amd64", 16],
      ["maxCpuSockets 2, sockets 3", { cpu: { sockets: 3 } }, { maxCpuSockets: 2 }, "amd64", 3],
      ["arm64 with maxCpuSockets 10", {}, { maxCpuSockets: 10 }, "arm64", 0],
      ["s390x default", {}, {}, "s390x", 4],
    ];
    for (const [name, domain, luc, arch, expected] of rows) {
      it(name, () => {
        const r = boot(vmWith({ domain, architecture: arch }), liveKv(luc));
        assert.equal(r.maxSockets.maxSockets, expected);
        assert.equal(r.vmi.spec.domain?.cpu?.maxSockets ?? 0, expected);
      });
    }
  });

  describe("maxSockets across versions", () => {
    const gate = ["VMLiveUpdateFeatures"];
    const rows: [string, string, Record<string, unknown>, Record<string, unknown>, number, boolean][] = [
      ["v1.4.0 has no 512 cap", "v1.4.0", { cpu: { sockets: 32, cores: 2, threads: 3 } }, {}, 128, false],
      ["v1.4.1 caps", "v1.4.1", { cpu: { sockets: 32, cores: 2, threads: 3 } }, {}, 85, false],
      ["v1.5.0 has no cap", "v1.5.0", { cpu: { sockets: 32, cores: 2, threads: 3 } }, {}, 128, false],
      ["v1.5.1 caps", "v1.5.1", { cpu: { sockets: 32, cores: 2, threads: 3 } }, {}, 85, false],
      ["cap never below sockets", "v1.9.0", { cpu: { sockets: 200, cores: 4, threads: 1 } }, {}, 200, false],
      [
        "v1.3.1: sockets above maxCpuSockets fails VMI admission",
        "v1.3.1",
        { cpu: { sockets: 3 } },
        { maxCpuSockets: 2 },
        2,
        true,
      ],
      ["v1.4.0: raised to sockets", "v1.4.0", { cpu: { sockets: 3 } }, { maxCpuSockets: 2 }, 3, false],
      ["v1.5.1 arm64 still gets defaults", "v1.5.1", {}, {}, 4, false],
    ];
    for (const [name, version, domain, luc, expected, admissionError] of rows) {
      it(name, () => {
        const arch = name.includes("arm64") ? "arm64" : "amd64";
        const r = boot(vmWith({ domain, architecture: arch }), liveKv(luc, gate), version);
        assert.equal(r.maxSockets.maxSockets, expected);
        assert.equal(r.maxSockets.vmiAdmissionError !== undefined, admissionError);
      });
    }
    it("Stage (default before v1.6) computes nothing", () => {
      assert.equal(boot(vmWith({ domain: { cpu: { sockets: 2 } } }), undefined, "v1.5.3").maxSockets.maxSockets, 0);
      assert.equal(boot(vmWith({ domain: { cpu: { sockets: 2 } } }), undefined, "v1.6.0").maxSockets.maxSockets, 8);
    });
    it("v1.2–v1.4 need the gate as well as LiveUpdate", () => {
      assert.equal(boot(vmWith({}), liveKv({}), "v1.4.1").maxSockets.maxSockets, 0);
      assert.equal(boot(vmWith({}), liveKv({}, gate), "v1.4.1").maxSockets.maxSockets, 4);
    });
    it("v1.0: liveUpdateFeatures drives the default (maxSockets > cluster > 4 × sockets)", () => {
      const kv10 = liveKv({ maxCpuSockets: 6 }, gate);
      const vm = (luf?: Record<string, unknown>) =>
        vmWith({ domain: { cpu: { sockets: 2 } } }, luf ? { liveUpdateFeatures: luf } : {});
      assert.equal(boot(vm(), kv10, "v1.0.0").maxSockets.maxSockets, 0);
      assert.equal(boot(vm({ cpu: {} }), kv10, "v1.0.0").maxSockets.maxSockets, 6);
      assert.equal(boot(vm({ cpu: { maxSockets: 5 } }), kv10, "v1.0.0").maxSockets.maxSockets, 5);
      assert.equal(boot(vm({ cpu: {} }), liveKv({}, gate), "v1.0.0").maxSockets.maxSockets, 8);
      assert.equal(boot(vm({ cpu: {} }), liveKv({ maxHotplugRatio: 3 }, gate), "v1.1.0").maxSockets.maxSockets, 6);
      assert.equal(boot(vm({ memory: {} }), liveKv({}, gate), "v1.1.0").maxSockets.maxSockets, 0);
    });
  });

  describe("maxGuest: the vmi-mutator_test.go table (rules §3.3)", () => {
    const rows: [string, Record<string, unknown>, Record<string, unknown>, string, string | undefined][] = [
      ["guest 2Gi + maxGuest 6Gi", { memory: { guest: "2Gi", maxGuest: "6Gi" } }, {}, "amd64", "6Gi"],
      ["cluster maxGuest 10Gi, guest 1Gi", { memory: { guest: "1Gi" } }, { maxGuest: "10Gi" }, "amd64", "10Gi"],
      [
        "cluster maxGuest 10Gi with ratio 2",
        { memory: { guest: "1Gi" } },
        { maxGuest: "10Gi", maxHotplugRatio: 2 },
        "amd64",
        "10Gi",
      ],
      ["guest 1Gi", { memory: { guest: "1Gi" } }, {}, "amd64", "4Gi"],
      ["ratio 2, guest 1Gi", { memory: { guest: "1Gi" } }, { maxHotplugRatio: 2 }, "amd64", "2Gi"],
      ["base guest 128Mi", { memory: { guest: "128Mi" } }, {}, "amd64", undefined],
      ["realtime", { memory: { guest: "1Gi" }, cpu: { realtime: {} } }, {}, "amd64", undefined],
      ["SEV", { memory: { guest: "1Gi" }, launchSecurity: { sev: {} } }, {}, "amd64", undefined],
      [
        "NUMA passthrough",
        { memory: { guest: "1Gi" }, cpu: { numa: { guestMappingPassthrough: {} } } },
        {},
        "amd64",
        undefined,
      ],
      ["guest nil", {}, {}, "amd64", undefined],
      ["guest 123", { memory: { guest: "123" } }, {}, "amd64", undefined],
      ["guest 512Mi", { memory: { guest: "512Mi" } }, {}, "amd64", undefined],
      ["arm64 with cluster maxGuest 512Mi", { memory: { guest: "1Gi" } }, { maxGuest: "512Mi" }, "arm64", undefined],
      ["s390x with cluster maxGuest 512Mi", { memory: { guest: "1Gi" } }, { maxGuest: "512Mi" }, "s390x", undefined],
      ["guest from requests.memory", { resources: { requests: { memory: "2Gi" } } }, {}, "amd64", "8Gi"],
      [
        "cluster maxGuest below guest is not raised",
        { memory: { guest: "4Gi" } },
        { maxGuest: "2Gi" },
        "amd64",
        undefined,
      ],
    ];
    for (const [name, domain, luc, arch, expected] of rows) {
      it(name, () => {
        const r = boot(vmWith({ domain, architecture: arch }), liveKv(luc));
        assert.equal(r.maxGuest.maxGuest, expected);
        assert.equal(r.vmi.spec.domain?.memory?.maxGuest, expected);
        if (expected === undefined && !("maxGuest" in ((domain.memory as object) ?? {}))) {
          assert.ok(r.maxGuest.disabledReason, "a reason is given");
        }
      });
    }
    it("v1.2 computes without validation, from the template's memory stanza only", () => {
      const kv = liveKv({}, ["VMLiveUpdateFeatures"]);
      assert.equal(boot(vmWith({ domain: { memory: { guest: "512Mi" } } }), kv, "v1.2.2").maxGuest.maxGuest, "2Gi");
      assert.equal(
        boot(vmWith({ domain: { resources: { requests: { memory: "1Gi" } } } }), kv, "v1.2.2").maxGuest.maxGuest,
        undefined,
      );
      assert.equal(boot(vmWith({ domain: { memory: { guest: "512Mi" } } }), kv, "v1.4.0").maxGuest.maxGuest, undefined);
      assert.equal(boot(vmWith({ domain: { memory: { guest: "512Mi" } } }), kv, "v1.3.0").maxGuest.maxGuest, "2Gi");
      assert.equal(boot(vmWith({ domain: { memory: { guest: "512Mi" } } }), kv, "v1.3.1").maxGuest.maxGuest, undefined);
    });
    it("v1.1: liveUpdateFeatures.memory drives it", () => {
      const kv = liveKv({}, ["VMLiveUpdateFeatures"]);
      const vm = vmWith({ domain: { memory: { guest: "1Gi" } } }, { liveUpdateFeatures: { memory: {} } });
      assert.equal(boot(vm, kv, "v1.1.0").maxGuest.maxGuest, "4Gi");
      const vm2 = vmWith(
        { domain: { memory: { guest: "1Gi" } } },
        { liveUpdateFeatures: { memory: { maxGuest: "3Gi" } } },
      );
      assert.equal(boot(vm2, kv, "v1.1.0").maxGuest.maxGuest, "3Gi");
      assert.equal(boot(vmWith({ domain: { memory: { guest: "1Gi" } } }), kv, "v1.1.0").maxGuest.maxGuest, undefined);
    });
  });

  describe("status at boot", () => {
    it("currentCPUTopology and memory mirror the spec; architecture and eviction strategy defaulted", () => {
      const r = boot(vmWith({ domain: { cpu: { sockets: 2, cores: 2 }, memory: { guest: "2Gi" } } }), undefined);
      assert.deepEqual(r.vmi.status?.currentCPUTopology, { sockets: 2, cores: 2, threads: 0 });
      assert.deepEqual(r.vmi.status?.memory, { guestAtBoot: "2Gi", guestCurrent: "2Gi", guestRequested: "2Gi" });
      assert.equal(r.vmi.spec.architecture, "amd64");
      assert.equal(r.vmi.spec.evictionStrategy, "None");
      assert.equal(r.vmi.metadata?.name, "vm");
    });
    it("notes an instance type it cannot expand", () => {
      const r = boot(vmWith({}, { instancetype: { name: "u1.large" } }), undefined);
      assert.match(r.notes.join("\n"), /u1\.large is not expanded/);
    });
    it("does not modify the VM", () => {
      const vm = vmWith({ domain: { cpu: { sockets: 2 } } });
      const copy = JSON.parse(JSON.stringify(vm));
      boot(vm, undefined);
      assert.deepEqual(vm, copy);
    });
  });
});
