/**
 * KubeVirt v1.0/v1.1: live updates are switched on per VM with `spec.liveUpdateFeatures` (removed in
 * v1.2) and the VMLiveUpdateFeatures gate; there is no vmRolloutStrategy. v1.1 adds memory hotplug and
 * the cluster's maxGuest and maxHotplugRatio. HotplugVirtualMachine writes the v1.1 shape for you; the
 * second VM shows the same API written by hand with the plain livevm VirtualMachine.
 *
 *   pulumi config set kubevirtVersion v1.1.1
 *   pulumi up
 *   pulumi config set sockets 3 && pulumi up     # live
 */
import * as pulumi from "@pulumi/pulumi";
import * as livevm from "../../sdk";
import { HotplugVirtualMachine, KubeVirtLiveUpdates } from "../../components";

const config = new pulumi.Config();
const version = config.get("kubevirtVersion") ?? "v1.1.1";
const namespace = config.get("namespace") ?? "default";
const sockets = config.getNumber("sockets") ?? 2;

// v1.1: the VMLiveUpdateFeatures gate, LiveMigrate, and the cluster maxima (maxGuest and the ratio exist from v1.1)
const cluster = new KubeVirtLiveUpdates("cluster", { version, maxCpuSockets: 8, maxGuest: "16Gi", maxHotplugRatio: 4 });

// HotplugVirtualMachine puts the headroom in spec.liveUpdateFeatures (a template maxSockets/maxGuest
// is rejected by v1.0/v1.1) and refuses CPU requests/limits, which v1.1 rejects with live updates.
const app = new HotplugVirtualMachine(
  "app",
  {
    version,
    metadata: { name: "app", namespace },
    spec: {
      runStrategy: "Always",
      template: {
        spec: {
          domain: {
            cpu: { sockets, cores: 1, threads: 1 },
            memory: { guest: "2Gi" },
            devices: { disks: [{ name: "root", disk: { bus: "virtio" } }] },
          },
          volumes: [{ name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:39" } }],
        },
      },
    },
    cluster: cluster.settings,
  },
  { dependsOn: [cluster] },
);

// The same v1.1 API by hand: liveUpdateFeatures.cpu/memory with the maxima, no template maxSockets.
const legacy = new livevm.kubevirt.VirtualMachine(
  "legacy",
  {
    metadata: { name: "legacy", namespace },
    spec: {
      runStrategy: "Always",
      liveUpdateFeatures: { cpu: { maxSockets: 4 }, memory: { maxGuest: "8Gi" } },
      template: {
        spec: {
          domain: {
            cpu: { sockets: 1, cores: 2, threads: 1 },
            memory: { guest: "2Gi" },
            devices: { disks: [{ name: "root", disk: { bus: "virtio" } }] },
          },
          volumes: [{ name: "root", containerDisk: { image: "quay.io/containerdisks/fedora:39" } }],
        },
      },
    },
    onRestartRequired: "warn",
  },
  { dependsOn: [cluster] },
);

export const appLiveUpdateFeatures = app.spec.apply((spec) => spec.liveUpdateFeatures);
export const appVcpus = app.vcpus;
export const legacyTopology = legacy.currentCpuTopology;
export const legacyLastPlan = legacy.lastPlan;
