import { strict as assert } from "node:assert";
import { DEFAULT_CONFIG } from "../../provider/config";
import { createKubeClient, type KubeClient } from "../../provider/kubernetes/client";
import { VIRTUAL_MACHINE } from "../../provider/kubernetes/kinds";
import { resolveClusterAccess } from "../../provider/kubernetes/kubeconfig";
import { createWatchCache, type CacheEvent } from "../../provider/kubernetes/watchCache";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { sandboxRequest, vmInputs } from "./support/sandboxVm";

const FAST = { attempts: 6, baseMs: 5, maxMs: 40 };

async function clientFor(sandbox: Sandbox): Promise<KubeClient> {
  return createKubeClient(await resolveClusterAccess({ ...DEFAULT_CONFIG, kubeconfig: sandbox.kubeconfig }), {
    backoff: FAST,
  });
}

function waitUntil(test: () => boolean, ms = 10000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = (): void => {
      if (test()) return resolve();
      if (Date.now() - start > ms) return reject(new Error("condition not reached"));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe("shared watch cache", function () {
  this.timeout(30000);
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("serves many subscribers of one namespace and kind from one LIST and one watch", async () => {
    sandbox = await startSandbox({ migrationSeconds: 0.1 });
    const client = await clientFor(sandbox);
    const cache = createWatchCache(client);
    const seen = new Map<string, number>();
    const subs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        cache.subscribe(VIRTUAL_MACHINE, "default", { name: `w${i}` }, (e) =>
          seen.set(`w${i}`, (seen.get(`w${i}`) ?? 0) + (e.type === "ADDED" ? 1 : 0)),
        ),
      ),
    );
    for (let i = 0; i < 20; i++)
      await sandboxRequest(sandbox, "POST", "/apis/kubevirt.io/v1/namespaces/default/virtualmachines", {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        ...vmInputs(`w${i}`),
      });
    await waitUntil(() => seen.size === 20);
    assert.equal(cache.metrics.lists, 1);
    assert.equal(client.metrics.watchesOpened, 1);
    assert.equal(client.metrics.byVerb["LIST"], 1);
    subs.forEach((s) => s.unsubscribe());
    cache.close();
    client.close();
  });

  it("resumes dropped watches from the last resourceVersion and re-lists after 410 Gone, missing nothing", async () => {
    sandbox = await startSandbox({ migrationSeconds: 0.1, watchCacheSize: 3, faults: { dropWatchRate: 0.5, seed: 7 } });
    const client = await clientFor(sandbox);
    const cache = createWatchCache(client);
    const events: CacheEvent[] = [];
    const sub = await cache.subscribe(VIRTUAL_MACHINE, "default", { name: "churn" }, (e) => events.push(e));
    await sandboxRequest(sandbox, "POST", "/apis/kubevirt.io/v1/namespaces/default/virtualmachines", {
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachine",
      ...vmInputs("churn"),
    });
    for (let i = 0; i < 30; i++) {
      await sandboxRequest(
        sandbox,
        "PATCH",
        "/apis/kubevirt.io/v1/namespaces/default/virtualmachines/churn",
        { metadata: { labels: { step: String(i) } } },
        "application/merge-patch+json",
      );
      // Other objects' writes push the churn VM's resourceVersion out of the small replay window.
      await sandboxRequest(sandbox, "POST", "/apis/kubevirt.io/v1/namespaces/default/virtualmachines", {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        ...vmInputs(`filler${i}`),
      });
    }
    await waitUntil(() => (events.at(-1)?.object.metadata?.labels?.["step"] ?? "") === "29");
    assert.ok(cache.metrics.resumes > 0, `resumes ${cache.metrics.resumes}`);
    assert.ok(cache.metrics.relists > 0, `relists ${cache.metrics.relists}`);
    sub.unsubscribe();
    cache.close();
    client.close();
  });
});
