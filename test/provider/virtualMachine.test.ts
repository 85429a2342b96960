import { strict as assert } from "node:assert";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox } from "../../sandbox/index";
import { SECRET_SIG, SIG_KEY } from "../../provider/properties";
import { RESOURCE_HANDLERS } from "../../provider/resources/index";
import { VIRTUAL_MACHINE_TOKEN } from "../../provider/resources/kubevirtVirtualMachine";
import { FakeEngine } from "./fakeEngine";
import { TestStack } from "./support/testStack";

function vm(
  name: string,
  opts: { sockets?: number; cores?: number; guest?: string; annotations?: Record<string, string> } = {},
) {
  return {
    metadata: { name, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      runStrategy: "Always",
      template: {
        spec: {
          domain: {
            cpu: { sockets: opts.sockets ?? 2, cores: opts.cores ?? 1, threads: 1 },
            memory: { guest: opts.guest ?? "2Gi" },
            devices: {},
          },
        },
      },
    },
  };
}

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
});
