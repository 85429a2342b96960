/** Small builders for the objects doctor reads: a KubeVirt CR, nodes, VMs and VMIs. */

import { type ClusterSnapshot, type NodeInfo, type VmSnapshot } from "../../../cli/doctor/clusterSnapshot";
import { type KubeVirt } from "../../../core/kubevirt/schema/kubeVirt";
import { type VirtualMachine } from "../../../core/kubevirt/schema/virtualMachine";
import { type VirtualMachineInstance } from "../../../core/kubevirt/schema/virtualMachineInstance";

export function kubeVirtCr(
  version: string,
  config: Record<string, unknown> = {},
  methods: string[] = ["LiveMigrate"],
): KubeVirt {
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "KubeVirt",
    metadata: { name: "kubevirt", namespace: "kubevirt" },
    spec: {
      configuration: config,
      workloadUpdateStrategy: { workloadUpdateMethods: methods as ("LiveMigrate" | "Evict")[] },
    },
    status: { observedKubeVirtVersion: version, phase: "Deployed" },
  } as KubeVirt;
}

export function node(name: string, labels: Record<string, string> = {}, extra: Partial<NodeInfo> = {}): NodeInfo {
  return {
    name,
    labels: { "kubevirt.io/schedulable": "true", ...labels },
    unschedulable: false,
    ready: true,
    ...extra,
  };
}

export interface VmOptions {
  sockets?: number;
  maxSockets?: number;
  guest?: string;
  maxGuest?: string;
  dedicated?: boolean;
  vmConditions?: Array<{ type: string; status: "True" | "False"; reason?: string; message?: string }>;
  vmiConditions?: Array<{ type: string; status: "True" | "False"; reason?: string; message?: string }>;
  kernelRelease?: string;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  running?: boolean;
}

export function vmSnapshot(name: string, o: VmOptions = {}): VmSnapshot {
  const cpu = {
    sockets: o.sockets ?? 1,
    cores: 1,
    threads: 1,
    ...(o.dedicated ? { dedicatedCpuPlacement: true } : {}),
  };
  const vm: VirtualMachine = {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata: { name, namespace: "default" },
    spec: {
      runStrategy: "Always",
      template: { spec: { domain: { cpu, memory: { guest: o.guest ?? "2Gi" } }, architecture: "amd64" } },
    },
    status: { conditions: o.vmConditions ?? [] },
  };
  if (o.running === false) return { vm };
  const vmi: VirtualMachineInstance = {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachineInstance",
    metadata: { name, namespace: "default" },
    spec: {
      architecture: "amd64",
      domain: {
        cpu: { ...cpu, ...(o.maxSockets !== undefined ? { maxSockets: o.maxSockets } : {}) },
        memory: { guest: o.guest ?? "2Gi", ...(o.maxGuest !== undefined ? { maxGuest: o.maxGuest } : {}) },
      },
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    },
    status: {
      phase: "Running",
      nodeName: o.nodeName ?? "node-a",
      conditions: o.vmiConditions ?? [{ type: "LiveMigratable", status: "True" }],
      ...(o.kernelRelease ? { guestOSInfo: { kernelRelease: o.kernelRelease } } : {}),
    },
  };
  return { vm, vmi };
}

export function snapshot(parts: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    kubeVirts: [kubeVirtCr("v1.6.0")],
    nodes: [node("node-a"), node("node-b")],
    vms: [
      vmSnapshot("vm1", { sockets: 2, maxSockets: 8, guest: "2Gi", maxGuest: "8Gi", kernelRelease: "6.1.0-56-amd64" }),
    ],
    ...parts,
  };
}
