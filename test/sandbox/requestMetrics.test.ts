/** The sandbox counts what clients ask of its API: resource requests by verb, watches opened and open. */
import assert from "node:assert/strict";
import http from "node:http";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { api, vmManifest } from "./helpers";

const VMS = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";

describe("sandbox API request metrics", () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it("counts requests by verb, watches opened and open, and discovery apart", async () => {
    sb = await startSandbox();
    await api(sb.url, "GET", "/apis/kubevirt.io/v1");
    await api(sb.url, "GET", "/version");
    await api(sb.url, "POST", VMS, vmManifest("m"));
    await api(sb.url, "GET", VMS);
    await api(sb.url, "GET", `${VMS}/m`);
    await api(sb.url, "PATCH", `${VMS}/m`, { metadata: { labels: { a: "b" } } }, "application/merge-patch+json");
    await api(sb.url, "DELETE", `${VMS}/m`);
    const req = http.get(`${sb.url}${VMS}?watch=true`);
    await new Promise<void>((resolve) => req.once("response", () => resolve()));
    assert.deepEqual(
      { ...sb.apiMetrics, byVerb: { ...sb.apiMetrics.byVerb } },
      {
        requests: 5,
        byVerb: { create: 1, list: 1, get: 1, patch: 1, delete: 1 },
        watchesOpened: 1,
        openWatches: 1,
        peakOpenWatches: 1,
        discovery: 2,
      },
    );
    req.destroy();
    for (let i = 0; i < 100 && sb.apiMetrics.openWatches > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(sb.apiMetrics.openWatches, 0);
  });
});
