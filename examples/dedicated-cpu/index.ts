/**
 * A VM with dedicated (pinned) CPUs that gains sockets live, as KubeVirt's own e2e test does
 * (cores 2, sockets 1 -> 2, maxSockets 3). Dedicated CPUs need the CPUManager gate and nodes whose
 * kubelet runs the static CPU manager policy, labelled with the version's CPU-manager label.
 *
 *   pulumi config set kubevirtVersion v1.8.0
 *   pulumi config set --path 'nodes[0]' worker-1
 *   pulumi up
 *   pulumi config set sockets 2 && pulumi up      # live
 */
import * as pulumi from "@pulumi/pulumi";
import { CpuManagerNodes, HotplugVirtualMachine, KubeVirtLiveUpdates } from "../../components";

const config = new pulumi.Config();
const version = config.get("kubevirtVersion") ?? "v1.8.0";
const nodes = config.getObject<string[]>("nodes") ?? ["worker-1"];
const sockets = config.getNumber("sockets") ?? 1;

// One component owns the featureGates list (an atomic list in the KubeVirt CRD): the live-update
// settings enable CPUManager too, and CpuManagerNodes only labels the nodes.
const cluster = new KubeVirtLiveUpdates("cluster", { version, featureGates: ["CPUManager"] });
const pinned = new CpuManagerNodes(
  "pinned",
  { version, nodes, enableFeatureGate: false, kubeletStaticPolicy: config.getBoolean("kubeletStaticPolicy") ?? false },
  { dependsOn: [cluster] },
);

const vm = new HotplugVirtualMachine(
  "pinned-db",
  {
    version,
    metadata: { name: "pinned-db", namespace: config.get("namespace") ?? "default" },
    spec: {
      runStrategy: "Always",
      template: {
        spec: {
          domain: {
            // size through the topology only: a CPU request/limit would stop matching the vCPU count
            // after a hotplug, and KubeVirt would reject the update
            cpu: { sockets, cores: 2, threads: 1, dedicatedCpuPlacement: true },
            memory: { guest: "4Gi" },
            devices: { disks: [{ name: "root", disk: { bus: "virtio" } }] },
          },
          volumes: [{ name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:41" } }],
        },
      },
    },
    maxSockets: 3,
    cluster: cluster.settings,
    guestReadiness: { cpu: true, memory: true },
  },
  { dependsOn: [pinned] },
);

export const cpuManagerLabel = pinned.labelKey;
export const kubeletConfiguration = pinned.kubeletConfiguration;
export const vcpus = vm.vcpus;
export const currentCpuTopology = vm.vm.currentCpuTopology;
