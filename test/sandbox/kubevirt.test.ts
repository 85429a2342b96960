/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies */
/**
 * KubeVirt behaviour of the sandbox, checked against the rules document (shared/docs/kubevirt-live-update-rules.md):
 * handlers, RestartRequired, workload updates, eviction, back-off, versions, heartbeat labels, subresources.
 */
import assert from "node:assert/strict";
import { hotplugReadyKubeVirtSpec } from "../../sandbox/index";
import { Harness, LIVE_MIGRATE } from "./harness";
import { T } from "../../sandbox/kubevirt/context";
import { api, vmManifest, waitFor } from "./helpers";

const RR = "RestartRequired";
const NON_LIVE = "a non-live-updatable field was changed in the template spec";

describe("sandbox KubeVirt model", function () {
  let h: Harness | undefined;
  afterEach(async () => {
    if (h) assert.deepEqual(h.sb.controllerErrors, [], "no controller errors");
    await h?.close();
    h = undefined;
  });

  describe("v1.9 with LiveMigrate", () => {
    it("hot-plugs sockets and memory through one workload-update migration; VMI UID unchanged", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a", (m) => (m.spec.template.spec.domain.resources = { requests: { memory: "2Gi", cpu: "1" } }));
      const before = await h.vmi("a");
      assert.equal(before.spec.domain.cpu.maxSockets, 4);
      assert.equal(before.spec.domain.memory.maxGuest, "8Gi");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 3 }, memory: { guest: "5Gi" } } });
      await waitFor("hotplug", async () =>
        (await h!.vmi("a")).status.memory.guestCurrent === "5Gi" ? true : undefined,
      );
      await h.settle();
      const after = await h.vmi("a");
      assert.equal(after.metadata.uid, before.metadata.uid);
      assert.deepEqual(after.status.currentCPUTopology, { sockets: 3, cores: 1, threads: 1 });
      assert.equal(after.spec.domain.resources.requests.memory, "5Gi", "requests grow by the guest delta");
      assert.equal(after.spec.domain.resources.requests.cpu, "1200m", "+100m per added vCPU (cpuAllocationRatio 10)");
      assert.notEqual(after.status.nodeName, before.status.nodeName, "the VMI moved to the target node");
      const ms = await h.migrations("a");
      assert.equal(ms.length, 1);
      assert.equal(ms[0].status.phase, "Succeeded");
      assert.equal(await h.condition("vm", "a", RR), undefined);
      const vm = await h.vm("a");
      assert.equal(vm.status.printableStatus, "Running");
      assert.equal(vm.status.ready, true);
    });

    it("sockets beyond the computed maxSockets, or fewer sockets, need a restart", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a", (m) => (m.spec.template.spec.domain.cpu.sockets = 2));
      await h.patchTemplate("a", { domain: { cpu: { sockets: 9 } } });
      await h.settle();
      assert.equal(
        (await h.condition("vm", "a", RR))?.message,
        "CPU sockets updated in template spec to a value higher than what's available",
      );
      assert.equal((await h.vmi("a")).spec.domain.cpu.sockets, 2);
      await h.patchTemplate("a", { domain: { cpu: { sockets: 1 } } });
      await h.settle();
      // v1.9 clears RR when the start spec matches after neutralisation, then the CPU handler re-sets it
      assert.equal((await h.condition("vm", "a", RR))?.message, "Reduction of CPU socket count requires a restart");
      assert.equal((await h.migrations("a")).length, 0);
    });

    it("a non-live field with sockets gives RR and hot-plugs nothing; reverting clears RR (v1.8+)", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2, cores: 2 } } });
      await h.settle();
      assert.equal((await h.condition("vm", "a", RR))?.message, NON_LIVE);
      assert.equal((await h.vmi("a")).spec.domain.cpu.sockets, 1);
      await h.patchTemplate("a", { domain: { cpu: { sockets: 1, cores: 1 } } });
      await h.settle();
      assert.equal(await h.condition("vm", "a", RR), undefined);
    });

    it("memory below 1Gi has no maxGuest: a memory change needs a restart", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a", (m) => (m.spec.template.spec.domain.memory.guest = "512Mi"));
      assert.equal((await h.vmi("a")).spec.domain.memory.maxGuest, undefined);
      await h.patchTemplate("a", { domain: { memory: { guest: "1Gi" } } });
      await h.settle();
      assert.equal(
        (await h.condition("vm", "a", RR))?.message,
        "memory updated in template spec. Memory-hotplug is not available for this VM configuration",
      );
    });

    it("memory below the boot size or not 2Mi-aligned needs a restart", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a");
      await h.patchTemplate("a", { domain: { memory: { guest: "1Gi" } } });
      await h.settle();
      assert.equal(
        (await h.condition("vm", "a", RR))?.message,
        "memory updated in template spec to a value lower than what the VM started with",
      );
      await h.patchTemplate("a", { domain: { memory: { guest: "3073Mi" } } });
      await h.settle();
      assert.equal(
        (await h.condition("vm", "a", RR))?.message,
        "memory hotplug not supported, Guest memory must be 2Mi aligned",
      );
    });

    it("without LiveMigrate the VMI is patched and HotVCPUChange stays; a second change fails transiently", async () => {
      h = await Harness.start({});
      await h.createVm("a");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      await h.settle();
      assert.equal((await h.vmi("a")).spec.domain.cpu.sockets, 2);
      assert.equal((await h.condition("vmi", "a", "HotVCPUChange"))?.status, "True");
      assert.equal((await h.migrations("a")).length, 0);
      await h.patchTemplate("a", { domain: { cpu: { sockets: 3 } } });
      await h.settle();
      const failure = await h.condition("vm", "a", "Failure");
      assert.equal(failure?.reason, "HotPlugCPUError");
      assert.equal(
        failure?.message,
        "Error encountered while handling CPU change request: another CPU hotplug is in progress",
      );
      const kv = h.sb.store.list(T.kv)[0]!;
      assert.equal((kv.status as any).outdatedVirtualMachineInstanceWorkloads, 1);
    });

    it("nodeSelector, affinity and tolerations are patched onto the VMI without a migration", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a");
      await h.patchTemplate("a", { nodeSelector: { zone: "a" }, tolerations: [{ key: "k", operator: "Exists" }] });
      await h.settle();
      const vmi = await h.vmi("a");
      assert.deepEqual(vmi.spec.nodeSelector, { zone: "a" });
      assert.deepEqual(vmi.spec.tolerations, [{ key: "k", operator: "Exists" }]);
      assert.equal((await h.migrations("a")).length, 0);
      assert.equal(await h.condition("vm", "a", RR), undefined);
    });

    it("compares the template semantically: the same quantity spelled differently, or a zero value, is no change", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a", (m) => (m.spec.template.spec.domain.resources = { requests: { memory: "2Gi" } }));
      await h.patchTemplate("a", { domain: { resources: { requests: { memory: "2048Mi" } }, cpu: { model: "" } } });
      await h.settle();
      assert.equal(await h.condition("vm", "a", RR), undefined);
      await h.patchTemplate("a", { domain: { resources: { requests: { memory: "3Gi" } } } });
      await h.settle();
      assert.equal((await h.condition("vm", "a", RR))?.message, NON_LIVE);
    });

    it("labels and annotations on the template never need a restart", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a");
      const r = await h.patchVm("a", { spec: { template: { metadata: { labels: { x: "y" } } } } });
      assert.equal(r.status, 200);
      await h.settle();
      assert.equal(await h.condition("vm", "a", RR), undefined);
    });
  });

  describe("faults per VM", () => {
    it("fail-migrations: failed workload-update migrations are retried with back-off until one succeeds", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE, backoffSeconds: 0.2 });
      await h.createVm("a", (m) => (m.metadata.annotations = { "sandbox.livevm.dev/fail-migrations": "2" }));
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      const t0 = Date.now();
      await waitFor(
        "hotplug",
        async () => ((await h!.vmi("a")).status.currentCPUTopology.sockets === 2 ? true : undefined),
        15000,
      );
      const elapsed = Date.now() - t0;
      const ms = await h.migrations("a");
      assert.deepEqual(
        ms.map((m) => m.status.phase),
        ["Failed", "Failed", "Succeeded"],
      );
      // back-off 0.2 s after the first failure, 0.4 s after the second
      assert.ok(elapsed >= 600, `elapsed ${elapsed} ms`);
      assert.equal(await h.condition("vm", "a", RR), undefined, "a failed migration adds no RR");
    });

    it("fail-memory-hotplug: the migration succeeds, HotMemoryChange=False, and the VM needs a restart", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a", (m) => (m.metadata.annotations = { "sandbox.livevm.dev/fail-memory-hotplug": "true" }));
      await h.patchTemplate("a", { domain: { memory: { guest: "3Gi" } } });
      await waitFor("the failure", async () =>
        (await h!.condition("vmi", "a", "HotMemoryChange"))?.status === "False" ? true : undefined,
      );
      await h.settle();
      const c = await h.condition("vmi", "a", "HotMemoryChange");
      assert.equal(c.reason, "Memory Hotplug Failed");
      assert.equal(c.message, "memory hotplug failed, the VM configuration is not supported");
      assert.equal((await h.migrations("a"))[0].status.phase, "Succeeded");
      assert.equal(
        (await h.condition("vm", "a", RR))?.message,
        "memory updated in template spec. Memory-hotplug failed and is not available for this VM configuration",
      );
      assert.equal((await h.vmi("a")).status.memory.guestCurrent, "2Gi");
    });

    it("non-migratable: CPU is patched but never migrates; memory needs a restart", async () => {
      h = await Harness.start({ kubevirt: LIVE_MIGRATE });
      await h.createVm("a", (m) => (m.metadata.annotations = { "sandbox.livevm.dev/non-migratable": "true" }));
      assert.equal((await h.condition("vmi", "a", "LiveMigratable"))?.status, "False");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      await h.settle();
      assert.equal((await h.condition("vmi", "a", "HotVCPUChange"))?.status, "True");
      assert.equal((await h.migrations("a")).length, 0);
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 }, memory: { guest: "3Gi" } } });
      await h.settle();
      assert.equal(
        (await h.condition("vm", "a", RR))?.message,
        "memory updated in template spec. Memory-hotplug is only available for migratable VMs",
      );
    });

    it("Evict with evictionStrategy None restarts a non-migratable VM with the new spec (new UID)", async () => {
      h = await Harness.start({
        kubevirt: { workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate", "Evict"] } },
      });
      await h.createVm("a", (m) => (m.metadata.annotations = { "sandbox.livevm.dev/non-migratable": "true" }));
      const uid = (await h.vmi("a")).metadata.uid;
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      const next = await waitFor("a new VMI", async () => {
        const v = await h!.vmi("a");
        return v && v.metadata.uid !== uid && v.status.phase === "Running" ? v : undefined;
      });
      assert.deepEqual(next.status.currentCPUTopology, { sockets: 2, cores: 1, threads: 1 });
    });

    it("Evict with evictionStrategy LiveMigrate evacuates a migratable VM by live migration", async () => {
      h = await Harness.start({
        kubevirt: {
          workloadUpdateStrategy: { workloadUpdateMethods: ["Evict"] },
          configuration: { evictionStrategy: "LiveMigrate" },
        },
      });
      await h.createVm("a");
      const uid = (await h.vmi("a")).metadata.uid;
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      await waitFor("hotplug", async () =>
        (await h!.vmi("a")).status.currentCPUTopology.sockets === 2 ? true : undefined,
      );
      assert.equal((await h.vmi("a")).metadata.uid, uid);
      const ms = await h.migrations("a");
      assert.match(ms[0].metadata.name, /^kubevirt-evacuation-/);
    });
  });

  describe("versions", () => {
    it("v1.5 defaults to Stage: a sockets change needs a restart; with LiveUpdate it is live", async () => {
      h = await Harness.start({ kubevirtVersion: "1.5.0", kubevirt: LIVE_MIGRATE });
      await h.createVm("a");
      assert.equal((await h.vmi("a")).spec.domain.cpu.maxSockets, undefined, "no hotplug ceilings under Stage");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      await h.settle();
      assert.equal((await h.condition("vm", "a", RR))?.message, NON_LIVE);
      await h.close();
      h = await Harness.start({ kubevirtVersion: "1.5.0", kubevirt: hotplugReadyKubeVirtSpec("1.5") });
      await h.createVm("a");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      await waitFor("hotplug", async () =>
        (await h!.vmi("a")).status.currentCPUTopology.sockets === 2 ? true : undefined,
      );
    });

    it("v1.7.0 keeps RR after a revert; v1.7.1 clears it", async () => {
      for (const [version, sticky] of [
        ["1.7.0", true],
        ["1.7.1", false],
      ] as const) {
        h = await Harness.start({ kubevirtVersion: version, kubevirt: LIVE_MIGRATE });
        await h.createVm("a");
        await h.patchTemplate("a", { hostname: "changed" });
        await h.settle();
        assert.equal((await h.condition("vm", "a", RR))?.message, NON_LIVE, version);
        await h.patchVm("a", { spec: { template: { spec: { hostname: null } } } });
        await h.settle();
        assert.equal((await h.condition("vm", "a", RR)) !== undefined, sticky, version);
        await h.close();
        h = undefined;
      }
    });

    it("v1.7/v1.8 workload-update migrations carry priority only with MigrationPriorityQueue; v1.9 always", async () => {
      for (const [version, gates, priority] of [
        ["1.8.0", [], undefined],
        ["1.8.0", ["MigrationPriorityQueue"], "user-triggered"],
        ["1.9.0", [], "user-triggered"],
      ] as const) {
        h = await Harness.start({
          kubevirtVersion: version,
          kubevirt: { ...LIVE_MIGRATE, configuration: { developerConfiguration: { featureGates: gates } } },
        });
        await h.createVm("a");
        await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
        const [m] = await waitFor("a migration", async () => {
          const ms = await h!.migrations("a");
          return ms.length ? ms : undefined;
        });
        assert.equal(m.spec.priority, priority, `${version} ${gates.join(",")}`);
        await h.close();
        h = undefined;
      }
    });

    it("v1.1 has no RestartRequired condition: non-live changes are staged silently", async () => {
      h = await Harness.start({
        kubevirtVersion: "1.1.0",
        kubevirt: {
          ...LIVE_MIGRATE,
          configuration: { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] } },
        },
      });
      await h.createVm("a", (m) => (m.spec.liveUpdateFeatures = { cpu: { maxSockets: 4 } }));
      assert.equal((await h.vmi("a")).spec.domain.cpu.maxSockets, 4);
      const denied = await h.patchVm("a", { spec: { template: { spec: { domain: { cpu: { cores: 2 } } } } } });
      assert.equal(denied.status, 422);
      assert.match(String(denied.body.message), /Cannot update CPU cores while live update features configured/);
      await h.patchTemplate("a", { hostname: "staged" });
      await h.settle();
      assert.equal(await h.condition("vm", "a", RR), undefined);
      assert.equal((await h.vmi("a")).spec.hostname, undefined, "staged for the next start");
      await h.patchTemplate("a", { domain: { cpu: { sockets: 2 } } });
      await waitFor("hotplug", async () =>
        (await h!.vmi("a")).status.currentCPUTopology.sockets === 2 ? true : undefined,
      );
    });

    it("an explicit maxGuest with less than 1Gi of guest memory: accepted by v1.3.0, rejected from v1.3.1", async () => {
      for (const [version, rejected] of [
        ["1.3.0", false],
        ["1.3.1", true],
      ] as const) {
        h = await Harness.start({ kubevirtVersion: version, kubevirt: hotplugReadyKubeVirtSpec("1.3") });
        const small = (m: any) => (m.spec.template.spec.domain.memory = { guest: "512Mi", maxGuest: "4Gi" });
        if (rejected)
          await assert.rejects(
            h.createVm("a", small),
            /Memory hotplug is only available for VMs with at least 1Gi of guest memory/,
            version,
          );
        else await h.createVm("a", small);
        await h.close();
        h = undefined;
      }
    });

    it("an arm64 VM needs the MultiArchitecture gate up to v1.7 (virt-api runs on amd64); v1.8 dropped the rule", async () => {
      for (const [version, gates, message] of [
        ["1.2.2", [], "multi-architecture feature gate is not enabled"],
        ["1.7.1", [], "MultiArchitecture feature gate is not enabled"],
        ["1.7.1", ["MultiArchitecture"], undefined],
        ["1.8.0", [], undefined],
      ] as const) {
        h = await Harness.start({
          kubevirtVersion: version,
          kubevirt: { configuration: { developerConfiguration: { featureGates: [...gates] } } },
        });
        const arm = (m: any) => (m.spec.template.spec.architecture = "arm64");
        if (message)
          await assert.rejects(h.createVm("a", arm), (e: Error) => {
            assert.ok(
              e.message.includes(`${message} in kubevirt-config, invalid entry spec.template.spec.architecture`),
            );
            return true;
          });
        else await h.createVm("a", arm);
        await h.close();
        h = undefined;
      }
    });

    it("guest memory is defaulted from requests.memory from v1.3.0 only (setGuestMemory)", async () => {
      for (const [version, guest] of [
        ["1.2.2", undefined],
        ["1.3.0", "2Gi"],
      ] as const) {
        h = await Harness.start({ kubevirtVersion: version, kubevirt: hotplugReadyKubeVirtSpec(version) });
        await h.createVm("a", (m) => {
          delete m.spec.template.spec.domain.memory;
          m.spec.template.spec.domain.resources = { requests: { memory: "2Gi" } };
        });
        const vmi = await h.vmi("a");
        assert.equal(vmi.spec.domain.memory?.guest, guest, version);
        if (!guest) assert.equal(vmi.spec.domain.memory?.maxGuest, undefined, `${version}: no memory hotplug`);
        await h.close();
        h = undefined;
      }
    });

    it("hugepages: the page-size message per version (requests defaulted up to v1.6.3, field renamed in v1.8)", async () => {
      for (const [version, message] of [
        ["1.6.3", "'3073Mi' is not a multiple of the page size spec.template.spec.domain.hugepages.size '1Gi'"],
        ["1.7.0", "'0' is not a multiple of the page size spec.template.spec.domain.hugepages.size '1Gi'"],
        ["1.8.0", "'0' is not a multiple of the page size spec.template.spec.domain.memory.hugepages.pageSize '1Gi'"],
      ] as const) {
        h = await Harness.start({ kubevirtVersion: version });
        await assert.rejects(
          h.createVm(
            "a",
            (m) => (m.spec.template.spec.domain.memory = { guest: "3073Mi", hugepages: { pageSize: "1Gi" } }),
          ),
          (e: Error) => {
            assert.ok(e.message.includes(`spec.template.spec.domain.resources.requests.memory ${message}`), e.message);
            return true;
          },
        );
        await h.close();
        h = undefined;
      }
    });

    it("v1.0 without the gate rejects liveUpdateFeatures", async () => {
      h = await Harness.start({ kubevirtVersion: "1.0.0" });
      await assert.rejects(
        h.createVm("a", (m) => (m.spec.liveUpdateFeatures = { cpu: {} })),
        /VMLiveUpdateFeatures feature gate is not enabled in kubevirt-config/,
      );
    });
  });

  describe("nodes, CPU manager and subresources", () => {
    it("the heartbeat writes cpumanager labels per version and overwrites manual ones", async () => {
      h = await Harness.start({ kubevirtVersion: "1.7.0" });
      const n = (await api(h.sb.url, "GET", "/api/v1/nodes/node01")).body as any;
      assert.equal(n.metadata.labels.cpumanager, "false");
      assert.equal(n.metadata.labels["kubevirt.io/cpumanager"], undefined);
      await api(
        h.sb.url,
        "PATCH",
        "/api/v1/nodes/node01",
        { metadata: { labels: { cpumanager: "true" } } },
        "application/strategic-merge-patch+json",
      );
      await h.settle();
      assert.equal(
        ((await api(h.sb.url, "GET", "/api/v1/nodes/node01")).body as any).metadata.labels.cpumanager,
        "false",
      );
      await h.close();
      h = await Harness.start({
        kubevirtVersion: "1.9",
        cpuManagerPolicy: "static",
        kubevirt: { configuration: { developerConfiguration: { featureGates: ["CPUManager"] } } },
      });
      const n2 = (await api(h.sb.url, "GET", "/api/v1/nodes/node02")).body as any;
      assert.equal(n2.metadata.labels["kubevirt.io/cpumanager"], "true");
      assert.equal(n2.metadata.labels.cpumanager, "true");
    });

    it("a dedicated-CPU VM stays unschedulable without CPU-manager nodes", async () => {
      h = await Harness.start({});
      const m = vmManifest("d") as any;
      m.spec.template.spec.domain.cpu = { cores: 2, dedicatedCpuPlacement: true };
      assert.equal(
        (await api(h.sb.url, "POST", "/apis/kubevirt.io/v1/namespaces/default/virtualmachines", m)).status,
        201,
      );
      await h.settle();
      const vm = await h.vm("d");
      assert.equal(vm.status.printableStatus, "ErrorUnschedulable");
      assert.equal((await h.vmi("d")).status.phase, "Scheduling");
    });

    it("start, stop and restart subresources", async () => {
      h = await Harness.start({});
      await h.createVm("a");
      const uid = (await h.vmi("a")).metadata.uid;
      assert.equal((await h.subresource("a", "start")).status, 409);
      assert.equal((await h.subresource("a", "restart")).status, 202);
      await waitFor("restart", async () => {
        const v = await h!.vmi("a");
        return v && v.metadata.uid !== uid ? true : undefined;
      });
      assert.equal((await h.subresource("a", "stop")).status, 202);
      await waitFor("stop", async () => ((await h!.vmi("a")) === undefined ? true : undefined));
      assert.equal((await h.vm("a")).spec.runStrategy, "Halted");
      assert.equal((await h.vm("a")).status.printableStatus, "Stopped");
      assert.equal((await h.subresource("a", "start")).status, 202);
      await waitFor("start", async () => ((await h!.vmi("a")) ? true : undefined));
      assert.equal((await h.subresource("nope", "start")).status, 404);
    });

    it("users may not change a VMI spec", async () => {
      h = await Harness.start({});
      await h.createVm("a");
      const r = await api(
        h.sb.url,
        "PATCH",
        "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/a",
        { spec: { domain: { cpu: { sockets: 2 } } } },
        "application/merge-patch+json",
      );
      assert.equal(r.status, 422);
      assert.match(String(r.body.message), /update of VMI object is restricted/);
    });

    it("parallelMigrationsPerCluster throttles workload-update migrations", async () => {
      h = await Harness.start({
        migrationSeconds: 0.3,
        kubevirt: { ...LIVE_MIGRATE, configuration: { migrations: { parallelMigrationsPerCluster: 1 } } },
      });
      for (const n of ["a", "b", "c"]) await h.createVm(n);
      let maxActive = 0;
      const unsub = h.sb.store.subscribe(() => {
        const active = h!.sb.store
          .peekAll(T.vmim)
          .filter((m: any) => m.status?.phase && !["Pending", "Succeeded", "Failed"].includes(m.status.phase)).length;
        maxActive = Math.max(maxActive, active);
      });
      for (const n of ["a", "b", "c"]) await h.patchTemplate(n, { domain: { cpu: { sockets: 2 } } });
      for (const n of ["a", "b", "c"])
        await waitFor(
          `hotplug ${n}`,
          async () => ((await h!.vmi(n)).status.currentCPUTopology.sockets === 2 ? true : undefined),
          10000,
        );
      unsub();
      assert.equal(maxActive, 1);
    });
  });
});
