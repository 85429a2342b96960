import { strict as assert } from "node:assert";
import { planVirtualMachineUpdate } from "../../core/kubevirt/planner";
import type { ProviderConfig } from "../../provider/config";
import { connectKubeVirtCluster, type KubeVirtCluster } from "../../provider/kubevirt/cluster";
import { createVirtualMachineHandler, VIRTUAL_MACHINE_TOKEN } from "../../provider/resources/kubevirtVirtualMachine";
import {
  hotplugReadyKubeVirtSpec,
  kubeconfigFor,
  startSandbox,
  type ApiFaults,
  type Sandbox,
} from "../../sandbox/index";
import { resourceTypeOfKind as resourceType } from "../../sandbox/api/resources";
import { FakeEngine } from "./fakeEngine";
import { vmInputs } from "./support/sandboxVm";
import { TestStack } from "./support/testStack";

const FAST = { attempts: 8, baseMs: 5, maxMs: 50 };

async function setup(faults: ApiFaults, extra: { token?: string; kubeconfig?: (s: Sandbox) => string } = {}) {
  const sandbox = await startSandbox({
    kubevirt: hotplugReadyKubeVirtSpec("v1.9.0"),
    migrationSeconds: 0.1,
    backoffSeconds: 0.05,
    faults,
    ...(extra.token ? { token: extra.token } : {}),
  });
  const clusters: KubeVirtCluster[] = [];
  const handler = createVirtualMachineHandler({
    planner: (i) => planVirtualMachineUpdate(i),
    cluster: async (config: ProviderConfig) => {
      const c = await connectKubeVirtCluster(config, { backoff: FAST });
      clusters.push(c);
      return c;
    },
    planClusterTimeoutMs: 3000,
  });
  const engine = await new FakeEngine().start();
  await engine.startInProcess([handler]);
  await engine.configure({
    kubeconfig: extra.kubeconfig ? extra.kubeconfig(sandbox) : sandbox.kubeconfig,
    timeouts: { create: 20, update: 20, delete: 20 },
  });
  return { sandbox, engine, stack: new TestStack(engine, VIRTUAL_MACHINE_TOKEN), clusters };
}

describe("provider under API faults", function () {
  this.timeout(60000);
  let env: Awaited<ReturnType<typeof setup>> | undefined;
  afterEach(async () => {
    for (const c of env?.clusters ?? []) c.close();
    await env?.engine.stop();
    await env?.sandbox.close();
    env = undefined;
  });

  it("converges through 500s, 409s, slow answers and dropped watches, doing nothing twice", async () => {
    env = await setup({ seed: 3, errorRate: 0.15, conflictRate: 0.15, latencyMs: [0, 15], dropWatchRate: 0.2 });
    const { stack } = env;
    const created = await stack.up("f1", vmInputs("f1", { sockets: 2 }));
    const updated = await stack.up("f1", vmInputs("f1", { sockets: 3, guest: "3Gi" }));
    assert.equal(updated.outputs["vmiUid"], created.outputs["vmiUid"], "no restart");
    assert.equal((updated.outputs["currentCpuTopology"] as { sockets: number }).sockets, 3);
    assert.equal((updated.outputs["memory"] as { guestCurrent: string }).guestCurrent, "3Gi");
    const c = env.clusters[0]!;
    assert.ok(c.client.metrics.retries > 0, "faults were met and retried");
    const migrations = env.sandbox.store
      .list(resourceType("VirtualMachineInstanceMigration"), "default")
      .filter((m) => m.metadata.labels?.["kubevirt.io/vmi-name"] === "f1");
    assert.ok(migrations.length >= 1);
    await stack.destroy("f1");
  });

  it("gives up after its retry budget with the cluster's own message", async () => {
    env = await setup({ errorRate: 1 });
    await assert.rejects(env.stack.up("f2", vmInputs("f2")), (e: Error) => {
      assert.match(
        e.message,
        /create VirtualMachine default\/f2: Internal error occurred: sandbox: injected API server error \(gave up after 8 attempts\)/,
      );
      return true;
    });
  });

  it("says the credentials were rejected, without echoing them", async () => {
    env = await setup(
      {},
      {
        token: "right-token-123",
        kubeconfig: (s) => kubeconfigFor(s.url, "wrong-token-456"),
      },
    );
    await assert.rejects(env.stack.up("f3", vmInputs("f3")), (e: Error) => {
      assert.match(
        e.message,
        /the cluster rejected the credentials of context "livevm-sandbox" \(from the provider's kubeconfig \(content\)\); they may have expired/,
      );
      assert.doesNotMatch(e.message, /wrong-token-456/);
      return true;
    });
    await env.engine.settle();
    assert.ok(env.engine.logs.every((l) => !l.message.includes("wrong-token-456")));
  });
});
