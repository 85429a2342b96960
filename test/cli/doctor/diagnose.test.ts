import assert from "node:assert/strict";
import { diagnose } from "../../../cli/doctor/diagnose";
import { checkKubeVirt } from "../../../cli/doctor/kubeVirtChecks";
import { checkNodes, cpuManagerLabel } from "../../../cli/doctor/nodeChecks";
import { checkVm } from "../../../cli/doctor/vmChecks";
import { renderJson, renderTable } from "../../../cli/doctor/render";
import { parseKubeVirtVersion } from "../../../core/kubevirt/version";
import { kubeVirtCr, node, snapshot, vmSnapshot } from "./fixtures";

const codes = (checks: ReadonlyArray<{ severity: string; code: string }>) =>
  checks.map((c) => `${c.severity}:${c.code}`);

describe("cli/doctor checks", () => {
  it("a healthy v1.6 cluster and VM: nothing blocks", () => {
    const d = diagnose(snapshot());
    assert.equal(d.blocking, false, renderTable(d));
    assert.deepEqual(
      codes(d.checks).filter((c) => !c.startsWith("ok:")),
      [],
    );
  });

  describe("KubeVirt CR per version", () => {
    const cases: Array<[string, Record<string, unknown>, string[], string[]]> = [
      ["v1.0.3", {}, ["LiveMigrate"], ["blocking:gate-missing", "info:rollout-n/a"]],
      [
        "v1.0.3",
        { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] } },
        ["LiveMigrate"],
        ["ok:gate-enabled"],
      ],
      [
        "v1.3.1",
        { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] } },
        ["LiveMigrate"],
        ["blocking:rollout-stage"],
      ],
      [
        "v1.4.0",
        { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] }, vmRolloutStrategy: "LiveUpdate" },
        ["LiveMigrate"],
        ["ok:gate-enabled", "ok:rollout-liveupdate", "ok:livemigrate"],
      ],
      ["v1.5.0", {}, ["LiveMigrate"], ["ok:gate-ga", "blocking:rollout-stage"]],
      ["v1.5.0", { vmRolloutStrategy: "LiveUpdate" }, ["LiveMigrate"], ["ok:gate-ga", "ok:rollout-liveupdate"]],
      ["v1.6.0", {}, ["LiveMigrate"], ["ok:rollout-liveupdate"]],
      ["v1.9.0", { vmRolloutStrategy: "Stage" }, ["LiveMigrate"], ["blocking:rollout-stage"]],
      ["v1.9.0", {}, [], ["blocking:livemigrate-missing"]],
      ["v1.9.0", {}, ["Evict"], ["warning:evict-only"]],
    ];
    for (const [version, config, methods, expected] of cases) {
      it(`${version} ${JSON.stringify(config)} ${JSON.stringify(methods)} → ${expected.join(", ")}`, () => {
        const got = codes(checkKubeVirt([kubeVirtCr(version, config, methods)]).checks);
        for (const e of expected) assert.ok(got.includes(e), `${e} not in ${got.join(", ")}`);
      });
    }
    it("says why the Stage default applies before v1.6 and what to set", () => {
      const c = checkKubeVirt([kubeVirtCr("v1.5.2")]).checks.find((x) => x.code === "rollout-stage")!;
      assert.match(c.message, /unset, which means Stage before v1\.6\.0 \(KubeVirt v1\.5\.2\)/);
      assert.equal(c.fix, "set spec.configuration.vmRolloutStrategy: LiveUpdate in the KubeVirt CR");
    });
    it("Evict without LiveMigrate: per VM, a restart unless the eviction strategy turns it into a migration", () => {
      const c = checkKubeVirt([kubeVirtCr("v1.9.0", {}, ["Evict"])]).checks.find((x) => x.code === "evict-only")!;
      assert.match(c.message, /the cluster default is None; checked per VM/);
      const none = checkKubeVirt([kubeVirtCr("v1.9.0", {}, ["Evict"])]).facts;
      const nodes = [node("node-a"), node("node-b")];
      const vm = vmSnapshot("vm1", { maxSockets: 4, maxGuest: "8Gi", kernelRelease: "6.1.0" });
      assert.ok(codes(checkVm(vm, none, nodes)).includes("blocking:evict-restarts"));
      const lm = checkKubeVirt([kubeVirtCr("v1.9.0", { evictionStrategy: "LiveMigrate" }, ["Evict"])]).facts;
      assert.ok(codes(checkVm(vm, lm, nodes)).includes("ok:evict-migrates"));
      const ifPossible = checkKubeVirt([
        kubeVirtCr("v1.9.0", { evictionStrategy: "LiveMigrateIfPossible" }, ["Evict"]),
      ]).facts;
      assert.ok(codes(checkVm(vm, ifPossible, nodes)).includes("ok:evict-migrates"));
      const pinned = vmSnapshot("vm2", {
        maxSockets: 4,
        maxGuest: "8Gi",
        vmiConditions: [{ type: "LiveMigratable", status: "False", reason: "DisksNotLiveMigratable" }],
      });
      assert.ok(codes(checkVm(pinned, ifPossible, nodes)).includes("blocking:evict-restarts"));
      const withLm = checkKubeVirt([kubeVirtCr("v1.9.0")]).facts;
      assert.ok(!codes(checkVm(vm, withLm, nodes)).some((x) => x.includes("evict")));
    });
    it("missing CR, missing version and unsupported versions", () => {
      assert.deepEqual(codes(checkKubeVirt([], "the KubeVirt CRD (kubevirts.kubevirt.io) is not installed").checks), [
        "blocking:kubevirt-missing",
      ]);
      const noVersion = kubeVirtCr("v1.6.0");
      delete (noVersion.status as { observedKubeVirtVersion?: string }).observedKubeVirtVersion;
      assert.ok(codes(checkKubeVirt([noVersion]).checks).includes("warning:kubevirt-version-unknown"));
      assert.deepEqual(codes(checkKubeVirt([kubeVirtCr("v0.59.0")]).checks), ["blocking:kubevirt-version-unsupported"]);
    });
  });

  describe("nodes", () => {
    const facts = checkKubeVirt([
      kubeVirtCr("v1.8.0", { developerConfiguration: { featureGates: ["CPUManager"] } }),
    ]).facts;
    it("needs two nodes that can run VMs", () => {
      assert.deepEqual(codes(checkNodes([node("a"), node("b")], undefined, [], facts)), ["ok:nodes-enough"]);
      const few = checkNodes(
        [
          node("a"),
          node("b", {}, { unschedulable: true }),
          node("c", {}, { ready: false }),
          node("d", { "kubevirt.io/schedulable": "false" }),
        ],
        undefined,
        [],
        facts,
      );
      assert.deepEqual(codes(few), ["blocking:nodes-too-few"]);
      assert.match(few[0]!.message, /^1 of 4 nodes can run VMs/);
    });
    it("reports unreadable nodes as a warning with the API's message", () => {
      const c = checkNodes(
        undefined,
        'HTTP 403: nodes is forbidden: User "dev" cannot list resource "nodes"',
        [],
        facts,
      );
      assert.deepEqual(codes(c), ["warning:nodes-unreadable"]);
      assert.match(c[0]!.message, /nodes is forbidden/);
    });
    it("checks the CPU-manager label only where dedicated-CPU VMs exist, with the label of the version", () => {
      assert.equal(cpuManagerLabel(parseKubeVirtVersion("v1.7.2")), "cpumanager");
      assert.equal(cpuManagerLabel(parseKubeVirtVersion("v1.8.0")), "kubevirt.io/cpumanager");
      const dedicated = [vmSnapshot("db", { dedicated: true, maxSockets: 4, maxGuest: "8Gi" })];
      const labelled = [
        node("a", { "kubevirt.io/cpumanager": "true" }),
        node("b", { "kubevirt.io/cpumanager": "true" }),
      ];
      assert.ok(codes(checkNodes(labelled, undefined, dedicated, facts)).includes("ok:cpumanager-enough"));
      const oldLabels = [node("a", { cpumanager: "true" }), node("b", { cpumanager: "true" })];
      assert.ok(codes(checkNodes(oldLabels, undefined, dedicated, facts)).includes("blocking:cpumanager-too-few"));
      const v17 = checkKubeVirt([kubeVirtCr("v1.7.0")]).facts;
      const c = checkNodes(oldLabels, undefined, dedicated, v17);
      assert.ok(codes(c).includes("ok:cpumanager-enough"));
      const none = checkNodes([node("a"), node("b")], undefined, dedicated, v17).find(
        (x) => x.code === "cpumanager-too-few",
      )!;
      assert.match(none.message, /CPUManager feature gate is not enabled/);
      assert.equal(codes(checkNodes(labelled, undefined, [vmSnapshot("plain")], facts)).length, 1);
    });
  });

  describe("per VM", () => {
    const facts = checkKubeVirt([kubeVirtCr("v1.6.0")]).facts;
    const nodes = [node("node-a"), node("node-b")];
    const vmCodes = (o: Parameters<typeof vmSnapshot>[1], f = facts, n: typeof nodes | undefined = nodes) =>
      codes(checkVm(vmSnapshot("vm1", o), f, n));

    it("reports headroom from the booted VMI", () => {
      const checks = checkVm(
        vmSnapshot("vm1", { sockets: 2, maxSockets: 8, guest: "2Gi", maxGuest: "8Gi", kernelRelease: "6.1.0" }),
        facts,
        nodes,
      );
      assert.match(
        checks.find((c) => c.code === "cpu-headroom")!.message,
        /2 of max 8 sockets: up to 6 more \(8 vCPUs\)/,
      );
      assert.match(checks.find((c) => c.code === "memory-headroom")!.message, /guest 2Gi of max 8Gi: 6Gi more/);
    });
    it("warns when the memory can grow beyond 3:1 movable to boot memory", () => {
      assert.ok(vmCodes({ maxSockets: 4, guest: "2Gi", maxGuest: "8Gi" }).includes("ok:movable-ratio-ok"));
      assert.ok(vmCodes({ maxSockets: 4, guest: "2Gi", maxGuest: "16Gi" }).includes("warning:movable-ratio-high"));
    });
    it("blocks without booted maxSockets/maxGuest and warns at the ceiling", () => {
      assert.ok(vmCodes({}).includes("blocking:cpu-no-max"));
      assert.ok(vmCodes({}).includes("blocking:memory-no-max"));
      assert.ok(
        vmCodes({ sockets: 4, maxSockets: 4, guest: "4Gi", maxGuest: "4Gi" }).includes("warning:cpu-no-headroom"),
      );
      assert.ok(
        vmCodes({ sockets: 4, maxSockets: 4, guest: "4Gi", maxGuest: "4Gi" }).includes("warning:memory-no-headroom"),
      );
    });
    it("an outstanding RestartRequired blocks, quoting KubeVirt's message, and says when it is sticky", () => {
      const rr = {
        type: "RestartRequired",
        status: "True" as const,
        message: "a non-live-updatable field was changed in the template spec",
      };
      const now = checkVm(vmSnapshot("vm1", { maxSockets: 4, maxGuest: "8Gi", vmConditions: [rr] }), facts, nodes).find(
        (c) => c.code === "restart-required",
      )!;
      assert.equal(now.severity, "blocking");
      assert.match(now.message, /a non-live-updatable field was changed in the template spec/);
      assert.match(now.message, /stays even if the change is reverted/); // v1.6.0 has no clearing fix
      const fixed = checkKubeVirt([kubeVirtCr("v1.6.4")]).facts;
      const later = checkVm(
        vmSnapshot("vm1", { maxSockets: 4, maxGuest: "8Gi", vmConditions: [rr] }),
        fixed,
        nodes,
      ).find((c) => c.code === "restart-required")!;
      assert.doesNotMatch(later.message, /stays even/);
    });
    it("a non-migratable VMI blocks, with KubeVirt's reason", () => {
      const checks = checkVm(
        vmSnapshot("vm1", {
          maxSockets: 4,
          maxGuest: "8Gi",
          vmiConditions: [
            {
              type: "LiveMigratable",
              status: "False",
              reason: "DisksNotLiveMigratable",
              message: "cannot migrate VMI: PVC disk0 is not shared",
            },
          ],
        }),
        facts,
        nodes,
      );
      const c = checks.find((x) => x.code === "not-migratable")!;
      assert.match(c.message, /DisksNotLiveMigratable: cannot migrate VMI: PVC disk0 is not shared/);
    });
    it("checks the guest kernel from the guest agent against Linux 5.8", () => {
      assert.ok(
        vmCodes({ maxSockets: 4, maxGuest: "8Gi", kernelRelease: "4.18.0-553.el8_10.x86_64" }).includes(
          "blocking:kernel-too-old-for-memory-hotplug",
        ),
      );
      assert.ok(
        vmCodes({ maxSockets: 4, maxGuest: "8Gi", kernelRelease: "5.14.0-427.el9.x86_64" }).includes(
          "ok:kernel-supports-memory-hotplug",
        ),
      );
      assert.ok(vmCodes({ maxSockets: 4, maxGuest: "8Gi" }).includes("warning:kernel-unknown"));
      // without memory hotplug for this boot, the kernel is not the problem
      assert.ok(!vmCodes({ maxSockets: 4 }).some((c) => c.includes("kernel")));
    });
    it("needs another node to migrate to, honouring nodeSelector and dedicated CPUs", () => {
      assert.ok(vmCodes({ maxSockets: 4, maxGuest: "8Gi" }).includes("ok:migration-target"));
      assert.ok(
        vmCodes({ maxSockets: 4, maxGuest: "8Gi" }, facts, [node("node-a")]).includes("blocking:no-migration-target"),
      );
      assert.ok(
        vmCodes({ maxSockets: 4, maxGuest: "8Gi", nodeSelector: { zone: "x" } }).includes(
          "blocking:no-migration-target",
        ),
      );
      assert.ok(
        vmCodes({ maxSockets: 4, maxGuest: "8Gi", nodeSelector: { zone: "x" } }, facts, [
          node("node-a"),
          node("node-b", { zone: "x" }),
        ]).includes("ok:migration-target"),
      );
      assert.ok(vmCodes({ maxSockets: 4, maxGuest: "8Gi", dedicated: true }).includes("blocking:no-migration-target"));
    });
    it("pending and failed hotplugs, stopped VMs, and v1.0 liveUpdateFeatures", () => {
      assert.ok(
        vmCodes({
          maxSockets: 4,
          maxGuest: "8Gi",
          vmiConditions: [
            { type: "LiveMigratable", status: "True" },
            { type: "HotVCPUChange", status: "True" },
          ],
        }).includes("info:hotplug-pending"),
      );
      assert.ok(
        vmCodes({
          maxSockets: 4,
          maxGuest: "8Gi",
          vmiConditions: [
            { type: "LiveMigratable", status: "True" },
            { type: "HotMemoryChange", status: "False", reason: "Memory Hotplug Failed" },
          ],
        }).includes("blocking:hotplug-failed"),
      );
      assert.deepEqual(vmCodes({ running: false }), ["info:not-running"]);
      const v10 = checkKubeVirt([
        kubeVirtCr("v1.0.1", { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] } }),
      ]).facts;
      const old = vmCodes({ maxSockets: 4 }, v10);
      assert.ok(old.includes("blocking:live-update-features-missing"));
      assert.ok(old.includes("info:memory-n/a"));
    });
  });

  it("renders a table with fixes and a JSON document", () => {
    const d = diagnose(snapshot({ kubeVirts: [kubeVirtCr("v1.5.0")], nodes: [node("node-a")] }));
    assert.equal(d.blocking, true);
    const table = renderTable(d);
    assert.match(table, /^SCOPE\s+CHECK\s+STATUS\s+DETAIL\n/);
    assert.match(table, /cluster\s+rollout strategy\s+BLOCKING\s+vmRolloutStrategy is unset/);
    assert.match(
      table,
      /To fix:\n(.*\n)* {2}cluster rollout strategy: set spec.configuration.vmRolloutStrategy: LiveUpdate/,
    );
    assert.match(table, /problem\(s\) block live updates/);
    const json = JSON.parse(renderJson(d));
    assert.equal(json.blocking, true);
    assert.ok(
      json.checks.some(
        (c: { scope: string; code: string }) => c.scope === "default/vm1" && c.code === "no-migration-target",
      ),
    );
  });
});
