/**
 * Provider benchmark against the sandbox, driven over gRPC by the test engine:
 * - Diff latency for a live change (reads the VM, VMI and KubeVirt CR, plans with core), against a
 *   baseline measured in the same run: Diff of unchanged inputs (no cluster reads, no planning);
 * - API requests and watches per live update (target: at most 4 requests and one watch), one VM at a time;
 * - a fleet update of many VMs at once: total requests and watches, requests per VM, wall time against
 *   the floor the sandbox's migration throughput allows, how long after the VMI reached its target the
 *   update returned (p50/p99), and the process's peak memory.
 *
 * Run: ./scripts/run node --import tsx bench/provider.ts [fleetSize=100] [migrationSeconds=0.5]
 * Figures only; nothing is asserted.
 */
import { performance } from "node:perf_hooks";
import { planVirtualMachineUpdate } from "../core/kubevirt/planner";
import type { ProviderConfig } from "../provider/config";
import { createKubeClient } from "../provider/kubernetes/client";
import { VIRTUAL_MACHINE_INSTANCE } from "../provider/kubernetes/kinds";
import { resolveClusterAccess } from "../provider/kubernetes/kubeconfig";
import { createWatchCache } from "../provider/kubernetes/watchCache";
import { connectKubeVirtCluster, type KubeVirtCluster } from "../provider/kubevirt/cluster";
import { DEFAULT_CONFIG } from "../provider/config";
import { createVirtualMachineHandler, VIRTUAL_MACHINE_TOKEN } from "../provider/resources/kubevirtVirtualMachine";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeEngine } from "../test/provider/fakeEngine";
import { vmInputs } from "../test/provider/support/sandboxVm";
import { TestStack } from "../test/provider/support/testStack";

const FLEET = Number(process.argv[2] ?? 100);
const MIGRATION_SECONDS = Number(process.argv[3] ?? 0.5);
const SINGLE = 10;

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const ms = (v: number): string => `${v.toFixed(1)} ms`;

async function inBatches<T>(items: T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The sandbox in its own process (as `livevm sandbox`), so its controllers do not share our event loop. */
async function startSandboxProcess(): Promise<{ kubeconfig: string; version: string; child: ChildProcess }> {
  const kubeconfigPath = join(mkdtempSync(join(tmpdir(), "livevm-bench-")), "kubeconfig");
  const bin = join(__dirname, "..", "bin", "livevm");
  const args = [
    "sandbox",
    "--hotplug-ready",
    "--nodes",
    "8",
    "--migration-seconds",
    String(MIGRATION_SECONDS),
    "--kubeconfig",
    kubeconfigPath,
  ];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "inherit"] });
  const banner = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("press Ctrl-C")) resolve(out);
    });
    child.on("exit", (code) => reject(new Error(`livevm sandbox exited with ${code}: ${out}`)));
  });
  return {
    kubeconfig: readFileSync(kubeconfigPath, "utf8"),
    version: /KubeVirt (v[\d.]+)/.exec(banner)?.[1] ?? "?",
    child,
  };
}

