/**
 * Fleet benchmark: one update that live-resizes N VMs (default 500), driven over gRPC by the test
 * engine with Pulumi's usual parallelism (16 resource operations at once), against the sandbox with
 * fast migrations and KubeVirt's parallelMigrationsPerCluster in force. The provider is the real plugin
 * process (bin/pulumi-resource-livevm), as the engine starts it; the sandbox runs in this process, so
 * the moment it finishes each hotplug is read from its own store, not through a watch.
 *
 * Prints: API requests (by verb) and watches the update cost, as the API server counted them;
 * requests per VM; wall time against the floor the sandbox's migration throughput allows
 * (ceil(N / parallelMigrationsPerCluster) x migration time); the provider's peak memory (VmHWM of its
 * process); how long after the sandbox finished a hotplug the provider's Update returned (p50/p99;
 * target p99 < 100 ms).
 *
 * Run: ./scripts/run node --import tsx bench/fleet.ts [--vms 500] [--parallel 16]
 *        [--migration-seconds 0.05] [--parallel-migrations 5]
 * Figures only; nothing is asserted.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { VIRTUAL_MACHINE_TOKEN } from "../provider/resources/kubevirtVirtualMachine";
import { resourceTypeOfKind } from "../sandbox/api/resources";
import { hotplugReadyKubeVirtSpec, startSandbox } from "../sandbox/index";
import { FakeEngine } from "../test/provider/fakeEngine";
import { vmInputs } from "../test/provider/support/sandboxVm";
import { TestStack } from "../test/provider/support/testStack";

interface Options {
  vms: number;
  parallel: number;
  migrationSeconds: number;
  parallelMigrations: number;
}

const FLAGS: Record<string, keyof Options> = {
  "--vms": "vms",
  "--parallel": "parallel",
  "--migration-seconds": "migrationSeconds",
  "--parallel-migrations": "parallelMigrations",
};

export function parseFleetArgs(argv: readonly string[]): Options {
  const o: Options = { vms: 500, parallel: 16, migrationSeconds: 0.05, parallelMigrations: 5 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = FLAGS[argv[i]!];
    if (!key) throw new Error(`bench/fleet.ts: unknown flag ${argv[i]} (flags: ${Object.keys(FLAGS).join(", ")})`);
    const value = Number(argv[i + 1]);
    const whole = key !== "migrationSeconds";
    if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value)))
      throw new Error(
        `bench/fleet.ts: ${argv[i]} expects a positive ${whole ? "whole " : ""}number, got ${argv[i + 1]}`,
      );
    o[key] = value;
  }
  return o;
}

function pct(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function inParallel<T>(items: readonly T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** Peak and current resident set of a process, from /proc (Linux). */
function memoryOf(pid: number): { peakMiB: number; rssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { peakMiB: kib("VmHWM") / 1024, rssMiB: kib("VmRSS") / 1024 };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux; clock ticks of 10 ms). */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main(): Promise<void> {
  const o = parseFleetArgs(process.argv.slice(2));
  const phase = (what: string): void => void process.stderr.write(`bench/fleet: ${what}\n`);
  const spec = hotplugReadyKubeVirtSpec("v1.9.0") as { configuration: Record<string, unknown> };
  spec.configuration["migrations"] = { parallelMigrationsPerCluster: o.parallelMigrations };
  const sandbox = await startSandbox({
    kubevirt: spec,
    nodes: 8,
    migrationSeconds: o.migrationSeconds,
    watchCacheSize: Math.max(20000, o.vms * 40),
  });
  const engine = await new FakeEngine().start();
  await engine.spawnPlugin();
  // the plugin's node process (the bin script execs node, so the pid is the provider's)
  const pid = engine.pluginPid;
  if (pid === undefined) throw new Error("the provider plugin did not start");
  await engine.configure({ kubeconfig: sandbox.kubeconfig, timeouts: { create: 300, update: 600, delete: 300 } });
  const stack = new TestStack(engine, VIRTUAL_MACHINE_TOKEN);
  const names = Array.from({ length: o.vms }, (_, i) => `fleet-${i}`);

  // The fleet exists already (created as kubectl would), and Pulumi imports it: creating 500 VMs through
  // the provider would measure the sandbox's VM start-up, not the update.
  phase(`creating ${o.vms} VMs in the sandbox and importing them (${o.parallel} Read calls at a time)`);
  const c0 = performance.now();
  await inParallel(names, 32, async (n) => {
    const res = await fetch(`${sandbox.url}/apis/kubevirt.io/v1/namespaces/default/virtualmachines`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiVersion: "kubevirt.io/v1", kind: "VirtualMachine", ...vmInputs(n, { sockets: 2 }) }),
    });
    if (res.status !== 201) throw new Error(`create ${n}: ${res.status} ${await res.text()}`);
  });
  const VMI = resourceTypeOfKind("VirtualMachineInstance");
  const isRunning = (n: string): boolean =>
    (sandbox.store.get(VMI, "default", n)?.["status"] as { phase?: string } | undefined)?.phase === "Running";
  while (!names.every(isRunning)) await new Promise((r) => setTimeout(r, 20));
  await inParallel(names, o.parallel, async (n) => void (await stack.import(n, `default/${n}`)));
  const createMs = performance.now() - c0;
  /** The imported inputs with 3 sockets: the program's one change. */
  const resized = (n: string): Record<string, unknown> => {
    const inputs = structuredClone(stack.state.get(n)!.inputs) as {
      spec: { template: { spec: { domain: { cpu: { sockets: number } } } } };
    };
    inputs.spec.template.spec.domain.cpu.sockets = 3;
    return inputs;
  };
  const afterCreate = memoryOf(pid);

  // When the sandbox finished each hotplug: the VMI reports the new topology and the condition cleared.
  const VMIM = resourceTypeOfKind("VirtualMachineInstanceMigration");
  const finishedAt = new Map<string, number>();
  const uidsBefore = new Map(names.map((n) => [n, sandbox.store.get(VMI, "default", n)?.metadata.uid]));
  const inFlight = new Set<string>();
  let peakRunning = 0;
  const unsubscribe = sandbox.store.subscribe((e) => {
    if (e.type === "MODIFIED" && e.object.kind === "VirtualMachineInstance") {
      const st = e.object["status"] as
        { currentCPUTopology?: { sockets?: number }; conditions?: { type: string }[] } | undefined;
      const name = e.object.metadata.name;
      if (
        !finishedAt.has(name) &&
        st?.currentCPUTopology?.sockets === 3 &&
        !(st.conditions ?? []).some((c) => c.type === "HotVCPUChange")
      )
        finishedAt.set(name, performance.now());
    }
    if (e.object.kind === "VirtualMachineInstanceMigration") {
      // migrations holding a slot: past Pending (the target pod exists), not yet final
      const phase = (e.object["status"] as { phase?: string } | undefined)?.phase ?? "";
      const name = e.object.metadata.name;
      if (e.type !== "DELETED" && !["", "Pending", "Succeeded", "Failed"].includes(phase)) inFlight.add(name);
      else inFlight.delete(name);
      peakRunning = Math.max(peakRunning, inFlight.size);
    }
  });

  phase(`live-resizing ${o.vms} VMs from 2 to 3 sockets in one update (${o.parallel} Update calls at a time)`);
  const m = sandbox.apiMetrics;
  const before = { requests: m.requests, byVerb: { ...m.byVerb }, watchesOpened: m.watchesOpened };
  m.peakOpenWatches = m.openWatches;
  const returnedAt = new Map<string, number>();
  const cpu0 = cpuSecondsOf(pid);
  const u0 = performance.now();
  await inParallel(names, o.parallel, async (n) => {
    await stack.up(n, resized(n));
    returnedAt.set(n, performance.now());
  });
  const updateMs = performance.now() - u0;
  unsubscribe();
  const mem = memoryOf(pid);
  const cpu = cpuSecondsOf(pid) - cpu0;

  const requests = m.requests - before.requests;
  const byVerb = Object.entries(m.byVerb)
    .map(([v, count]) => [v, count - (before.byVerb[v] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .map(([v, count]) => `${v} ${count}`)
    .join(", ");
  const notice = names
    .map((n) => (returnedAt.get(n) ?? NaN) - (finishedAt.get(n) ?? NaN))
    .filter((x) => Number.isFinite(x));
  const floorMs = Math.ceil(o.vms / o.parallelMigrations) * o.migrationSeconds * 1000;
  const restarted = names.filter((n) => sandbox.store.get(VMI, "default", n)?.metadata.uid !== uidsBefore.get(n));
  const migrations = sandbox.store.peekAll(VMIM).length;

  console.log(
    `fleet update: ${o.vms} VMs live-resized 2 -> 3 sockets, ${o.parallel} Update calls at a time, sandbox KubeVirt ${sandbox.kubevirtVersion} (${o.migrationSeconds * 1000} ms migrations, parallelMigrationsPerCluster ${o.parallelMigrations})`,
  );
  console.log(`  created and imported the fleet first in ${(createMs / 1000).toFixed(2)} s`);
  console.log(
    `  API requests during the update: ${requests} (${byVerb}) = ${(requests / o.vms).toFixed(2)} per VM; watches opened ${m.watchesOpened - before.watchesOpened}, open at most ${m.peakOpenWatches} (one per namespace and kind), ${m.openWatches} open now`,
  );
  console.log(
    `  wall time ${(updateMs / 1000).toFixed(2)} s against a floor of ${(floorMs / 1000).toFixed(2)} s (${o.vms} migrations, ${o.parallelMigrations} at a time, ${o.migrationSeconds * 1000} ms each): ratio ${(updateMs / floorMs).toFixed(2)}; at most ${peakRunning} migrations at once`,
  );
  console.log(
    `  sandbox finished the hotplug -> provider's Update returned: p50 ${pct(notice, 50).toFixed(1)} ms, p99 ${pct(notice, 99).toFixed(1)} ms, max ${Math.max(...notice).toFixed(1)} ms (n=${notice.length}; target p99 < 100 ms)`,
  );
  console.log(
    `  provider process memory: peak ${mem.peakMiB.toFixed(0)} MiB (VmHWM), ${afterCreate.rssMiB.toFixed(0)} MiB after the creates, ${mem.rssMiB.toFixed(0)} MiB after the update`,
  );
  console.log(
    `  provider process CPU during the update: ${cpu.toFixed(2)} s (${((cpu / (updateMs / 1000)) * 100).toFixed(0)}% of a core; ${((cpu * 1000) / o.vms).toFixed(1)} ms per VM)`,
  );
  console.log(
    `  nothing done twice: ${migrations} migrations for ${o.vms} VMs, ${restarted.length} VMs restarted (VMI UID changed)`,
  );

  await engine.stop();
  await sandbox.close();
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
