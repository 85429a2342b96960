import assert from "node:assert/strict";
import type { Outcome } from "../../../core/kubevirt/plan";
import { planVirtualMachineUpdate } from "../../../core/kubevirt/planner";
import { parseKubeVirtVersion } from "../../../core/kubevirt/version";
import { GUEST, SOCKETS, changeAt, edit, kv, liveKv, plan, tmpl, vm, vmiFor } from "./fixtures";

const v19 = "v1.9.0";
const base = vm({
  domain: {
    devices: { disks: [{ name: "root", disk: {} }] },
  },
  volumes: [{ name: "root", containerDisk: { image: "fedora" } }],
});
const addHotplug = tmpl(base, {
  domain: {
    devices: {
      disks: [
        { name: "root", disk: {} },
        { name: "data", disk: {} },
      ],
    },
  },
  volumes: [
    { name: "root", containerDisk: { image: "fedora" } },
    { name: "data", persistentVolumeClaim: { claimName: "pvc", hotpluggable: true } },
  ],
});
const addColdVolume = tmpl(base, {
  domain: {
    devices: {
      disks: [
        { name: "root", disk: {} },
        { name: "data", disk: {} },
      ],
    },
  },
  volumes: [
    { name: "root", containerDisk: { image: "fedora" } },
    { name: "data", persistentVolumeClaim: { claimName: "pvc" } },
  ],
});

function expectChange(p: ReturnType<typeof plan>, path: string, outcome: Outcome, reason?: RegExp): void {
  const c = changeAt(p, path);
  assert.equal(c.outcome, outcome, `${path}: ${c.reason}`);
  if (reason) assert.match(c.reason, reason);
}

