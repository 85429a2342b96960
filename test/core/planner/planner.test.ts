import assert from "node:assert/strict";
import type { Outcome, PlanInput, VirtualMachinePlan } from "../../../core/kubevirt/plan";
import type { KubeVirt } from "../../../core/kubevirt/schema";
import { GUEST, SOCKETS, changeAt, edit, kv, liveKv, plan, tmpl, vm, vmiFor } from "./fixtures";

interface Row {
  readonly name: string;
  readonly input: PlanInput;
  readonly outcome: Outcome;
  /** per-path expectations: [path, outcome, reason pattern] */
  readonly changes?: readonly [string, Outcome, RegExp?][];
  readonly messages?: RegExp;
  readonly check?: (p: VirtualMachinePlan) => void;
}

function run(rows: readonly Row[]): void {
  for (const row of rows) {
    it(row.name, () => {
      const p = plan(row.input);
      assert.equal(p.outcome, row.outcome, JSON.stringify(p.changes, null, 1));
      for (const [path, outcome, reason] of row.changes ?? []) {
        const c = changeAt(p, path);
        assert.equal(c.outcome, outcome, `${path}: ${c.reason}`);
        if (reason) assert.match(c.reason, reason);
      }
      if (row.messages) assert.match(p.messages.join("\n"), row.messages);
      row.check?.(p);
    });
  }
}

const v19 = "v1.9.0";
const base = vm();
const sockets4 = tmpl(base, { domain: { cpu: { sockets: 4 } } });
const guest4 = tmpl(base, { domain: { memory: { guest: "4Gi" } } });
const live19 = liveKv(v19);
/** an arm64 cluster: its default (native) architecture is arm64 */
const arm = (k: KubeVirt): KubeVirt => ({ ...k, status: { defaultArchitecture: "arm64" } });

