/**
 * Planner benchmark: plans 10,000 VirtualMachine updates (a mix of everyday edits on running VMs across
 * KubeVirt versions, with and without a given VMI) and prints the time per plan, against a baseline measured in
 * the same run: structuredClone of the same before/after/VMI objects.
 *
 * Run: ./scripts/run node --import tsx bench/planner.ts [count]
 * Target: < 20 µs per plan. Figures only; nothing is asserted.
 */
import { performance } from "node:perf_hooks";
import type { PlanInput } from "../core/kubevirt/plan";
import { planVirtualMachineUpdate } from "../core/kubevirt/planner";
import type { KubeVirt, VirtualMachine, VirtualMachineInstance } from "../core/kubevirt/schema";

const COUNT = Number(process.argv[2] ?? 10_000);
const VERSIONS = ["v1.1.1", "v1.2.2", "v1.3.1", "v1.4.1", "v1.5.3", "v1.6.4", "v1.7.1", "v1.8.0", "v1.9.0"];

function makeVm(i: number, sockets: number, guest: string, extra: Record<string, unknown> = {}): VirtualMachine {
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata: { name: `vm-${i}`, namespace: "bench", labels: { app: "web", tier: String(i % 3) } },
    spec: {
      runStrategy: "Always",
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          domain: {
            cpu: { sockets, cores: 2, threads: 1 },
            memory: { guest },
            resources: { requests: { memory: guest } },
            devices: {
              disks: [
                { name: "root", disk: { bus: "virtio" } },
                { name: "cloudinit", disk: { bus: "virtio" } },
              ],
              interfaces: [{ name: "default", masquerade: {} }],
            },
          },
          networks: [{ name: "default", pod: {} }],
          volumes: [
            { name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:41" } },
            { name: "cloudinit", cloudInitNoCloud: { userData: "#cloud-config\n" } },
          ],
          nodeSelector: { "kubernetes.io/os": "linux" },
          ...extra,
        },
      },
    },
    status: { printableStatus: "Running", ready: true, created: true },
  } as VirtualMachine;
}

function makeVmi(vm: VirtualMachine, maxSockets: number, maxGuest: string): VirtualMachineInstance {
  const spec = structuredClone(vm.spec.template.spec!);
  spec.architecture = "amd64";
  spec.domain!.cpu!.maxSockets = maxSockets;
  spec.domain!.memory!.maxGuest = maxGuest;
  const guest = spec.domain!.memory!.guest!;
  return {
    metadata: { name: vm.metadata!.name, namespace: "bench" },
    spec,
    status: {
      phase: "Running",
      conditions: [
        { type: "Ready", status: "True" },
        { type: "LiveMigratable", status: "True" },
      ],
      currentCPUTopology: { sockets: spec.domain!.cpu!.sockets, cores: 2, threads: 1 },
      memory: { guestAtBoot: guest, guestCurrent: guest, guestRequested: guest },
    },
  } as VirtualMachineInstance;
}

function makeKubeVirt(version: string): KubeVirt {
  const minor = Number(version.split(".")[1]);
  return {
    spec: {
      configuration: {
        ...(minor >= 2 ? { vmRolloutStrategy: "LiveUpdate" } : {}),
        developerConfiguration: { featureGates: minor <= 4 ? ["VMLiveUpdateFeatures"] : [] },
      },
      workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate"] },
    },
    status: { observedKubeVirtVersion: version },
  } as KubeVirt;
}

function makeInputs(n: number): PlanInput[] {
  const inputs: PlanInput[] = [];
  for (let i = 0; i < n; i++) {
    const version = VERSIONS[i % VERSIONS.length]!;
    const before = makeVm(i, 2, "4Gi");
    let after: VirtualMachine;
    switch (i % 6) {
      case 0:
        after = makeVm(i, 4, "4Gi"); // CPU hotplug
        break;
      case 1:
        after = makeVm(i, 2, "8Gi"); // memory hotplug
        break;
      case 2:
        after = makeVm(i, 4, "8Gi", { hostname: "renamed" }); // mixed: restart + steps
        break;
      case 3:
        after = makeVm(i, 2, "4Gi", { nodeSelector: { "kubernetes.io/os": "linux", zone: "b" } });
        break;
      case 4:
        after = makeVm(i, 2, "4Gi", { tolerations: [{ key: "dedicated", operator: "Exists" }] });
        break;
      default:
        after = makeVm(i, 3, "4Gi");
        after.spec.template.metadata = { labels: { app: "web", rev: String(i) } };
    }
    const withVmi = i % 2 === 0;
    inputs.push({
      before,
      after,
      kubevirt: makeKubeVirt(version),
      ...(withVmi ? { vmi: makeVmi(before, 8, "16Gi") } : {}),
    });
  }
  return inputs;
}

function time(label: string, inputs: readonly PlanInput[], fn: (input: PlanInput) => unknown): number {
  // warm-up, then the measured pass
  for (let i = 0; i < Math.min(1000, inputs.length); i++) fn(inputs[i]!);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let sink = 0;
  for (const input of inputs) sink += fn(input) ? 1 : 0;
  const cpu = process.cpuUsage(cpuStart);
  const ms = performance.now() - start;
  const perItem = (ms * 1000) / inputs.length;
  // CPU time (user + system) is less disturbed than wall time when the machine is busy
  const cpuPerItem = (cpu.user + cpu.system) / inputs.length;
  console.log(
    `${label.padEnd(44)} ${String(inputs.length).padStart(5)} in ${ms.toFixed(1)} ms: ${perItem.toFixed(2)} µs wall, ${cpuPerItem.toFixed(2)} µs CPU each (${sink})`,
  );
  return cpuPerItem;
}

const inputs = makeInputs(COUNT);
const outcomes = new Map<string, number>();
for (const input of inputs) {
  const o = planVirtualMachineUpdate(input).outcome;
  outcomes.set(o, (outcomes.get(o) ?? 0) + 1);
}
console.log(`planner benchmark: ${COUNT} VM updates over ${VERSIONS.join(", ")}; half with a VMI, half predicted`);
console.log(`outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(", ")}`);
const baseline = time("baseline: structuredClone(before, after, vmi)", inputs, (input) =>
  structuredClone([input.before, input.after, input.vmi]),
);
const plan = time("planVirtualMachineUpdate", inputs, (input) => planVirtualMachineUpdate(input));
const noAdmission = { admit: () => [] };
time("  without the admission model", inputs, (input) => planVirtualMachineUpdate(input, noAdmission));
const withVmi = inputs.filter((x) => x.vmi);
const predicted = inputs.filter((x) => !x.vmi);
time("  with a VMI", withVmi, (input) => planVirtualMachineUpdate(input));
time("  predicted (VMI derived from before)", predicted, (input) => planVirtualMachineUpdate(input));
console.log(
  `per plan: ${plan.toFixed(2)} µs CPU (target < 20 µs); ratio to baseline: ${(plan / baseline).toFixed(2)}x`,
);
