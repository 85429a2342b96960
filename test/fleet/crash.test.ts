/**
 * The provider process killed in the middle of a fleet update (some VMs patched and migrating, some not
 * yet touched): a new process with Pulumi's state converges every VM, without losing a pending change,
 * without a second migration and without a restart (VMI UIDs counted per VM).
 */
import { strict as assert } from "node:assert";
import { VIRTUAL_MACHINE_TOKEN } from "../../provider/resources/kubevirtVirtualMachine";
import { resourceTypeOfKind } from "../../sandbox/api/resources";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox } from "../../sandbox/index";
import { FakeEngine } from "../provider/fakeEngine";
import { vmInputs } from "../provider/support/sandboxVm";
import { TestStack } from "../provider/support/testStack";
import { waitFor } from "../sandbox/helpers";

const VM = resourceTypeOfKind("VirtualMachine");
const VMI = resourceTypeOfKind("VirtualMachineInstance");
const VMIM = resourceTypeOfKind("VirtualMachineInstanceMigration");
const FLEET = Array.from({ length: 6 }, (_, i) => `crashfleet-${i}`);

describe("fleet: provider killed in the middle of a fleet update", function () {
  this.timeout(90000);
  let sandbox: Sandbox;
  const engines: FakeEngine[] = [];

  async function plugin(): Promise<TestStack> {
    const engine = await new FakeEngine().start();
    engines.push(engine);
    await engine.spawnPlugin();
    await engine.configure({ kubeconfig: sandbox.kubeconfig, timeouts: { create: 30, update: 30, delete: 30 } });
    return new TestStack(engine, VIRTUAL_MACHINE_TOKEN);
  }

  before(async () => {
    // one migration at a time, each 0.6 s: the kill lands while some VMs wait and one migrates
    const kubevirt = hotplugReadyKubeVirtSpec("v1.9.0") as { configuration: Record<string, unknown> };
    kubevirt.configuration["migrations"] = { parallelMigrationsPerCluster: 1 };
    sandbox = await startSandbox({ kubevirt, migrationSeconds: 0.6, nodes: 4 });
  });
  after(async () => {
    for (const e of engines) await e.stop();
    await sandbox.close();
  });

  const sockets = (name: string): number =>
    (
      sandbox.store.get(VM, "default", name) as unknown as {
        spec: { template: { spec: { domain: { cpu: { sockets: number } } } } };
      }
    ).spec.template.spec.domain.cpu.sockets;
  const migrationsOf = (name: string): number =>
    sandbox.store.list(VMIM, "default").filter((m) => m.metadata.labels?.["kubevirt.io/vmi-name"] === name).length;

  it("converges every VM on the next up: no change lost, one migration each, no restart", async () => {
    const first = await plugin();
    await Promise.all(FLEET.map((n) => first.up(n, vmInputs(n, { sockets: 2 }))));
    const uids = new Map(FLEET.map((n) => [n, sandbox.store.get(VMI, "default", n)!.metadata.uid]));

    // the update: 3 VMs at a time (the rest wait for a slot, as under Pulumi's parallelism)
    const outcomes: (Error | undefined)[] = [];
    let next = 0;
    const running = Promise.all(
      [0, 1, 2].map(async () => {
        while (next < FLEET.length) {
          const n = FLEET[next++]!;
          outcomes.push(
            await first.up(n, vmInputs(n, { sockets: 3 })).then(
              () => undefined,
              (e: Error) => e,
            ),
          );
        }
      }),
    );
    // kill once some VMs are patched but their hotplug has not completed everywhere
    await waitFor("two VMs patched", () => FLEET.filter((n) => sockets(n) === 3).length >= 2 || undefined, 15000, 5);
    await first.engine.killPlugin();
    await running;
    const patchedAtKill = FLEET.filter((n) => sockets(n) === 3).length;
    assert.ok(patchedAtKill < FLEET.length, `some VMs were not patched yet (${patchedAtKill} of ${FLEET.length})`);
    assert.ok(
      outcomes.some((o) => o instanceof Error),
      "the engine saw the provider die",
    );

    // Pulumi's state holds what finished; the rest keep the old inputs and are updated again. Half the
    // fleet is refreshed first (`pulumi up --refresh`), half not (`pulumi up`).
    const second = await plugin();
    for (const n of FLEET) second.state.set(n, first.state.get(n)!);
    const refreshed = new Set(FLEET.filter((_, i) => i % 2 === 0));
    await Promise.all(
      FLEET.map(async (n) => {
        if (refreshed.has(n)) await second.refresh(n);
        await second.up(n, vmInputs(n, { sockets: 3 }));
      }),
    );
    // A VM patched before the kill and refreshed has nothing left to diff: KubeVirt finishes its hotplug
    // without the provider waiting for it. Every VM gets there.
    await waitFor(
      "every VM hot-plugged",
      () =>
        FLEET.every(
          (n) =>
            (sandbox.store.get(VMI, "default", n)!["status"] as { currentCPUTopology?: { sockets?: number } })
              .currentCPUTopology?.sockets === 3,
        ) || undefined,
      15000,
      5,
    );
    for (const n of FLEET) {
      const s = await second.refresh(n);
      assert.equal((s!.outputs["currentCpuTopology"] as { sockets: number }).sockets, 3, `${n}: change not lost`);
    }
    for (const n of FLEET) {
      assert.equal(sandbox.store.get(VMI, "default", n)!.metadata.uid, uids.get(n), `${n}: never restarted`);
      assert.equal(migrationsOf(n), 1, `${n}: exactly one migration (nothing done twice)`);
      assert.equal(sockets(n), 3);
    }
    // and the next up has nothing left to do
    for (const n of FLEET) {
      const d = await second.preview(n, vmInputs(n, { sockets: 3 }));
      assert.ok("changes" in d && d.changes === "none", `${n}: no diff left`);
    }
  });
});
