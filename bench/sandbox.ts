/**
 * Sandbox benchmark: 1,000 VMs and 50 open watches. Prints request throughput and p50/p99 latency per
 * phase (create, get, list, patch with hotplug), watch events delivered, and a baseline: the same GET
 * load against a bare node:http server that returns a fixed JSON body, measured in the same run.
 *
 *   ./scripts/run node --import tsx bench/sandbox.ts [--vms 1000] [--watches 50] [--concurrency 32]
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { startSandbox } from "../sandbox/index";
import { T } from "../sandbox/kubevirt/context";

const { values } = parseArgs({
  options: {
    vms: { type: "string", default: "1000" },
    watches: { type: "string", default: "50" },
    concurrency: { type: "string", default: "32" },
  },
});
const VMS = Number(values.vms);
const WATCHES = Number(values.watches);
const CONCURRENCY = Number(values.concurrency);
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  type = "application/json",
): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      base + path,
      { method, agent, headers: data ? { "content-type": type, "content-length": Buffer.byteLength(data) } : {} },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    if (data) req.write(data);
    req.end();
  });
}

interface PhaseResult {
  name: string;
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
}

async function phase(name: string, n: number, make: (i: number) => Promise<number>): Promise<PhaseResult> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        const s = process.hrtime.bigint();
        const code = await make(i);
        latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
        if (code >= 400) errors++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  return { name, requests: n, seconds, p50: q(0.5), p99: q(0.99), errors };
}

function vm(i: number): Record<string, unknown> {
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata: { name: `vm-${i}`, labels: { shard: String(i % WATCHES) } },
    spec: {
      runStrategy: "Always",
      template: {
        spec: { domain: { cpu: { sockets: 1, cores: 1, threads: 1 }, memory: { guest: "2Gi" }, devices: {} } },
      },
    },
  };
}

async function main(): Promise<void> {
  const sb = await startSandbox({
    migrationSeconds: 0.05,
    nodes: 10,
    kubevirt: {
      workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate"] },
      configuration: { migrations: { parallelMigrationsPerCluster: 50 } },
    },
  });
  const NS = "/apis/kubevirt.io/v1/namespaces/default";
  let events = 0;
  const watches: http.ClientRequest[] = [];
  for (let w = 0; w < WATCHES; w++) {
    const kind = w % 2 === 0 ? "virtualmachines" : "virtualmachineinstances";
    const selector = w % 5 === 0 ? "" : `&labelSelector=shard%3D${w}`;
    const req = http.get(`${sb.url}${NS}/${kind}?watch=true${selector}`, (res) => {
      res.on("data", (d: Buffer) => {
        for (const b of d) if (b === 10) events++;
      });
    });
    req.on("error", () => {});
    watches.push(req);
  }
  const results: PhaseResult[] = [];
  results.push(await phase("create VM", VMS, (i) => request(sb.url, "POST", `${NS}/virtualmachines`, vm(i))));
  results.push(await phase("get VM", VMS * 5, (i) => request(sb.url, "GET", `${NS}/virtualmachines/vm-${i % VMS}`)));
  results.push(await phase("list VMs (1,000)", 50, () => request(sb.url, "GET", `${NS}/virtualmachines`)));
  results.push(
    await phase("list by label", 500, (i) =>
      request(sb.url, "GET", `${NS}/virtualmachineinstances?labelSelector=shard%3D${i % WATCHES}`),
    ),
  );
  results.push(
    await phase("patch sockets+memory", VMS, (i) =>
      request(
        sb.url,
        "PATCH",
        `${NS}/virtualmachines/vm-${i}`,
        { spec: { template: { spec: { domain: { cpu: { sockets: 2 }, memory: { guest: "3Gi" } } } } } },
        "application/merge-patch+json",
      ),
    ),
  );
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    const check = () => {
      const done = sb.store
        .peekAll(T.vmi)
        .filter(
          (v) => (v.status as { currentCPUTopology?: { sockets?: number } }).currentCPUTopology?.sockets === 2,
        ).length;
      if (done >= VMS) resolve();
      else setTimeout(check, 20);
    };
    check();
  });
  const hotplugSeconds = (Date.now() - t0) / 1000;

  // baseline: the same GET load against a bare node:http JSON server
  const body = JSON.stringify(vm(0));
  const bare = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, "127.0.0.1", () => r()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  const baseline = await phase("baseline GET (bare node:http)", VMS * 5, () => request(bareUrl, "GET", "/"));

  for (const w of watches) w.destroy();
  bare.close();
  await sb.close();
  agent.destroy();

  const row = (r: PhaseResult) =>
    `${r.name.padEnd(32)} ${String(r.requests).padStart(6)} req  ${(r.requests / r.seconds).toFixed(0).padStart(7)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  errors ${r.errors}`;
  console.log(`sandbox benchmark: ${VMS} VMs, ${WATCHES} open watches, concurrency ${CONCURRENCY}`);
  for (const r of results) console.log(row(r));
  console.log(row(baseline));
  const get = results.find((r) => r.name === "get VM")!;
  console.log(
    `GET throughput vs bare node:http: ${(get.requests / get.seconds / (baseline.requests / baseline.seconds)).toFixed(2)}x`,
  );
  console.log(
    `all ${VMS} hotplugs (VMI patch + workload-update migration) completed ${hotplugSeconds.toFixed(2)} s after the last patch`,
  );
  console.log(`watch events delivered: ${events}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