describe("planner: RestartRequired comparison and the gate (rules §1.1, §1.2, §8)", () => {
  run([
    {
      name: "v1.9 sockets 2→4 with LiveMigrate and a migratable VMI: live",
      input: { before: base, after: sockets4, vmi: vmiFor(base, { maxSockets: 8 }), kubevirt: live19, version: v19 },
      outcome: "live",
      changes: [[SOCKETS, "live", /patches the VMI's sockets 2 → 4.*workload-update live migration/]],
    },
    {
      name: "sockets and cores together: RR, and sockets are not hot-plugged",
      input: {
        before: base,
        after: tmpl(base, { domain: { cpu: { sockets: 4, cores: 2 } } }),
        vmi: vmiFor(base, { maxSockets: 8 }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [
        [
          "spec.template.spec.domain.cpu.cores",
          "restart",
          /a non-live-updatable field was changed in the template spec/,
        ],
        [SOCKETS, "restart", /no live-update handler while a non-live-updatable field changed/],
      ],
      check: (p) => {
        assert.ok(p.steps, "steps are proposed");
        assert.deepEqual(p.steps[0]!.paths, [SOCKETS]);
        assert.equal(p.steps[0]!.vm.spec.template.spec?.domain?.cpu?.cores, 1);
        assert.equal(p.steps[0]!.vm.spec.template.spec?.domain?.cpu?.sockets, 4);
        assert.equal(p.steps[1]!.kind, "restart");
      },
    },
    {
      name: "template labels never cause RR",
      input: {
        before: base,
        after: edit(base, { spec: { template: { metadata: { labels: { a: "b" } } } } }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "none",
      changes: [["spec.template.metadata.labels.a", "none", /never cause RestartRequired/]],
    },
    {
      name: "hostname: RR",
      input: { before: base, after: tmpl(base, { hostname: "h" }), kubevirt: live19, version: v19 },
      outcome: "restart",
      changes: [["spec.template.spec.hostname", "restart", /non-live-updatable/]],
    },
    {
      name: "maxSockets edit while running: RR (§1.9.2)",
      input: {
        before: base,
        after: tmpl(base, { domain: { cpu: { maxSockets: 8 } } }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [["spec.template.spec.domain.cpu.maxSockets", "restart", /non-live-updatable/]],
    },
    {
      name: "copying the VMI's maxGuest into the VM: RR even with the same value (§1.9.3)",
      input: {
        before: base,
        after: tmpl(base, { domain: { memory: { maxGuest: "8Gi" } } }),
        vmi: vmiFor(base, { maxSockets: 8, maxGuest: "8Gi" }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
    },
    {
      name: "adding a cpu stanza: RR even for sockets (§1.9.1)",
      input: {
        before: vm({ domain: { cpu: undefined, memory: { guest: "2Gi" } } }),
        after: vm({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" } } }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /only when domain.cpu exists in both/]],
    },
    {
      name: "adding memory.guest where there was no memory stanza is live in v1.3+",
      input: {
        before: vm({ domain: { memory: undefined, resources: { requests: { memory: "2Gi" } } } }),
        after: vm({ domain: { memory: { guest: "4Gi" }, resources: { requests: { memory: "2Gi" } } } }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [[GUEST, "live", /2Gi → 4Gi/]],
    },
    {
      name: "…but RR in v1.2 (memory must exist on both sides)",
      input: {
        before: vm({ domain: { memory: undefined, resources: { requests: { memory: "2Gi" } } } }),
        after: vm({ domain: { memory: { guest: "4Gi" }, resources: { requests: { memory: "2Gi" } } } }),
        kubevirt: liveKv("v1.2.2"),
        version: "v1.2.2",
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /both the running and the new template/]],
    },
    {
      name: "Stage rollout (explicit): sockets give RR",
      input: { before: base, after: sockets4, kubevirt: kv({ rollout: "Stage" }), version: v19 },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /rollout strategy is Stage/]],
    },
    {
      name: "v1.6 default rollout is LiveUpdate",
      input: { before: base, after: sockets4, kubevirt: kv(), version: "v1.6.0" },
      outcome: "live",
    },
    {
      name: "v1.5 default rollout is still Stage",
      input: { before: base, after: sockets4, kubevirt: kv(), version: "v1.5.3" },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /default before v1.6/]],
    },
    {
      name: "v1.5: LiveUpdate alone is enough (gate GA)",
      input: { before: base, after: sockets4, kubevirt: kv({ rollout: "LiveUpdate" }), version: "v1.5.0" },
      outcome: "live",
    },
    {
      name: "v1.4: LiveUpdate without the gate is Stage",
      input: { before: base, after: sockets4, kubevirt: kv({ rollout: "LiveUpdate" }), version: "v1.4.1" },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /VMLiveUpdateFeatures feature gate/]],
    },
    {
      name: "v1.2: gate and LiveUpdate: live",
      input: { before: base, after: sockets4, kubevirt: liveKv("v1.2.0"), version: "v1.2.0" },
      outcome: "live",
    },
    {
      name: "nodeSelector under LiveUpdate: live VMI patch, no migration",
      input: {
        before: base,
        after: tmpl(base, { nodeSelector: { zone: "a" } }),
        kubevirt: kv({ methods: [] }),
        version: v19,
      },
      outcome: "live",
      changes: [["spec.template.spec.nodeSelector.zone", "live", /no migration is triggered/]],
    },
    {
      name: "affinity under Stage: RR",
      input: {
        before: base,
        after: tmpl(base, {
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
        }),
        kubevirt: kv({ rollout: "Stage" }),
        version: v19,
      },
      outcome: "restart",
    },
    {
      name: "tolerations: RR in v1.3 even under LiveUpdate",
      input: {
        before: base,
        after: tmpl(base, { tolerations: [{ key: "k", operator: "Exists" }] }),
        kubevirt: liveKv("v1.3.1"),
        version: "v1.3.1",
      },
      outcome: "restart",
      changes: [["spec.template.spec.tolerations[0]", "restart", /from KubeVirt v1.4.0/]],
    },
    {
      name: "tolerations: live from v1.4",
      input: {
        before: base,
        after: tmpl(base, { tolerations: [{ key: "k", operator: "Exists" }] }),
        kubevirt: liveKv("v1.4.0"),
        version: "v1.4.0",
      },
      outcome: "live",
    },
    {
      name: "firmware UUID matching the VMI's: none from v1.8.0",
      input: {
        before: base,
        after: tmpl(base, { domain: { firmware: { uuid: "u-1" } } }),
        vmi: edit(vmiFor(base, { maxSockets: 8 }), { spec: { domain: { firmware: { uuid: "u-1" } } } }),
        kubevirt: live19,
        version: "v1.8.0",
      },
      outcome: "none",
      changes: [["spec.template.spec.domain.firmware.uuid", "none", /firmware UUID/]],
    },
    {
      name: "firmware UUID: RR in v1.7.0 (neutralised from v1.7.1)",
      input: {
        before: base,
        after: tmpl(base, { domain: { firmware: { uuid: "u-1" } } }),
        vmi: edit(vmiFor(base, { maxSockets: 8 }), { spec: { domain: { firmware: { uuid: "u-1" } } } }),
        kubevirt: live19,
        version: "v1.7.0",
      },
      outcome: "restart",
    },
    {
      name: "a different firmware UUID: RR",
      input: {
        before: base,
        after: tmpl(base, { domain: { firmware: { uuid: "u-2" } } }),
        vmi: edit(vmiFor(base, { maxSockets: 8 }), { spec: { domain: { firmware: { uuid: "u-1" } } } }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
    },
  ]);
});

describe("planner: an existing RestartRequired condition (rules §1.1, §1.2, §1.9.5)", () => {
  const rr = {
    conditions: [
      {
        type: "RestartRequired",
        status: "True",
        message: "a non-live-updatable field was changed in the template spec",
      },
    ],
  };
  const withRR = vm({}, {}, rr);
  run([
    {
      name: "v1.6.3: sticky RR blocks a sockets change",
      input: {
        before: withRR,
        after: tmpl(withRR, { domain: { cpu: { sockets: 4 } } }),
        kubevirt: live19,
        version: "v1.6.3",
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /blocks every live update until the VM restarts/]],
      check: (p) => assert.equal(p.steps, undefined),
    },
    {
      name: "v1.6.4: RR is re-evaluated, the sockets change goes live",
      input: {
        before: withRR,
        after: tmpl(withRR, { domain: { cpu: { sockets: 4 } } }),
        kubevirt: live19,
        version: "v1.6.4",
      },
      outcome: "live",
      messages: /clears the condition when nothing non-live-updatable differs/,
    },
    {
      name: "v1.7.0 is sticky again (fixed in v1.7.1)",
      input: {
        before: withRR,
        after: tmpl(withRR, { domain: { cpu: { sockets: 4 } } }),
        kubevirt: live19,
        version: "v1.7.0",
      },
      outcome: "restart",
    },
  ]);
});

describe("planner: run state (rules §8.2)", () => {
  run([
    {
      name: "Halted VM: everything staged",
      input: {
        before: vm({}, { runStrategy: "Halted" }),
        after: tmpl(vm({}, { runStrategy: "Halted" }), { hostname: "x" }),
        version: v19,
      },
      outcome: "staged",
      changes: [["spec.template.spec.hostname", "staged", /not running/]],
    },
    {
      name: "running: false",
      input: {
        before: vm({}, { runStrategy: undefined, running: false }),
        after: tmpl(vm({}, { runStrategy: undefined, running: false }), { domain: { cpu: { sockets: 8 } } }),
        version: v19,
      },
      outcome: "staged",
    },
    {
      name: "Manual without status is assumed stopped",
      input: {
        before: vm({}, { runStrategy: "Manual" }),
        after: tmpl(vm({}, { runStrategy: "Manual" }), { hostname: "x" }),
        version: v19,
      },
      outcome: "staged",
      messages: /runStrategy Manual/,
    },
    {
      name: "Manual with status Running is running",
      input: {
        before: vm({}, { runStrategy: "Manual" }, { printableStatus: "Running", ready: true }),
        after: tmpl(vm({}, { runStrategy: "Manual" }, { printableStatus: "Running", ready: true }), { hostname: "x" }),
        version: v19,
      },
      outcome: "restart",
    },
    {
      name: "status Stopped overrides runStrategy Always",
      input: {
        before: vm({}, {}, { printableStatus: "Stopped" }),
        after: tmpl(vm({}, {}, { printableStatus: "Stopped" }), { hostname: "x" }),
        version: v19,
      },
      outcome: "staged",
    },
    {
      name: "a given VMI means running even with runStrategy Halted",
      input: {
        before: vm({}, { runStrategy: "Halted" }),
        after: tmpl(vm({}, { runStrategy: "Halted" }), { hostname: "x" }),
        vmi: vmiFor(base),
        version: v19,
      },
      outcome: "staged",
      messages: /stops the VM/,
    },
    {
      name: "stopping the VM in the same update: staged",
      input: { before: base, after: edit(sockets4, { spec: { runStrategy: "Halted" } }), version: v19 },
      outcome: "staged",
      changes: [["spec.runStrategy", "staged"]],
    },
    {
      name: "a final VMI is not running",
      input: {
        before: base,
        after: sockets4,
        vmi: edit(vmiFor(base), { status: { phase: "Succeeded" } }),
        version: v19,
      },
      outcome: "staged",
    },
    {
      name: "runStrategy Always → RerunOnFailure while running: none",
      input: { before: base, after: edit(base, { spec: { runStrategy: "RerunOnFailure" } }), version: v19 },
      outcome: "none",
      changes: [["spec.runStrategy", "none"]],
    },
    {
      name: "creation: staged",
      input: { after: base, version: v19 },
      outcome: "staged",
      messages: /new VirtualMachine: runStrategy Always starts it/,
    },
    {
      name: "deletion: none",
      input: { before: base, version: v19 },
      outcome: "none",
      messages: /deleted/,
    },
    {
      name: "no change: none",
      input: { before: base, after: edit(base, {}), version: v19 },
      outcome: "none",
    },
  ]);
});

describe("planner: CPU handler (rules §1.3)", () => {
  const vmi8 = vmiFor(base, { maxSockets: 8 });
  run([
    {
      name: "HotVCPUChange in progress: live, KubeVirt retries",
      input: {
        before: base,
        after: sockets4,
        vmi: vmiFor(base, { maxSockets: 8, conditions: [{ type: "HotVCPUChange", status: "True" }] }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [[SOCKETS, "live", /another CPU hotplug is in progress.*retries/]],
    },
    {
      name: "VMI migrating: live, retried",
      input: {
        before: base,
        after: sockets4,
        vmi: vmiFor(base, { maxSockets: 8, migrating: true }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [[SOCKETS, "live", /CPU hotplug is not allowed while VMI is migrating/]],
    },
    {
      name: "above the VMI's maxSockets: RR",
      input: {
        before: base,
        after: tmpl(base, { domain: { cpu: { sockets: 9 } } }),
        vmi: vmi8,
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /CPU sockets updated in template spec to a value higher than what's available/]],
    },
    {
      name: "predicted: above the computed maxSockets (2 × 4 = 8): RR",
      input: { before: base, after: tmpl(base, { domain: { cpu: { sockets: 9 } } }), kubevirt: live19, version: v19 },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /higher than what's available/]],
    },
    {
      name: "VMI started under Stage (maxSockets 0), cluster now LiveUpdate: RR (§1.9.4)",
      input: { before: base, after: sockets4, vmi: vmiFor(base), kubevirt: live19, version: v19 },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /no maxSockets/]],
    },
    {
      name: "reduction: RR from v1.2.1",
      input: {
        before: sockets4,
        after: base,
        vmi: vmiFor(sockets4, { maxSockets: 16 }),
        kubevirt: liveKv("v1.2.1"),
        version: "v1.2.1",
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /Reduction of CPU socket count requires a restart/]],
    },
    {
      name: "reduction: live in v1.2.0",
      input: {
        before: sockets4,
        after: base,
        vmi: vmiFor(sockets4, { maxSockets: 16 }),
        kubevirt: liveKv("v1.2.0"),
        version: "v1.2.0",
      },
      outcome: "live",
    },
    {
      name: "arm64 with explicit maxSockets: RR ARM from v1.5.2",
      input: {
        before: tmpl(base, { architecture: "arm64", domain: { cpu: { maxSockets: 8 } } }),
        after: tmpl(base, { architecture: "arm64", domain: { cpu: { sockets: 4, maxSockets: 8 } } }),
        kubevirt: arm(liveKv("v1.5.2")),
        version: "v1.5.2",
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /ARM doesn't support CPU hotplug/]],
    },
    {
      name: "arm64 without maxSockets in v1.9: the maxSockets RR comes first",
      input: {
        before: tmpl(base, { architecture: "arm64" }),
        after: tmpl(base, { architecture: "arm64", domain: { cpu: { sockets: 4 } } }),
        kubevirt: arm(live19),
        version: v19,
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /higher than what's available/]],
    },
    {
      name: "arm64 in v1.5.1: defaults computed, hot-plugged",
      input: {
        before: tmpl(base, { architecture: "arm64" }),
        after: tmpl(base, { architecture: "arm64", domain: { cpu: { sockets: 4 } } }),
        kubevirt: arm(liveKv("v1.5.1")),
        version: "v1.5.1",
      },
      outcome: "live",
    },
    ...(
      [
        ["v1.3.0", "restart"],
        ["v1.4.0", "restart"],
        ["v1.4.1", "live"],
        ["v1.5.1", "restart"],
        ["v1.5.2", "live"],
        ["v1.9.0", "live"],
      ] as const
    ).map(([version, outcome]): Row => ({
      name: `networkInterfaceMultiqueue in ${version}: ${outcome}`,
      input: {
        before: tmpl(base, { domain: { devices: { networkInterfaceMultiqueue: true } } }),
        after: tmpl(base, { domain: { cpu: { sockets: 4 }, devices: { networkInterfaceMultiqueue: true } } }),
        kubevirt: liveKv(version),
        version,
      },
      outcome,
      ...(outcome === "restart"
        ? { changes: [[SOCKETS, "restart", /NetworkInterfaceMultiQueue is enabled/]] as [string, Outcome, RegExp][] }
        : {}),
    })),
  ]);
});

describe("planner: can a live change complete (rules §4.2, §5.3, §9)", () => {
  run([
    {
      name: "no LiveMigrate: stuck",
      input: { before: base, after: sockets4, kubevirt: liveKv(v19, { methods: [] }), version: v19 },
      outcome: "stuck",
      changes: [[SOCKETS, "stuck", /workloadUpdateMethods is empty/]],
    },
    {
      name: "LiveMigrate but the VMI is not migratable: stuck (the CPU handler does not check)",
      input: {
        before: base,
        after: sockets4,
        vmi: vmiFor(base, { maxSockets: 8, migratable: false }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "stuck",
      changes: [[SOCKETS, "stuck", /not LiveMigratable/]],
    },
    {
      name: "Evict only, eviction strategy None: restart by eviction",
      input: { before: base, after: sockets4, kubevirt: liveKv(v19, { methods: ["Evict"] }), version: v19 },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /evicts the VMI and runStrategy Always starts it again/]],
    },
    {
      name: "Evict only, VMI evictionStrategy LiveMigrate and migratable: live by evacuation",
      input: {
        before: base,
        after: sockets4,
        vmi: vmiFor(base, { maxSockets: 8, evictionStrategy: "LiveMigrate" }),
        kubevirt: liveKv(v19, { methods: ["Evict"] }),
        version: v19,
      },
      outcome: "live",
      changes: [[SOCKETS, "live", /evacuation live migration/]],
    },
    {
      name: "Evict only, cluster evictionStrategy LiveMigrate, VMI not migratable: stuck",
      input: {
        before: base,
        after: sockets4,
        vmi: vmiFor(base, { maxSockets: 8, migratable: false }),
        kubevirt: liveKv(v19, { methods: ["Evict"], evictionStrategy: "LiveMigrate" }),
        version: v19,
      },
      outcome: "stuck",
    },
    {
      name: "[LiveMigrate, Evict] with a non-migratable VMI: evicted (restart)",
      input: {
        before: base,
        after: sockets4,
        vmi: vmiFor(base, { maxSockets: 8, migratable: false }),
        kubevirt: liveKv(v19, { methods: ["LiveMigrate", "Evict"] }),
        version: v19,
      },
      outcome: "restart",
    },
    {
      name: "Evict with runStrategy Manual: the VM stays stopped",
      input: {
        before: vm({}, { runStrategy: "Manual" }, { printableStatus: "Running" }),
        after: tmpl(vm({}, { runStrategy: "Manual" }, { printableStatus: "Running" }), {
          domain: { cpu: { sockets: 4 } },
        }),
        kubevirt: liveKv(v19, { methods: ["Evict"] }),
        version: v19,
      },
      outcome: "restart",
      changes: [[SOCKETS, "restart", /stays stopped/]],
    },
  ]);
});

describe("planner: memory handler (rules §1.4)", () => {
  const vmi8 = vmiFor(base, { maxSockets: 8, maxGuest: "8Gi" });
  run([
    {
      name: "guest 2Gi → 4Gi: live",
      input: { before: base, after: guest4, vmi: vmi8, kubevirt: live19, version: v19 },
      outcome: "live",
      changes: [[GUEST, "live", /2Gi → 4Gi/]],
    },
    {
      name: "HotMemoryChange=False: RR failed",
      input: {
        before: base,
        after: guest4,
        vmi: vmiFor(base, { maxGuest: "8Gi", conditions: [{ type: "HotMemoryChange", status: "False" }] }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /Memory-hotplug failed and is not available/]],
    },
    {
      name: "not migratable: RR",
      input: {
        before: base,
        after: guest4,
        vmi: vmiFor(base, { maxGuest: "8Gi", migratable: false }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /only available for migratable VMs/]],
    },
    {
      name: "VMI without maxGuest: RR not available",
      input: { before: base, after: guest4, vmi: vmiFor(base), kubevirt: live19, version: v19 },
      outcome: "restart",
      changes: [[GUEST, "restart", /Memory-hotplug is not available for this VM configuration/]],
    },
    {
      name: "guest above maxGuest: RR through the validator",
      input: {
        before: base,
        after: tmpl(base, { domain: { memory: { guest: "16Gi" } } }),
        vmi: vmi8,
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [
        [GUEST, "restart", /memory hotplug not supported, Guest memory is greater than the configured maxGuest memory/],
      ],
    },
    {
      name: "guest below what it booted with: RR",
      input: {
        before: guest4,
        after: base,
        vmi: vmiFor(guest4, { maxGuest: "16Gi", guestAtBoot: "4Gi" }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /lower than what the VM started with/]],
    },
    {
      name: "a decrease above guestAtBoot: live hot-unplug",
      input: {
        before: guest4,
        after: tmpl(base, { domain: { memory: { guest: "3Gi" } } }),
        vmi: vmiFor(guest4, { maxGuest: "16Gi", guestAtBoot: "2Gi" }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [[GUEST, "live", /hot-unplug/]],
    },
    {
      name: "not 2Mi aligned: RR",
      input: {
        before: base,
        after: tmpl(base, { domain: { memory: { guest: "3073Mi" } } }),
        vmi: vmi8,
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /Guest memory must be 2Mi aligned/]],
    },
    {
      name: "guest under 1Gi in v1.4: RR",
      input: {
        before: vm({ domain: { memory: { guest: "512Mi" } } }),
        after: vm({ domain: { memory: { guest: "768Mi" } } }),
        vmi: vmiFor(vm({ domain: { memory: { guest: "512Mi" } } }), { maxGuest: "2Gi" }),
        kubevirt: liveKv("v1.4.0"),
        version: "v1.4.0",
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /at least 1Gi of guest memory/]],
    },
    {
      name: "predicted VMI for 512Mi (v1.9): no maxGuest, RR not available",
      input: {
        before: vm({ domain: { memory: { guest: "512Mi" } } }),
        after: vm({ domain: { memory: { guest: "1Gi" } } }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "restart",
      changes: [[GUEST, "restart", /not available for this VM configuration/]],
      messages: /memory hotplug off: Memory hotplug is only available for VMs with at least 1Gi/,
    },
    {
      name: "HotMemoryChange in progress: retried",
      input: {
        before: base,
        after: guest4,
        vmi: vmiFor(base, { maxGuest: "8Gi", conditions: [{ type: "HotMemoryChange", status: "True" }] }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [[GUEST, "live", /another memory hotplug is in progress/]],
    },
    {
      name: "v1.2: no migratable check; a VMI without maxGuest is patched but never hot-plugged",
      input: {
        before: base,
        after: guest4,
        vmi: vmiFor(base, { migratable: false }),
        kubevirt: liveKv("v1.2.2"),
        version: "v1.2.2",
      },
      outcome: "stuck",
      changes: [[GUEST, "stuck", /no maxGuest/]],
    },
    {
      name: "v1.2: with maxGuest, live (no validator: 1Gi hugepages not checked)",
      input: {
        before: base,
        after: guest4,
        vmi: vmiFor(base, { maxGuest: "8Gi" }),
        kubevirt: liveKv("v1.2.2"),
        version: "v1.2.2",
      },
      outcome: "live",
    },
    {
      name: "memory and a hostname change: both restart, steps propose memory first",
      input: { before: base, after: tmpl(guest4, { hostname: "h" }), vmi: vmi8, kubevirt: live19, version: v19 },
      outcome: "restart",
      check: (p) => assert.deepEqual(p.steps?.[0]?.paths, [GUEST]),
    },
    {
      name: "equivalent quantity spelling is no change",
      input: {
        before: base,
        after: tmpl(base, { domain: { memory: { guest: "2048Mi" } } }),
        vmi: vmi8,
        kubevirt: live19,
        version: v19,
      },
      outcome: "none",
    },
  ]);
});

describe("planner: affinity during migration (rules §1.5)", () => {
  run([
    {
      name: "nodeSelector while the VMI migrates: live, retried",
      input: {
        before: base,
        after: tmpl(base, { nodeSelector: { a: "b" } }),
        vmi: vmiFor(base, { migrating: true }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [
        ["spec.template.spec.nodeSelector.a", "live", /Node affinity should not be changed during VMI migration/],
      ],
    },
    {
      name: "tolerations while the VMI migrates",
      input: {
        before: base,
        after: tmpl(base, { tolerations: [{ key: "k" }] }),
        vmi: vmiFor(base, { migrating: true }),
        kubevirt: live19,
        version: v19,
      },
      outcome: "live",
      changes: [
        ["spec.template.spec.tolerations[0]", "live", /tolerations should not be changed during VMI migration/],
      ],
    },
  ]);
});
