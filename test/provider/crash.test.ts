import { strict as assert } from "node:assert";
import { resourceTypeOfKind } from "../../sandbox/api/resources";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox } from "../../sandbox/index";
import { VIRTUAL_MACHINE_TOKEN } from "../../provider/resources/kubevirtVirtualMachine";
import { FakeEngine } from "./fakeEngine";
import { vmInputs } from "./support/sandboxVm";
import { TestStack } from "./support/testStack";
import { waitFor } from "../sandbox/helpers";

const VM = resourceTypeOfKind("VirtualMachine");
const VMI = resourceTypeOfKind("VirtualMachineInstance");

/** The provider process killed in the middle of an update; a new one picks up from Pulumi's state. */
describe("provider killed mid-update", function () {
  this.timeout(90000);
  let sandbox: Sandbox;
  const engines: FakeEngine[] = [];

  async function plugin(): Promise<FakeEngine> {
    const engine = await new FakeEngine().start();
    engines.push(engine);
    await engine.spawnPlugin();
    await engine.configure({ kubeconfig: sandbox.kubeconfig, timeouts: { create: 30, update: 30, delete: 30 } });
    return engine;
  }

  before(async () => {
    sandbox = await startSandbox({ kubevirt: hotplugReadyKubeVirtSpec("v1.9.0"), migrationSeconds: 1.5 });
  });
  after(async () => {
    for (const e of engines) await e.stop();
    await sandbox.close();
  });

  const sockets = (name: string): number | undefined =>
    (
      sandbox.store.get(VM, "default", name) as unknown as
        { spec: { template: { spec: { domain: { cpu: { sockets: number } } } } } } | undefined
    )?.spec.template.spec.domain.cpu.sockets;
  const vmiUid = (name: string): string | undefined => sandbox.store.get(VMI, "default", name)?.metadata.uid;

  it("after the patch, before the hotplug completed: the next up finishes it without a restart", async () => {
    const first = new TestStack(await plugin(), VIRTUAL_MACHINE_TOKEN);
    const created = await first.up("crash1", vmInputs("crash1", { sockets: 2 }));
    const uid = vmiUid("crash1");
    assert.equal(created.outputs["vmiUid"], uid);
    const interrupted = first.up("crash1", vmInputs("crash1", { sockets: 3 })).catch((e: Error) => e);
    await waitFor("the patched sockets", () => sockets("crash1") === 3 || undefined, 15000, 5);
    await first.engine.killPlugin();
    assert.ok((await interrupted) instanceof Error, "the engine saw the provider die");

    // Pulumi's state still has the old inputs: the next up re-runs the update on a fresh provider.
    const second = new TestStack(await plugin(), VIRTUAL_MACHINE_TOKEN);
    second.state.set("crash1", first.state.get("crash1")!);
    const done = await second.up("crash1", vmInputs("crash1", { sockets: 3 }));
    assert.equal((done.outputs["currentCpuTopology"] as { sockets: number }).sockets, 3);
    assert.equal(done.outputs["vmiUid"], uid, "the VM was never restarted");
    const migrations = sandbox.store
      .list(resourceTypeOfKind("VirtualMachineInstanceMigration"), "default")
      .filter((m) => m.metadata.labels?.["kubevirt.io/vmi-name"] === "crash1");
    assert.equal(migrations.length, 1, "one migration: nothing was done twice");
  });

  it("during a restart: the next up waits for the VM instead of restarting it again", async () => {
    const first = new TestStack(await plugin(), VIRTUAL_MACHINE_TOKEN);
    await first.up("crash2", { ...vmInputs("crash2"), onRestartRequired: "restart" });
    const uid = vmiUid("crash2");
    const interrupted = first
      .up("crash2", { ...vmInputs("crash2", { cores: 2 }), onRestartRequired: "restart" })
      .catch((e: Error) => e);
    await waitFor("the restart to begin", () => vmiUid("crash2") !== uid || undefined, 15000, 5);
    await first.engine.killPlugin();
    await interrupted;
    const restartedUid = vmiUid("crash2") ?? "";

    const second = new TestStack(await plugin(), VIRTUAL_MACHINE_TOKEN);
    second.state.set("crash2", first.state.get("crash2")!);
    const done = await second.up("crash2", { ...vmInputs("crash2", { cores: 2 }), onRestartRequired: "restart" });
    assert.equal(
      done.outputs["restartRequired"],
      false,
      `the second up's outputs: ${JSON.stringify(done.outputs["lastPlan"])}; its log:\n${second.engine.logs.map((l) => l.message).join("\n")}\nVM status now: ${JSON.stringify(sandbox.store.get(VM, "default", "crash2")?.status)}`,
    );
    assert.equal((done.outputs["currentCpuTopology"] as { cores: number }).cores, 2);
    if (restartedUid) assert.equal(done.outputs["vmiUid"], restartedUid, "no second restart");
    assert.notEqual(done.outputs["vmiUid"], uid);
  });
});
