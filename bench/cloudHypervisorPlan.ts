/**
 * Cloud Hypervisor planner and API benchmark.
 *
 * 1. Plans 10,000 VmConfig updates (vCPU, ACPI and virtio-mem memory, balloon and device edits) and prints
 *    the time per plan against a baseline measured in the same run: structuredClone of the same configs.
 * 2. Sends 500 vm.resize requests through the client to the sandbox on a Unix socket and prints the
 *    round trip per request (one connection per request, as the client does).
 *
 * Run: ./scripts/run node --import tsx bench/cloudHypervisorPlan.ts [count]
 * Target: < 50 µs per plan; a resize round trip under 5 ms. Figures only; nothing is asserted.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { planCloudHypervisorUpdate } from "../core/cloudhypervisor/planner";
import { parseVmConfig, type VmConfig } from "../core/cloudhypervisor/schema";
import { CloudHypervisorClient } from "../provider/cloudhypervisor/client";
import { startCloudHypervisorSandbox } from "../sandbox/cloudHypervisor";

const COUNT = Number(process.argv[2] ?? 10_000);

function vm(i: number, vcpus: number, memory: string, virtio: boolean, disks: number): VmConfig {
  return parseVmConfig(
    {
      payload: { kernel: "/vmlinux", cmdline: "console=ttyS0" },
      cpus: { boot_vcpus: vcpus, max_vcpus: 16 },
      memory: virtio
        ? { size: "1G", hotplug_size: "8G", hotplug_method: "VirtioMem", hotplugged_size: memory }
        : { size: memory, hotplug_size: "8G" },
      balloon: { id: "balloon0", size: (i % 4) * 64 * 2 ** 20 },
      disks: Array.from({ length: disks }, (_, d) => ({ id: `disk${d}`, path: `/img/${i}-${d}.raw` })),
      net: [{ id: "net0", tap: `tap${i}` }],
    },
    `vm ${i}`,
  );
}

const pairs: { before: VmConfig; after: VmConfig }[] = [];
for (let i = 0; i < COUNT; i++) {
  const virtio = i % 2 === 1;
  const before = vm(i, 2, virtio ? "512M" : "2G", virtio, 2);
  const after = vm(i, 2 + (i % 5), virtio ? `${(i % 8) * 128}M` : `${2048 + (i % 6) * 128}M`, virtio, 2 + (i % 3));
  pairs.push({ before, after });
}

function time(label: string, run: () => void): number {
  for (let i = 0; i < 2; i++) run(); // warm up
  const start = performance.now();
  run();
  const ms = performance.now() - start;
  process.stdout.write(`${label}: ${((ms * 1000) / COUNT).toFixed(2)} µs per VM (${ms.toFixed(1)} ms for ${COUNT})\n`);
  return ms;
}

async function main(): Promise<void> {
  const baseline = time("baseline structuredClone(before, after)", () => {
    for (const p of pairs) structuredClone(p);
  });
  const planned = time("planCloudHypervisorUpdate", () => {
    for (const p of pairs) planCloudHypervisorUpdate({ before: p.before, after: p.after });
  });
  process.stdout.write(`ratio plan / baseline: ${(planned / baseline).toFixed(2)}\n`);

  const dir = mkdtempSync(join(tmpdir(), "lvchbench-"));
  const sandbox = await startCloudHypervisorSandbox({
    socketPath: join(dir, "api.sock"),
    vm: { config: { payload: { kernel: "/k" }, cpus: { boot_vcpus: 1, max_vcpus: 2 }, memory: { size: 1 << 30 } } },
  });
  try {
    const client = new CloudHypervisorClient({ socketPath: sandbox.socketPath });
    const requests = 500;
    for (let i = 0; i < 20; i++) await client.resize({ desiredVcpus: 1 + (i % 2) });
    const start = performance.now();
    for (let i = 0; i < requests; i++) await client.resize({ desiredVcpus: 1 + (i % 2) });
    const ms = performance.now() - start;
    process.stdout.write(
      `vm.resize round trip over the Unix socket: ${((ms * 1000) / requests).toFixed(0)} µs per request\n`,
    );
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
