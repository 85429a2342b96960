import { strict as assert } from "node:assert";
import { awaitObject, AwaitTimeoutError } from "../../../provider/await/awaitObject";
import { liveUpdateApplied } from "../../../provider/await/virtualMachineInstance";
import { VIRTUAL_MACHINE_INSTANCE } from "../../../provider/kubernetes/kinds";
import type { CacheEvent, KubeObject, WatchCache } from "../../../provider/kubernetes/watchCache";
import { loadEvents } from "../support/replay";

/** A watch cache that replays recorded events to whoever subscribes. */
function scriptedCache(initial: KubeObject[]): WatchCache & { emit(e: CacheEvent): void; subscribers: number } {
  const listeners = new Set<(e: CacheEvent) => void>();
  return {
    metrics: { lists: 0, relists: 0, resumes: 0, openInformers: 0 },
    subscribers: 0,
    async subscribe(_kind, _ns, _selector, fn) {
      listeners.add(fn);
      this.subscribers = listeners.size;
      return {
        current: initial,
        unsubscribe: () => listeners.delete(fn) && (this.subscribers = listeners.size) && undefined,
      };
    },
    peek: () => undefined,
    emit(e) {
      for (const l of listeners) l(e);
    },
    close() {},
  };
}

describe("await/awaitObject", () => {
  const base = {
    kind: VIRTUAL_MACHINE_INSTANCE,
    namespace: "default",
    name: "vm1",
    timeoutMessage: (p: string) => `timed out: ${p}`,
  };

  it("resolves on the event that satisfies the condition, reporting progress on the way", async () => {
    const events = loadEvents("vmi-cpu-hotplug");
    const cache = scriptedCache([events[0]!.object]);
    const progress: string[] = [];
    const done = awaitObject({
      ...base,
      cache,
      satisfier: liveUpdateApplied("vm1", { sockets: 2 }),
      timeoutMs: 5000,
      onProgress: (d) => progress.push(d),
    });
    await new Promise((r) => setImmediate(r));
    for (const e of events.slice(1)) cache.emit(e);
    const vmi = await done;
    assert.equal(vmi?.metadata?.resourceVersion, "104");
    assert.ok(progress.length >= 2);
    assert.equal(cache.subscribers, 0, "unsubscribed when done");
  });

  it("returns at once when the cached state already satisfies it", async () => {
    const events = loadEvents("vmi-cpu-hotplug");
    const cache = scriptedCache([events[4]!.object]);
    const vmi = await awaitObject({
      ...base,
      cache,
      satisfier: liveUpdateApplied("vm1", { sockets: 2 }),
      timeoutMs: 5000,
    });
    assert.equal(vmi?.metadata?.resourceVersion, "104");
  });

  it("times out with what is still pending", async () => {
    const events = loadEvents("vmi-cpu-hotplug");
    const cache = scriptedCache([events[2]!.object]);
    await assert.rejects(
      awaitObject({ ...base, cache, satisfier: liveUpdateApplied("vm1", { sockets: 2 }), timeoutMs: 50 }),
      (e: Error) => {
        assert.ok(e instanceof AwaitTimeoutError);
        assert.equal(
          e.message,
          "timed out: status.currentCPUTopology.sockets is 1 (want 2); condition HotVCPUChange is True (want absent)",
        );
        return true;
      },
    );
  });

  it("stops waiting on a failure and on cancel", async () => {
    const failed = loadEvents("vmi-memory-hotplug-failed");
    const cache = scriptedCache([failed[2]!.object]);
    await assert.rejects(
      awaitObject({ ...base, cache, satisfier: liveUpdateApplied("vm1", { guest: "3Gi" }), timeoutMs: 5000 }),
      /Memory Hotplug Failed/,
    );
    const ac = new AbortController();
    const pending = awaitObject({
      ...base,
      cache: scriptedCache([]),
      satisfier: liveUpdateApplied("vm1", { sockets: 2 }),
      timeoutMs: 5000,
      signal: ac.signal,
    });
    ac.abort(new Error("cancelled by the engine"));
    await assert.rejects(pending, /cancelled by the engine/);
  });
});
