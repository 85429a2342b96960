/** Server-wide API fault injection: 500s, 409s, latency and dropped watches, reproducible by seed. */
import assert from "node:assert/strict";
import http from "node:http";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { api, vmManifest } from "./helpers";

const VMS = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";

async function statuses(sb: Sandbox, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await api(sb.url, "GET", VMS)).status);
  return out;
}

describe("sandbox fault injection", () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it("answers resource requests with 500s at the given rate, the same ones for the same seed, never discovery", async () => {
    sb = await startSandbox({ faults: { seed: 42, errorRate: 0.3 } });
    const first = await statuses(sb, 200);
    const failures = first.filter((s) => s === 500).length;
    assert.ok(failures > 30 && failures < 90, `${failures} of 200`);
    for (let i = 0; i < 20; i++) assert.equal((await api(sb.url, "GET", "/apis/kubevirt.io/v1")).status, 200);
    const err = await (async () => {
      for (;;) {
        const r = await api(sb!.url, "GET", VMS);
        if (r.status === 500) return r.body;
      }
    })();
    assert.equal(err.reason, "InternalError");
    await sb.close();
    sb = await startSandbox({ faults: { seed: 42, errorRate: 0.3 } });
    assert.deepEqual(await statuses(sb, 200), first, "same seed, same faults");
  });

  it("answers writes with 409 Conflict at the given rate, reads untouched", async () => {
    sb = await startSandbox({ faults: { seed: 7, conflictRate: 1 } });
    const r = await api(sb.url, "POST", VMS, vmManifest("a"));
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, "Conflict");
    assert.match(String(r.body.message), /injected conflict/);
    assert.equal((await api(sb.url, "GET", VMS)).status, 200);
  });

  it("adds latency", async () => {
    sb = await startSandbox({ faults: { latencyMs: [40, 60] } });
    const t0 = Date.now();
    await api(sb.url, "GET", VMS);
    assert.ok(Date.now() - t0 >= 40);
  });

  it("drops watch connections after events at the given rate", async () => {
    sb = await startSandbox({ faults: { seed: 3, dropWatchRate: 1 } });
    const lines = await new Promise<string[]>((resolve, reject) => {
      http
        .get(`${sb!.url}/api/v1/nodes?watch=true`, (res) => {
          let buf = "";
          res.on("data", (d: Buffer) => (buf += d.toString()));
          res.on("end", () => resolve(buf.split("\n").filter(Boolean)));
        })
        .on("error", reject);
    });
    assert.equal(lines.length, 1, "the stream ended right after the first event");
    assert.equal(JSON.parse(lines[0]!).type, "ADDED");
  });

  it("rejects rates outside 0..1", async () => {
    await assert.rejects(startSandbox({ faults: { errorRate: 2 } }), /errorRate must be between 0 and 1/);
  });
});