async function main(): Promise<void> {
  const sandbox = await startSandboxProcess();
  process.on("exit", () => sandbox.child.kill("SIGTERM"));
  let cluster: KubeVirtCluster | undefined;
  const handler = createVirtualMachineHandler({
    planner: (i) => planVirtualMachineUpdate(i),
    cluster: async (config: ProviderConfig) => (cluster ??= await connectKubeVirtCluster(config)),
  });
  const engine = await new FakeEngine().start();
  await engine.startInProcess([handler]);
  await engine.configure({ kubeconfig: sandbox.kubeconfig, timeouts: { create: 120, update: 600, delete: 120 } });
  const stack = new TestStack(engine, VIRTUAL_MACHINE_TOKEN);

  // An independent observer: when did each VMI reach its target, as the cluster says it?
  const observer = await createKubeClient(
    await resolveClusterAccess({ ...DEFAULT_CONFIG, kubeconfig: sandbox.kubeconfig }),
  );
  const observerCache = createWatchCache(observer);
  const reachedAt = new Map<string, number>();
  const target = new Map<string, number>();
  await observerCache.subscribe(VIRTUAL_MACHINE_INSTANCE, "default", { label: "bench", value: "yes" }, () => undefined);

  const names = Array.from({ length: Math.max(FLEET, SINGLE) }, (_, i) => `bench-${i}`);
  const labelled = (name: string, sockets: number) => {
    const v = vmInputs(name, { sockets });
    (v.spec["template"] as { metadata?: unknown }).metadata = { labels: { bench: "yes" } };
    return v;
  };
  const phase = (what: string): void => void process.stderr.write(`bench: ${what}\n`);
  phase(`creating ${names.length} VMs`);
  const t0 = performance.now();
  await inBatches(names, 20, async (n) => void (await stack.up(n, labelled(n, 2))));
  const createMs = performance.now() - t0;
  const c = cluster!;

  phase("measuring Diff");
  // Diff latency: a live change versus unchanged inputs.
  const live: number[] = [];
  const base: number[] = [];
  for (const n of names.slice(0, SINGLE)) {
    const s = stack.state.get(n)!;
    const checked = (await engine.check(stack.urn(n), s.inputs, labelled(n, 3))).inputs;
    let t = performance.now();
    await engine.diff(stack.urn(n), s.id, s.outputs, checked, s.inputs);
    live.push(performance.now() - t);
    t = performance.now();
    await engine.diff(stack.urn(n), s.id, s.outputs, s.inputs, s.inputs);
    base.push(performance.now() - t);
  }

  phase("live updates one at a time");
  // One live update at a time: API requests and watches it costs.
  const perUpdate: { requests: number; watches: number; ms: number }[] = [];
  for (const n of names.slice(0, SINGLE)) {
    const r0 = c.client.metrics.requests;
    const w0 = c.client.metrics.watchesOpened;
    const t = performance.now();
    await stack.up(n, labelled(n, 3));
    perUpdate.push({
      requests: c.client.metrics.requests - r0,
      watches: c.client.metrics.watchesOpened - w0,
      ms: performance.now() - t,
    });
  }

  phase(`fleet update of ${FLEET} VMs`);
  // The fleet: every VM resized in one update, Pulumi-style parallelism.
  const sub = await observerCache.subscribe(
    VIRTUAL_MACHINE_INSTANCE,
    "default",
    { label: "bench", value: "yes" },
    (e) => {
      const name = e.object.metadata?.name ?? "";
      const want = target.get(name);
      const st = e.object["status"] as
        { currentCPUTopology?: { sockets?: number }; conditions?: { type: string }[] } | undefined;
      if (
        want !== undefined &&
        !reachedAt.has(name) &&
        st?.currentCPUTopology?.sockets === want &&
        !(st.conditions ?? []).some((x) => x.type === "HotVCPUChange")
      )
        reachedAt.set(name, performance.now());
    },
  );
  const fleet = names.slice(0, FLEET);
  for (const n of fleet) target.set(n, 4);
  const r0 = c.client.metrics.requests;
  const w0 = c.client.metrics.watchesOpened;
  const returnedAt = new Map<string, number>();
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const f0 = performance.now();
  await inBatches(fleet, 64, async (n) => {
    await stack.up(n, labelled(n, 4));
    returnedAt.set(n, performance.now());
  });
  const fleetMs = performance.now() - f0;
  clearInterval(rssTimer);
  sub.unsubscribe();
  const notice = fleet
    .map((n) => (returnedAt.get(n) ?? NaN) - (reachedAt.get(n) ?? NaN))
    .filter((x) => Number.isFinite(x));
  const parallelMigrations = 5; // KubeVirt's default parallelMigrationsPerCluster
  const floorMs = Math.ceil(fleet.length / parallelMigrations) * MIGRATION_SECONDS * 1000;
  const fleetRequests = c.client.metrics.requests - r0;

  const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    `provider benchmark (sandbox KubeVirt ${sandbox.version} in its own process, migrations take ${MIGRATION_SECONDS}s)`,
  );
  console.log(`  created ${names.length} VMs in ${(createMs / 1000).toFixed(2)} s`);
  console.log(
    `  Diff with a live change: p50 ${ms(pct(live, 50))}, p95 ${ms(pct(live, 95))}; baseline Diff of unchanged inputs p50 ${ms(pct(base, 50))} (ratio ${(pct(live, 50) / pct(base, 50)).toFixed(1)}x)`,
  );
  console.log(
    `  one live update at a time (${SINGLE} VMs): ${avg(perUpdate.map((p) => p.requests)).toFixed(1)} API requests and ${avg(perUpdate.map((p) => p.watches)).toFixed(1)} new watches per update (target <= 4 and <= 1), ${ms(avg(perUpdate.map((p) => p.ms)))} each, of which the migration alone takes ${MIGRATION_SECONDS * 1000} ms`,
  );
  console.log(
    `  fleet of ${fleet.length} VMs resized at once: ${fleetRequests} API requests (${(fleetRequests / fleet.length).toFixed(2)} per VM), ${c.client.metrics.watchesOpened - w0} watches opened, ${c.client.metrics.openWatches} open in total, ${c.client.metrics.retries} retries, peak ${c.client.limiter.peak} requests in flight`,
  );
  console.log(
    `  fleet wall time ${(fleetMs / 1000).toFixed(2)} s against a floor of ${(floorMs / 1000).toFixed(2)} s (${fleet.length} migrations, ${parallelMigrations} at a time, ${MIGRATION_SECONDS}s each): ratio ${(fleetMs / floorMs).toFixed(2)}`,
  );
  console.log(
    `  VMI at target -> Update returned: p50 ${ms(pct(notice, 50))}, p99 ${ms(pct(notice, 99))} (n=${notice.length})`,
  );
  console.log(`  peak RSS of the provider process (with the test engine): ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);

  observerCache.close();
  observer.close();
  c.close();
  await engine.stop();
  sandbox.child.kill("SIGTERM");
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
