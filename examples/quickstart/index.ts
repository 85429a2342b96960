/**
 * livevm quickstart: turn on live updates in the cluster, run a VM with hotplug headroom, then change
 * `sockets` or `memory` in the stack configuration and `pulumi up` again: the running VM grows in place
 * (CPU and memory hotplug through a live migration) instead of being restarted or replaced.
 *
 *   pulumi config set kubevirtVersion v1.9.0     # your cluster's status.observedKubeVirtVersion
 *   pulumi up
 *   pulumi config set sockets 4 && pulumi up     # live: the preview says so, and up waits for the guest
 */
import * as pulumi from "@pulumi/pulumi";
import { HotplugVirtualMachine, KubeVirtLiveUpdates } from "../../components";

const config = new pulumi.Config();
const version = config.get("kubevirtVersion") ?? "v1.9.0";
const namespace = config.get("namespace") ?? "default";
const sockets = config.getNumber("sockets") ?? 2;
const memory = config.get("memory") ?? "2Gi";

// The KubeVirt CR settings this version needs for CPU and memory hotplug (gate, rollout strategy,
// LiveMigrate), with cluster-wide maxima. Gates and methods others set are kept.
const cluster = new KubeVirtLiveUpdates("cluster", { version, maxCpuSockets: 16, maxGuest: "32Gi" });

// A VM with explicit headroom (maxSockets, maxGuest from the cluster settings) and a guest that onlines
// what is hot-plugged.
const vm = new HotplugVirtualMachine(
  "web",
  {
    version,
    metadata: { name: "web", namespace },
    spec: {
      runStrategy: "Always",
      template: {
        spec: {
          domain: {
            cpu: { sockets, cores: 1, threads: 1 },
            memory: { guest: memory },
            devices: { disks: [{ name: "root", disk: { bus: "virtio" } }] },
          },
          volumes: [{ name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:41" } }],
        },
      },
    },
    cluster: cluster.settings,
    guestReadiness: true,
    onRestartRequired: "warn",
  },
  { dependsOn: [cluster] },
);

export const clusterSettings = cluster.settings;
export const maxSockets = vm.maxSockets;
export const maxGuest = vm.maxGuest;
export const vcpus = vm.vcpus;
export const restartRequired = vm.restartRequired;
export const currentCpuTopology = vm.vm.currentCpuTopology;
export const lastPlan = vm.vm.lastPlan;