describe("planner: volumes and disks (rules §1.6)", () => {
  it("v1.9: a hotpluggable volume goes live through declarative hotplug (Beta, on by default)", () => {
    const p = plan({ before: base, after: addHotplug, kubevirt: liveKv(v19), version: v19 });
    assert.equal(p.outcome, "live");
    expectChange(p, "spec.template.spec.volumes[name=data]", "live", /declarative volume hotplug/);
    expectChange(p, "spec.template.spec.domain.devices.disks[name=data]", "live");
  });
  it("v1.9 with DeclarativeHotplugVolumes disabled: no RR, but attached only at restart", () => {
    const p = plan({
      before: base,
      after: addHotplug,
      kubevirt: liveKv(v19, { disabledGates: ["DeclarativeHotplugVolumes"] }),
      version: v19,
    });
    expectChange(p, "spec.template.spec.volumes[name=data]", "restart", /no RestartRequired.*virtctl addvolume/);
  });
  it("v1.8: the declarative gate is Alpha (off): restart without RR", () => {
    const p = plan({ before: base, after: addHotplug, kubevirt: liveKv("v1.8.0"), version: "v1.8.0" });
    expectChange(p, "spec.template.spec.volumes[name=data]", "restart", /no RestartRequired/);
    assert.ok(!p.messages.some((m) => m.startsWith("RestartRequired")));
  });
  it("v1.8 with DeclarativeHotplugVolumes enabled: live", () => {
    const p = plan({
      before: base,
      after: addHotplug,
      kubevirt: liveKv("v1.8.0", { gates: ["DeclarativeHotplugVolumes"] }),
      version: "v1.8.0",
    });
    assert.equal(p.outcome, "live");
  });
  it("a non-hotpluggable volume: RR", () => {
    const p = plan({ before: base, after: addColdVolume, kubevirt: liveKv(v19), version: v19 });
    expectChange(p, "spec.template.spec.volumes[name=data]", "restart", /not hotpluggable/);
  });
  it("a containerDisk image change: RR", () => {
    const p = plan({
      before: base,
      after: tmpl(base, { volumes: [{ name: "root", containerDisk: { image: "fedora:41" } }] }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    expectChange(p, "spec.template.spec.volumes[name=root].containerDisk.image", "restart", /non-live-updatable/);
  });
  it("hotplug volumes are RR-free under Stage from v1.6.3 (the tag; the rules say v1.6.4) / v1.7.0, not in v1.6.2", () => {
    const stage = kv({ rollout: "Stage", gates: ["DeclarativeHotplugVolumes"] });
    const at = (version: string) =>
      changeAt(
        plan({ before: base, after: addHotplug, kubevirt: stage, version }),
        "spec.template.spec.volumes[name=data]",
      );
    assert.equal(at("v1.6.2").outcome, "restart");
    assert.match(at("v1.6.2").reason, /RestartRequired/);
    assert.equal(at("v1.6.3").outcome, "live");
    assert.equal(at("v1.7.0").outcome, "live");
  });
  it("v1.4.1, v1.5–v1.6.2 under Stage: volumes equal to the VMI's (imperative hotplug) give no RR", () => {
    const vmi = vmiFor(addHotplug);
    const p = plan({ before: base, after: addHotplug, vmi, kubevirt: kv({ rollout: "Stage" }), version: "v1.5.0" });
    expectChange(p, "spec.template.spec.volumes[name=data]", "none", /already has these volumes/);
    const p14 = plan({
      before: base,
      after: addHotplug,
      vmi,
      kubevirt: kv({ rollout: "Stage", gates: ["VMLiveUpdateFeatures"] }),
      version: "v1.4.1",
    });
    expectChange(p14, "spec.template.spec.volumes[name=data]", "none", /already has these volumes/);
    const p140 = plan({
      before: base,
      after: addHotplug,
      vmi,
      kubevirt: kv({ rollout: "Stage", gates: ["VMLiveUpdateFeatures"] }),
      version: "v1.4.0",
    });
    expectChange(p140, "spec.template.spec.volumes[name=data]", "restart", /RestartRequired/);
  });
  it("v1.2.0 ignored every volume change under LiveUpdate", () => {
    const p = plan({ before: base, after: addColdVolume, kubevirt: liveKv("v1.2.0"), version: "v1.2.0" });
    assert.match(changeAt(p, "spec.template.spec.volumes[name=data]").reason, /^no RestartRequired/);
    assert.ok(!p.messages.some((m) => m.startsWith("RestartRequired")));
    const p21 = plan({ before: base, after: addColdVolume, kubevirt: liveKv("v1.2.1"), version: "v1.2.1" });
    assert.match(changeAt(p21, "spec.template.spec.volumes[name=data]").reason, /RestartRequired: /);
  });
  it("removing a CD-ROM drive: RR from v1.7.0", () => {
    const withCd = tmpl(base, {
      domain: {
        devices: {
          disks: [
            { name: "root", disk: {} },
            { name: "cd", cdrom: {} },
          ],
        },
      },
      volumes: [
        { name: "root", containerDisk: { image: "fedora" } },
        { name: "cd", dataVolume: { name: "iso", hotpluggable: true } },
      ],
    });
    const p = plan({ before: withCd, after: base, kubevirt: liveKv("v1.7.0"), version: "v1.7.0" });
    expectChange(p, "spec.template.spec.domain.devices.disks[name=cd]", "restart", /CD-ROM/);
    const ejected = tmpl(withCd, { volumes: [{ name: "root", containerDisk: { image: "fedora" } }] });
    const eject = plan({ before: withCd, after: ejected, kubevirt: liveKv("v1.7.0"), version: "v1.7.0" });
    assert.ok(
      !eject.messages.some((m) => m.startsWith("RestartRequired")),
      "ejecting (volume removed, disk kept) is not RR",
    );
  });
  it("updateVolumesStrategy Migration: a PVC change is a volume migration", () => {
    const pvc = (claimName: string) =>
      vm(
        {
          domain: { devices: { disks: [{ name: "d", disk: {} }] } },
          volumes: [{ name: "d", persistentVolumeClaim: { claimName } }],
        },
        { updateVolumesStrategy: "Migration" },
      );
    const p = plan({ before: pvc("old"), after: pvc("new"), kubevirt: liveKv(v19), version: v19 });
    expectChange(p, "spec.template.spec.volumes[name=d].persistentVolumeClaim.claimName", "live", /volume migration/);
    const none = plan({ before: pvc("old"), after: pvc("new"), kubevirt: liveKv(v19, { methods: [] }), version: v19 });
    assert.equal(none.outcome, "stuck");
  });
});

describe("planner: network (rules §1.7)", () => {
  const net = vm({
    domain: { devices: { interfaces: [{ name: "default", masquerade: {} }] } },
    networks: [{ name: "default", pod: {} }],
  });
  const plusSecondary = tmpl(net, {
    domain: {
      devices: {
        interfaces: [
          { name: "default", masquerade: {} },
          { name: "sec", bridge: {} },
        ],
      },
    },
    networks: [
      { name: "default", pod: {} },
      { name: "sec", multus: { networkName: "nad-a" } },
    ],
  });
  it("adding a secondary interface: live from v1.6 (via migration)", () => {
    const p = plan({ before: net, after: plusSecondary, kubevirt: liveKv(v19), version: v19 });
    assert.equal(p.outcome, "live");
    expectChange(p, "spec.template.spec.domain.devices.interfaces[name=sec]", "live", /network hotplug/);
  });
  it("…RR before v1.6", () => {
    const p = plan({ before: net, after: plusSecondary, kubevirt: liveKv("v1.5.0"), version: "v1.5.0" });
    expectChange(p, "spec.template.spec.networks[name=sec]", "restart", /v1.6.0/);
  });
  it("…and live under Stage too (strategy-independent)", () => {
    const p = plan({ before: net, after: plusSecondary, kubevirt: kv({ rollout: "Stage" }), version: v19 });
    expectChange(p, "spec.template.spec.domain.devices.interfaces[name=sec]", "live");
  });
  it("removing an interface without state absent: RR", () => {
    const p = plan({ before: plusSecondary, after: net, kubevirt: liveKv(v19), version: v19 });
    expectChange(
      p,
      "spec.template.spec.domain.devices.interfaces[name=sec]",
      "restart",
      /removed without going through state: absent/,
    );
  });
  it("state: down is live", () => {
    const down = tmpl(plusSecondary, {
      domain: {
        devices: {
          interfaces: [
            { name: "default", masquerade: {} },
            { name: "sec", bridge: {}, state: "down" },
          ],
        },
      },
    });
    const p = plan({ before: plusSecondary, after: down, kubevirt: liveKv(v19), version: v19 });
    expectChange(p, "spec.template.spec.domain.devices.interfaces[name=sec].state", "live", /state/);
  });
  it("changing a binding: RR", () => {
    const p = plan({
      before: net,
      after: tmpl(net, { domain: { devices: { interfaces: [{ name: "default", bridge: {} }] } } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(p.outcome, "restart");
  });
  it("NAD name change: RR in v1.7, live in v1.9, v1.8 only with LiveUpdateNADRef; it needs a migration", () => {
    const nadB = tmpl(plusSecondary, {
      networks: [
        { name: "default", pod: {} },
        { name: "sec", multus: { networkName: "nad-b" } },
      ],
    });
    const at = (version: string, gates: string[] = []) =>
      changeAt(
        plan({ before: plusSecondary, after: nadB, kubevirt: liveKv(version, { gates }), version }),
        "spec.template.spec.networks[name=sec].multus.networkName",
      ).outcome;
    assert.equal(at("v1.7.0"), "restart");
    assert.equal(at("v1.8.0"), "restart");
    assert.equal(at("v1.8.0", ["LiveUpdateNADRef"]), "live");
    assert.equal(at(v19), "live");
    const notMigratable = plan({
      before: plusSecondary,
      after: nadB,
      vmi: vmiFor(plusSecondary, { migratable: false }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    // v1.9 ignores the NAD name whatever the VMI (restart.go); the migration it needs cannot happen
    assert.equal(notMigratable.outcome, "stuck");
  });
});

describe("planner: instance types (rules §1.8)", () => {
  const it1 = vm({ domain: { cpu: undefined, memory: undefined } }, { instancetype: { name: "u1.small" } });
  const it2 = edit(it1, { spec: { instancetype: { name: "u1.large" } } });
  it("v1.2.1–v1.2.2: a matcher change gives RR with KubeVirt's message", () => {
    const p = plan({ before: it1, after: it2, kubevirt: liveKv("v1.2.2"), version: "v1.2.2" });
    expectChange(
      p,
      "spec.instancetype.name",
      "restart",
      /the instance type or preference matcher of the VM was changed/,
    );
  });
  it("v1.3+: livevm cannot expand the instance type and says so", () => {
    const p = plan({ before: it1, after: it2, kubevirt: liveKv(v19), version: v19 });
    expectChange(p, "spec.instancetype.name", "restart", /cannot expand it without the instance type object/);
    assert.match(p.messages.join("\n"), /u1.small is not expanded/);
  });
  it("v1.2.0 under LiveUpdate: an instance type is rejected at admission", () => {
    const p = plan({ before: it1, after: it2, kubevirt: liveKv("v1.2.0"), version: "v1.2.0" });
    assert.equal(p.outcome, "rejected");
    assert.match(
      p.admission?.map((c) => c.message).join("\n") ?? "",
      /Cannot configure instance type when the vmRolloutStrategy is LiveUpdate/,
    );
  });
});

describe("planner: admission first (rules §2)", () => {
  it("sockets above an explicit maxSockets under LiveUpdate: rejected with KubeVirt's causes", () => {
    const b = vm({ domain: { cpu: { sockets: 2, cores: 1, threads: 1, maxSockets: 4 } } });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { sockets: 6 } } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(p.outcome, "rejected");
    assert.ok(p.admission && p.admission.length >= 1);
    expectChange(
      p,
      SOCKETS,
      "rejected",
      /Number of sockets in CPU topology is greater than the maximum sockets allowed/,
    );
  });
  it("v1.0 running VM with liveUpdateFeatures: changing cores is rejected", () => {
    const b = vm({}, { liveUpdateFeatures: { cpu: {} } }, { ready: true });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { cores: 2 } } }),
      kubevirt: liveKv("v1.0.0"),
      version: "v1.0.0",
    });
    assert.equal(p.outcome, "rejected");
    expectChange(
      p,
      "spec.template.spec.domain.cpu.cores",
      "rejected",
      /Cannot update CPU cores while live update features configured/,
    );
  });
  it("creation of an invalid VM: rejected", () => {
    const p = plan({
      after: vm({ domain: { cpu: { sockets: 2, isolateEmulatorThread: true } } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(p.outcome, "rejected");
    assert.match(
      p.messages.join("\n"),
      /IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement/,
    );
  });
});

describe("planner: v1.0 / v1.1 (rules §2.6, §3.1, §9)", () => {
  const luf = (features: Record<string, unknown> | undefined) =>
    vm({}, features ? { liveUpdateFeatures: features } : {});
  it("v1.0 with liveUpdateFeatures: sockets go live", () => {
    const b = luf({ cpu: {} });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { sockets: 4 } } }),
      kubevirt: liveKv("v1.0.0"),
      version: "v1.0.0",
    });
    assert.equal(p.outcome, "live");
    expectChange(p, SOCKETS, "live", /liveUpdateFeatures.cpu/);
  });
  it("v1.0 without liveUpdateFeatures: staged silently (no RestartRequired before v1.2)", () => {
    const b = luf(undefined);
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { sockets: 4 } } }),
      kubevirt: liveKv("v1.0.0"),
      version: "v1.0.0",
    });
    expectChange(p, SOCKETS, "restart", /no RestartRequired condition \(it arrived in v1.2\)/);
  });
  it("v1.1: other changes do not block the live ones (there is no gate)", () => {
    const b = luf({ cpu: {}, memory: {} });
    const after = tmpl(b, { domain: { cpu: { sockets: 4 }, memory: { guest: "4Gi" } }, hostname: "x" });
    const p = plan({ before: b, after, kubevirt: liveKv("v1.1.0"), version: "v1.1.0" });
    expectChange(p, SOCKETS, "live");
    expectChange(p, GUEST, "live", /liveUpdateFeatures.memory/);
    expectChange(p, "spec.template.spec.hostname", "restart", /staged silently/);
    assert.equal(p.steps, undefined);
  });
  it("v1.1 affinity with liveUpdateFeatures.affinity: live", () => {
    const b = luf({ affinity: {} });
    const p = plan({
      before: b,
      after: tmpl(b, { nodeSelector: { a: "b" } }),
      kubevirt: liveKv("v1.1.0"),
      version: "v1.1.0",
    });
    assert.equal(p.outcome, "live");
  });
  it("v1.1 memory without liveUpdateFeatures.memory: staged silently", () => {
    const b = luf({ cpu: {} });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { memory: { guest: "4Gi" } } }),
      kubevirt: liveKv("v1.1.0"),
      version: "v1.1.0",
    });
    expectChange(p, GUEST, "restart", /without spec.liveUpdateFeatures.memory/);
  });
  it("v1.0: sockets beyond the computed maxSockets never complete", () => {
    const b = luf({ cpu: {} });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { sockets: 9 } } }),
      kubevirt: liveKv("v1.0.0"),
      version: "v1.0.0",
    });
    expectChange(p, SOCKETS, "stuck", /maxSockets 8/);
  });
  it("spec.liveUpdateFeatures in v1.2+: dropped", () => {
    const p = plan({
      before: vm(),
      after: edit(vm(), { spec: { liveUpdateFeatures: { cpu: {} } } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    expectChange(p, "spec.liveUpdateFeatures.cpu", "none", /removed in KubeVirt v1.2.0/);
  });
});

describe("planner: plan metadata", () => {
  it("predicted, version, name", () => {
    const p = plan({
      before: vm(),
      after: tmpl(vm(), { domain: { cpu: { sockets: 3 } } }),
      kubevirt: liveKv("v1.6.4"),
      version: "1.6.4",
    });
    assert.equal(p.predicted, true);
    assert.equal(p.version, "v1.6.4");
    assert.equal(p.name, "vm1");
    assert.equal(p.namespace, "default");
    const withVmi = plan({ before: vm(), after: vm(), vmi: vmiFor(vm()), version: "v1.6.4" });
    assert.equal(withVmi.predicted, false);
  });
  it("the version comes from the CR's status, else the newest, with a note", () => {
    const k = { ...kv(), status: { observedKubeVirtVersion: "v1.3.1" } };
    assert.equal(plan({ before: vm(), after: vm(), kubevirt: k }).version, "v1.3.1");
    const none = plan({ before: vm(), after: vm() });
    assert.equal(none.version, "v1.9.0");
    assert.match(none.messages.join("\n"), /no KubeVirt version given/);
    const bad = plan({
      before: vm(),
      after: vm(),
      kubevirt: { ...kv(), status: { observedKubeVirtVersion: "v2.0.0" } },
    });
    assert.equal(bad.version, "v1.9.0");
    assert.match(bad.messages.join("\n"), /not usable/);
    assert.equal(plan({ before: vm(), after: vm(), version: parseKubeVirtVersion("v1.4.0") }).version, "v1.4.0");
  });
  it("an explicit unsupported version throws a clear error", () => {
    assert.throws(
      () => planVirtualMachineUpdate({ before: vm(), after: vm(), version: "v0.58.0" }),
      /supports KubeVirt/,
    );
  });
  it("the VM-level outcome is the worst change outcome", () => {
    const p = plan({
      before: vm(),
      after: tmpl(vm(), { hostname: "h", nodeSelector: { a: "b" } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(p.outcome, "restart");
    expectChange(p, "spec.template.spec.nodeSelector.a", "restart", /no live-update handler/);
  });
  it("steps: the live step really goes live on its own", () => {
    const b = vm();
    const after = tmpl(b, { domain: { cpu: { sockets: 4, model: "host-passthrough" } } });
    const p = plan({ before: b, after, kubevirt: liveKv(v19), version: v19 });
    assert.ok(p.steps);
    const step1 = plan({ before: b, after: p.steps[0]!.vm, kubevirt: liveKv(v19), version: v19 });
    assert.equal(step1.outcome, "live");
    assert.deepEqual(p.steps[1]!.paths, ["spec.template.spec.domain.cpu.model"]);
  });
  it("no steps when the only live-capable change would itself restart", () => {
    const b = vm();
    const after = tmpl(b, { domain: { cpu: { sockets: 16, model: "host-passthrough" } } });
    assert.equal(plan({ before: b, after, kubevirt: liveKv(v19), version: v19 }).steps, undefined);
  });
  it("VM labels are none", () => {
    const p = plan({ before: vm(), after: edit(vm(), { metadata: { labels: { team: "a" } } }), version: v19 });
    expectChange(p, "metadata.labels.team", "none");
  });
  it("does not modify its inputs", () => {
    const b = vm();
    const a = tmpl(b, { domain: { cpu: { sockets: 4, model: "x" } } });
    const copies = JSON.stringify([b, a]);
    plan({ before: b, after: a, kubevirt: liveKv(v19), version: v19 });
    assert.equal(JSON.stringify([b, a]), copies);
  });
});

describe("planner: the start spec and what follows a restart", () => {
  const rr = {
    conditions: [
      {
        type: "RestartRequired",
        status: "True",
        message: "a non-live-updatable field was changed in the template spec",
      },
    ],
  };
  const started = vm(); // cores 1
  const pendingCores = edit(tmpl(started, { domain: { cpu: { cores: 2 } } }), { status: rr });
  const revertAndScale = tmpl(pendingCores, { domain: { cpu: { cores: 1, sockets: 4 } } });
  it("v1.9: reverting the pending non-live change clears RR and the sockets go live (the VMI shows the start value)", () => {
    const p = plan({
      before: pendingCores,
      after: revertAndScale,
      vmi: vmiFor(started, { maxSockets: 8 }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(p.outcome, "live", JSON.stringify(p.changes));
    assert.match(p.messages.join("\n"), /the VMI runs with domain.cpu.cores 1/);
  });
  it("v1.6.3: the RR stays (sticky) and blocks the sockets", () => {
    const p = plan({
      before: pendingCores,
      after: revertAndScale,
      vmi: vmiFor(started, { maxSockets: 8 }),
      kubevirt: liveKv("v1.6.3"),
      version: "v1.6.3",
    });
    assert.equal(p.outcome, "restart");
  });
  it("v1.3.1: a restart with sockets above the cluster's maxCpuSockets would be denied", () => {
    const p = plan({
      before: vm(),
      after: tmpl(vm(), { domain: { cpu: { sockets: 6, cores: 2 } } }),
      kubevirt: liveKv("v1.3.1", { live: { maxCpuSockets: 4 } }),
      version: "v1.3.1",
    });
    assert.equal(p.outcome, "restart");
    assert.match(
      p.messages.join("\n"),
      /restarted VMI would be denied: "Number of sockets in CPU topology is greater than the maximum sockets allowed"/,
    );
    const p14 = plan({
      before: vm(),
      after: tmpl(vm(), { domain: { cpu: { sockets: 6, cores: 2 } } }),
      kubevirt: liveKv("v1.4.0", { live: { maxCpuSockets: 4 } }),
      version: "v1.4.0",
    });
    assert.match(p14.messages.join("\n"), /after a restart the VMI boots with maxSockets 6/);
  });
  it("reports hotplugs pending on a given VMI", () => {
    const p = plan({
      before: vm(),
      after: tmpl(vm(), { hostname: "x" }),
      vmi: vmiFor(vm(), {
        conditions: [
          { type: "HotVCPUChange", status: "True" },
          { type: "HotMemoryChange", status: "False" },
        ],
      }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.match(p.messages.join("\n"), /CPU hotplug pending/);
    assert.match(p.messages.join("\n"), /earlier memory hotplug failed/);
  });
});

describe("planner: what the VM mutating webhook fills in (rules §9)", () => {
  const live = tmpl(vm(), {
    architecture: "amd64",
    domain: { machine: { type: "pc-q35-rhel9.6.0" }, firmware: { uuid: "u-1", serial: "s-1" } },
  });
  const manifest = vm({
    domain: {
      cpu: { sockets: 4, cores: 1, threads: 1 },
      memory: { guest: "2Gi" },
      firmware: { uuid: "u-1", serial: "s-1" },
    },
  });
  it("a manifest without architecture and machine type means the defaults the live VM already has", () => {
    const p = plan({ before: live, after: manifest, kubevirt: liveKv(v19), version: v19 });
    assert.deepEqual(
      p.changes.map((c) => c.path),
      [SOCKETS],
    );
    assert.equal(p.outcome, "live");
  });
  it("an explicit architecture change is still a change", () => {
    const p = plan({
      before: live,
      after: tmpl(manifest, { architecture: "s390x" }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.ok(p.changes.some((c) => c.path === "spec.template.spec.architecture"));
  });
  it("the CR's default architecture decides for a manifest without one", () => {
    const k = { ...liveKv(v19), status: { defaultArchitecture: "arm64" } };
    const p = plan({ before: live, after: manifest, kubevirt: k, version: v19 });
    assert.ok(p.changes.some((c) => c.path === "spec.template.spec.architecture" && c.after === "arm64"));
  });
  it("dropping the firmware UUID KubeVirt wrote is RR, with advice", () => {
    const p = plan({
      before: live,
      after: tmpl(manifest, { domain: { firmware: undefined } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(changeAt(p, "spec.template.spec.domain.firmware.uuid").outcome, "restart");
    assert.match(p.messages.join("\n"), /copy firmware.uuid/);
  });
});

describe("planner: the VMI reveals the start spec", () => {
  const rr = {
    conditions: [
      {
        type: "RestartRequired",
        status: "True",
        message: "a non-live-updatable field was changed in the template spec",
      },
    ],
  };
  it("a hostname edited after the start and reverted now: none in v1.8, and the RR goes", () => {
    const started = tmpl(vm(), { hostname: "a" });
    const edited = edit(tmpl(started, { hostname: "b" }), { status: rr });
    const p = plan({
      before: edited,
      after: started,
      vmi: vmiFor(started),
      kubevirt: liveKv("v1.8.0"),
      version: "v1.8.0",
    });
    assert.equal(changeAt(p, "spec.template.spec.hostname").outcome, "none");
    assert.match(changeAt(p, "spec.template.spec.hostname").reason, /removes the RestartRequired condition/);
  });
  it("…but restart in v1.7.0, where RR is sticky", () => {
    const started = tmpl(vm(), { hostname: "a" });
    const edited = edit(tmpl(started, { hostname: "b" }), { status: rr });
    const p = plan({
      before: edited,
      after: started,
      vmi: vmiFor(started),
      kubevirt: liveKv("v1.7.0"),
      version: "v1.7.0",
    });
    assert.equal(changeAt(p, "spec.template.spec.hostname").outcome, "restart");
  });
  it("a CPU model the VMI was defaulted to does not count when the template has none", () => {
    const b = vm();
    const vmi = edit(vmiFor(b, { maxSockets: 8 }), { spec: { domain: { cpu: { model: "host-model" } } } });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { sockets: 4 } } }),
      vmi,
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.equal(p.outcome, "live");
  });
});

describe("planner: notes from a given VMI", () => {
  it("a pending socket change shows even without a diff", () => {
    const b = tmpl(vm(), { domain: { cpu: { sockets: 4 } } });
    const p = plan({ before: b, after: b, vmi: vmiFor(vm(), { maxSockets: 8 }), kubevirt: liveKv(v19), version: v19 });
    assert.equal(p.outcome, "none");
    assert.match(p.messages.join("\n"), /template says 4 socket\(s\) but its VMI has 2/);
  });
});

describe("planner: CPU resources patched with a hotplug (rules §1.3 step 9)", () => {
  it("explicit CPU requests grow by 100m per vCPU by default", () => {
    const b = tmpl(vm(), { domain: { resources: { requests: { cpu: "2" } } } });
    const p = plan({
      before: b,
      after: tmpl(b, { domain: { cpu: { sockets: 4 } } }),
      kubevirt: liveKv(v19),
      version: v19,
    });
    assert.match(changeAt(p, SOCKETS).reason, /CPU requests change by 200m \(100m per vCPU, cpuAllocationRatio 10\)/);
  });
});

describe("planner: rejection reasons", () => {
  it("names a cause once when KubeVirt reports it twice (the VM rule and the VMI spec rule)", () => {
    const before = vm({ domain: { cpu: { sockets: 2, cores: 1, threads: 1, maxSockets: 8 } } });
    const after = tmpl(before, { domain: { cpu: { sockets: 10 } } });
    const p = plan({ before, after, vmi: vmiFor(before), kubevirt: liveKv(v19), version: v19 });
    assert.equal(p.outcome, "rejected");
    const message = "Number of sockets in CPU topology is greater than the maximum sockets allowed";
    assert.equal(p.admission?.filter((c) => c.message === message).length, 2, "KubeVirt's causes are kept as is");
    const reason = changeAt(p, SOCKETS).reason;
    assert.equal(reason.split(message).length - 1, 1, reason);
  });
});
