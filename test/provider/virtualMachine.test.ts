import { strict as assert } from "node:assert";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox } from "../../sandbox/index";
import { SECRET_SIG, SIG_KEY } from "../../provider/properties";
import { RESOURCE_HANDLERS } from "../../provider/resources/index";
import { VIRTUAL_MACHINE_TOKEN } from "../../provider/resources/kubevirtVirtualMachine";
import { FakeEngine } from "./fakeEngine";
import { resourceTypeOfKind } from "../../sandbox/api/resources";
import { vmInputs as vm } from "./support/sandboxVm";
import { TestStack } from "./support/testStack";

describe("livevm:kubevirt:VirtualMachine against the sandbox", function () {
  this.timeout(60000);
  let sandbox: Sandbox;
  let engine: FakeEngine;
  let stack: TestStack;

  before(async () => {
    sandbox = await startSandbox({
      kubevirt: hotplugReadyKubeVirtSpec("v1.9.0"),
      migrationSeconds: 0.2,
      backoffSeconds: 0.1,
    });
    engine = await new FakeEngine().start();
    await engine.startInProcess(RESOURCE_HANDLERS);
    await engine.configure({
      kubeconfig: { [SIG_KEY]: SECRET_SIG, value: sandbox.kubeconfig },
      timeouts: { create: 20, update: 20, delete: 20 },
    });
    stack = new TestStack(engine, VIRTUAL_MACHINE_TOKEN);
  });
  after(async () => {
    await engine.stop();
    await sandbox.close();
  });

  it("creates a VM and waits for its VMI to run", async () => {
    const s = await stack.up("create1", vm("create1"));
    assert.equal(s.id, "default/create1");
    assert.deepEqual(s.outputs["currentCpuTopology"], { sockets: 2, cores: 1, threads: 1 });
    assert.equal(s.outputs["restartRequired"], false);
    assert.equal(typeof s.outputs["vmiUid"], "string");
  });

  it("bumps sockets live: same VMI UID, new topology, a preview line per change", async () => {
    const before = await stack.up("cpu1", vm("cpu1", { sockets: 2 }));
    const preview = await stack.preview("cpu1", vm("cpu1", { sockets: 3 }));
    assert.ok("detailedDiff" in preview);
    assert.deepEqual(preview.detailedDiff, {
      "spec.template.spec.domain.cpu.sockets": { kind: "update", inputDiff: true },
    });
    await engine.settle();
    const lines = engine
      .logsFor(stack.urn("cpu1"))
      .filter((l) => !l.ephemeral)
      .map((l) => l.message);
    assert.ok(
      lines.some((l) => /^cpu\.sockets 2 -> 3: live/.test(l)),
      lines.join("\n"),
    );
    const after = await stack.up("cpu1", vm("cpu1", { sockets: 3 }));
    assert.equal(after.outputs["vmiUid"], before.outputs["vmiUid"], "no restart");
    assert.equal((after.outputs["currentCpuTopology"] as { sockets: number }).sockets, 3);
    assert.equal((after.outputs["lastPlan"] as { action: string }).action, "applied live");
  });

  it("bumps guest memory live", async () => {
    const before = await stack.up("mem1", vm("mem1", { guest: "2Gi" }));
    const after = await stack.up("mem1", vm("mem1", { guest: "3Gi" }));
    assert.equal(after.outputs["vmiUid"], before.outputs["vmiUid"], "no restart");
    const memory = after.outputs["memory"] as { guestRequested: string; guestCurrent: string };
    assert.equal(memory.guestRequested, "3Gi");
    assert.equal(memory.guestCurrent, "3Gi");
  });

  describe("a restart-required change (cpu.cores)", () => {
    it("warn: applies it, leaves RestartRequired and says so", async () => {
      const before = await stack.up("rr-warn", vm("rr-warn"));
      const preview = await stack.preview("rr-warn", vm("rr-warn", { cores: 2 }));
      assert.ok("changes" in preview && preview.changes === "some");
      await engine.settle();
      const warnings = engine.logsFor(stack.urn("rr-warn"), "warning").map((l) => l.message);
      assert.ok(
        warnings.some((w) => /^cpu\.cores 1 -> 2: restart required/.test(w)),
        warnings.join("\n"),
      );
      const after = await stack.up("rr-warn", vm("rr-warn", { cores: 2 }));
      assert.equal(after.outputs["restartRequired"], true);
      assert.equal(after.outputs["vmiUid"], before.outputs["vmiUid"]);
      assert.equal((after.outputs["lastPlan"] as { action: string }).action, "left RestartRequired");
      await engine.settle();
      assert.ok(
        engine
          .logsFor(stack.urn("rr-warn"), "warning")
          .some((l) => /is left RestartRequired \(onRestartRequired: "warn"\)/.test(l.message)),
      );
    });

    it("restart: restarts through the subresource and waits for a new VMI", async () => {
      const before = await stack.up("rr-restart", { ...vm("rr-restart"), onRestartRequired: "restart" });
      const after = await stack.up("rr-restart", { ...vm("rr-restart", { cores: 2 }), onRestartRequired: "restart" });
      assert.notEqual(after.outputs["vmiUid"], before.outputs["vmiUid"], "a new VMI");
      assert.equal(after.outputs["restartRequired"], false);
      assert.equal((after.outputs["currentCpuTopology"] as { cores: number }).cores, 2);
      assert.equal((after.outputs["lastPlan"] as { action: string }).action, "restarted");
    });

    it("fail: the preview fails with a clear message and nothing is applied", async () => {
      await stack.up("rr-fail", { ...vm("rr-fail"), onRestartRequired: "fail" });
      await assert.rejects(
        stack.preview("rr-fail", { ...vm("rr-fail", { cores: 2 }), onRestartRequired: "fail" }),
        /VirtualMachine default\/rr-fail: these changes need a VM restart and onRestartRequired is "fail": cpu\.cores 1 -> 2: restart required/,
      );
      const live = sandbox.store.get(vmType(), "default", "rr-fail") as unknown as {
        spec: { template: { spec: { domain: { cpu: { cores: number } } } } };
      };
      assert.equal(live.spec.template.spec.domain.cpu.cores, 1);
    });

    it("mixed with a live change: the live part goes first, then the rest", async () => {
      const before = await stack.up("mixed", vm("mixed", { sockets: 2 }));
      const after = await stack.up("mixed", vm("mixed", { sockets: 3, cores: 2 }));
      assert.equal(after.outputs["vmiUid"], before.outputs["vmiUid"]);
      assert.equal(
        (after.outputs["currentCpuTopology"] as { sockets: number }).sockets,
        3,
        "sockets hot-plugged first",
      );
      assert.equal(after.outputs["restartRequired"], true);
      assert.equal((after.outputs["lastPlan"] as { action: string }).action, "applied live, then left RestartRequired");
    });
  });

  it("rejects at Check/preview what KubeVirt's admission would deny, naming the field", async () => {
    await stack.up("rej", vm("rej"));
    await assert.rejects(
      stack.preview("rej", {
        ...vm("rej", { sockets: 9 }),
        spec: {
          ...vm("rej", { sockets: 9 }).spec,
          template: {
            spec: {
              domain: {
                cpu: { sockets: 9, maxSockets: 4, cores: 1, threads: 1 },
                memory: { guest: "2Gi" },
                devices: {},
              },
            },
          },
        },
      }),
      /check failed: spec\.template\.spec\.domain\.cpu\.sockets: .*greater than the maximum sockets allowed/,
    );
  });

  it("reports failed migrations as KubeVirt retries them, then succeeds", async () => {
    const annotations = { "sandbox.livevm.dev/fail-migrations": "2" };
    await stack.up("migfail", vm("migfail", { annotations }));
    const after = await stack.up("migfail", vm("migfail", { sockets: 3, annotations }));
    assert.equal((after.outputs["currentCpuTopology"] as { sockets: number }).sockets, 3);
    await engine.settle();
    const warnings = engine.logsFor(stack.urn("migfail"), "warning").map((l) => l.message);
    assert.equal(
      warnings.filter((w) => /failed.*KubeVirt's workload updater retries it/.test(w)).length,
      2,
      warnings.join("\n"),
    );
    assert.match((after.outputs["lastPlan"] as { action: string }).action, /applied live after 2 failed migration/);
  });

  it("a failed memory hotplug is an error that says to restart, and state matches the cluster", async () => {
    const annotations = { "sandbox.livevm.dev/fail-memory-hotplug": "true" };
    await stack.up("memfail", vm("memfail", { annotations }));
    await assert.rejects(stack.up("memfail", vm("memfail", { guest: "3Gi", annotations })), (e: Error) => {
      assert.match(e.message, /memory hotplug of VirtualMachineInstance memfail failed/);
      assert.match(e.message, /restart the VM/);
      return true;
    });
    const s = stack.state.get("memfail")!;
    assert.equal(
      (s.outputs["spec"] as { template: { spec: { domain: { memory: { guest: string } } } } }).template.spec.domain
        .memory.guest,
      "3Gi",
    );
    assert.equal(
      (s.inputs["spec"] as { template: { spec: { domain: { memory: { guest: string } } } } }).template.spec.domain
        .memory.guest,
      "2Gi",
      "the change stays pending in Pulumi",
    );
  });

  it("refresh takes in out-of-band edits without perpetual diffs", async () => {
    await stack.up("oob", vm("oob", { sockets: 2 }));
    const clean = await stack.refresh("oob");
    const noDiff = await engine.diff(
      stack.urn("oob"),
      clean!.id,
      clean!.outputs,
      (await engine.check(stack.urn("oob"), clean!.inputs, vm("oob", { sockets: 2 }))).inputs,
      clean!.inputs,
    );
    assert.equal(noDiff.changes, "none", "server-defaulted fields are not drift");
    await patchVm(sandbox, "oob", { spec: { template: { spec: { domain: { cpu: { sockets: 3 } } } } } });
    const refreshed = await stack.refresh("oob");
    assert.equal(
      (refreshed!.inputs["spec"] as { template: { spec: { domain: { cpu: { sockets: number } } } } }).template.spec
        .domain.cpu.sockets,
      3,
    );
    const back = await stack.preview("oob", vm("oob", { sockets: 2 }));
    assert.ok("detailedDiff" in back);
    assert.deepEqual(Object.keys(back.detailedDiff), ["spec.template.spec.domain.cpu.sockets"]);
  });

  it("detects someone else's edit between preview and update instead of overwriting it", async () => {
    await stack.up("race", vm("race", { sockets: 2 }));
    await patchVm(sandbox, "race", { spec: { template: { spec: { domain: { cpu: { sockets: 4 } } } } } });
    await assert.rejects(
      stack.up("race", vm("race", { sockets: 3 })),
      /changed outside Pulumi.*cpu\.sockets is 4 in the cluster \(Pulumi applied 2, the program wants 3\)/,
    );
  });

  it("imports an existing VM with inputs that give no diff", async () => {
    await postVm(sandbox, "imported");
    const s = await stack.import("imp", "default/imported");
    assert.deepEqual(Object.keys(s.inputs).sort(), ["apiVersion", "kind", "metadata", "spec"]);
    const checked = await engine.check(stack.urn("imp"), undefined, s.inputs);
    assert.deepEqual(checked.failures, []);
    const d = await engine.diff(stack.urn("imp"), s.id, s.outputs, checked.inputs, s.inputs);
    assert.equal(d.changes, "none", JSON.stringify(d.detailedDiff));
  });

  it("deletes the VM and waits until VM and VMI are gone", async () => {
    await stack.up("del", vm("del"));
    await stack.destroy("del");
    assert.equal(sandbox.store.get(vmType(), "default", "del"), undefined);
  });
});

describe("livevm:kubevirt:VirtualMachine when KubeVirt cannot finish a change", function () {
  this.timeout(60000);
  let sandbox: Sandbox;
  let engine: FakeEngine;
  let stack: TestStack;

  before(async () => {
    // The release manifest's KubeVirt CR: no LiveMigrate among the workload update methods.
    sandbox = await startSandbox({ migrationSeconds: 0.2 });
    engine = await new FakeEngine().start();
    await engine.startInProcess(RESOURCE_HANDLERS);
    await engine.configure({ kubeconfig: sandbox.kubeconfig, timeouts: { update: 2 } });
    stack = new TestStack(engine, VIRTUAL_MACHINE_TOKEN);
  });
  after(async () => {
    await engine.stop();
    await sandbox.close();
  });

  it("warns at preview that the change is stuck, then times out with what to do", async () => {
    await stack.up("stuck", vm("stuck"));
    await stack.preview("stuck", vm("stuck", { sockets: 3 }));
    await engine.settle();
    const warnings = engine.logsFor(stack.urn("stuck"), "warning").map((l) => l.message);
    assert.ok(
      warnings.some((w) => /^cpu\.sockets 2 -> 3: stuck/.test(w)),
      warnings.join("\n"),
    );
    await assert.rejects(stack.up("stuck", vm("stuck", { sockets: 3 })), (e: Error) => {
      assert.match(e.message, /the live update of VirtualMachine default\/stuck did not finish within 2s/);
      assert.match(e.message, /Add LiveMigrate to spec\.workloadUpdateStrategy\.workloadUpdateMethods/);
      return true;
    });
  });
});

function vmType() {
  return resourceTypeOfKind("VirtualMachine");
}

async function patchVm(sandbox: Sandbox, name: string, patch: unknown): Promise<void> {
  const res = await fetch(`${sandbox.url}/apis/kubevirt.io/v1/namespaces/default/virtualmachines/${name}`, {
    method: "PATCH",
    headers: { "content-type": "application/merge-patch+json" },
    body: JSON.stringify(patch),
  });
  assert.equal(res.status, 200, await res.text());
}

async function postVm(sandbox: Sandbox, name: string): Promise<void> {
  const res = await fetch(`${sandbox.url}/apis/kubevirt.io/v1/namespaces/default/virtualmachines`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiVersion: "kubevirt.io/v1", kind: "VirtualMachine", ...vm(name) }),
  });
  assert.equal(res.status, 201, await res.text());
}
