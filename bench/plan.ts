/**
 * livevm plan on 10,000 VM pairs (one file per VM on each side), against the baseline of just parsing
 * the same YAML with the `yaml` package in the same run. Prints wall times and the ratio.
 *
 *   ./scripts/run node --import tsx bench/plan.ts [pairs]
 *
 * Targets (issue 3): plan under 2 s, ratio under 1.5.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadAndPlan } from "../cli/plan/runPlan";
import { parsePlanArguments } from "../cli/plan/planArguments";
import { renderJson } from "../cli/plan/renderJson";
import { planVirtualMachineUpdate } from "../core/kubevirt/planner";

const PAIRS = Number(process.argv[2] ?? 10_000);

function vm(i: number, side: "before" | "after"): string {
  const change = i % 4; // 0: sockets (live), 1: cores (restart), 2: label only (none), 3: unchanged
  const sockets = side === "after" && change === 0 ? 4 : 2;
  const cores = side === "after" && change === 1 ? 2 : 1;
  const release = side === "after" && change === 2 ? "2026.11" : "2026.10";
  const status =
    side === "before"
      ? `status:
  created: true
  ready: true
  printableStatus: Running
  observedGeneration: 3
  conditions:
    - type: Ready
      status: "True"
      lastTransitionTime: "2026-10-02T09:15:10Z"
    - type: LiveMigratable
      status: "True"
`
      : "";
  const meta =
    side === "before"
      ? `  uid: 00000000-0000-4000-8000-${String(i).padStart(12, "0")}
  generation: 3
  resourceVersion: "${100000 + i}"
  creationTimestamp: "2026-10-02T09:14:00Z"
`
      : "";
  return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm-${i}
  namespace: team-${i % 20}
${meta}  labels:
    app: vm-${i}
spec:
  runStrategy: Always
  template:
    metadata:
      labels:
        kubevirt.io/domain: vm-${i}
        release: "${release}"
    spec:
      architecture: amd64
      domain:
        cpu:
          sockets: ${sockets}
          cores: ${cores}
          threads: 1
        memory:
          guest: 4Gi
        devices:
          disks:
            - name: rootdisk
              disk:
                bus: virtio
            - name: cloudinit
              disk:
                bus: virtio
          interfaces:
            - name: default
              masquerade: {}
      networks:
        - name: default
          pod: {}
      volumes:
        - name: rootdisk
          containerDisk:
            image: quay.io/containerdisks/fedora:41
        - name: cloudinit
          cloudInitNoCloud:
            userData: |
              #cloud-config
              hostname: vm-${i}
              ssh_authorized_keys:
                - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBench bench@example.com
${status}`;
}

function timeIt<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "livevm-bench-plan-"));
  try {
    for (const side of ["before", "after"] as const) {
      mkdirSync(join(dir, side));
      for (let i = 0; i < PAIRS; i++) writeFileSync(join(dir, side, `vm-${i}.yaml`), vm(i, side));
    }
    const files = ["before", "after"].flatMap((side) => readdirSync(join(dir, side)).map((f) => join(dir, side, f)));
    const args = parsePlanArguments([
      "--before",
      join(dir, "before"),
      "--after",
      join(dir, "after"),
      "--kubevirt-version",
      "1.9.0",
      "-o",
      "json",
    ]);
    const plan = (input: Parameters<typeof planVirtualMachineUpdate>[0]) => planVirtualMachineUpdate(input);

    const texts = files.map((f) => readFileSync(f, "utf8"));
    const baseline = (subset = texts): number => {
      const [docs, ms] = timeIt(() => subset.map((t) => parseAllDocuments(t).map((d) => d.toJS())).length);
      if (docs !== subset.length) throw new Error("baseline parsed the wrong number of files");
      return ms;
    };
    const livevm = async (): Promise<{ ms: number; cpuMs: number; vms: number; worst: string }> => {
      const start = performance.now();
      const cpu = process.cpuUsage();
      const report = await loadAndPlan(args, plan, dir);
      const json = renderJson(report);
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      if (!json.length) throw new Error("empty output");
      return { ms, cpuMs: (used.user + used.system) / 1000, vms: report.summary.vms, worst: report.summary.worst };
    };

    // Warm both paths (JIT), then measure: the yaml baseline once (it is the slow one), livevm twice, best kept.
    baseline(texts.slice(0, 1000));
    await livevm();
    const base = baseline();
    const runs = [await livevm(), await livevm()];
    const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
    const mb = files.reduce((n, f) => n + readFileSync(f).length, 0) / 1e6;
    console.log(`livevm plan bench: ${PAIRS} VM pairs, ${files.length} files, ${mb.toFixed(1)} MB of YAML`);
    console.log(`  yaml package parse only (texts in memory): ${base.toFixed(0)} ms`);
    console.log(
      `  livevm plan (read + parse + validate + plan ${best.vms} VMs + JSON): ${best.ms.toFixed(0)} ms  (target < 2000 ms)`,
    );
    console.log(
      `  livevm CPU time (user + system): ${best.cpuMs.toFixed(0)} ms; machine load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
    );
    console.log(`  ratio livevm / yaml parse: ${(best.ms / base).toFixed(2)}  (target < 1.5)`);
    console.log(`  worst outcome: ${best.worst}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
