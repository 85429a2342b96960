import type { Outcome } from "../../../core/kubevirt/plan";
import type { Condition, VmiSpec } from "../../../core/kubevirt/schema/common";
import type { KubeVirt } from "../../../core/kubevirt/schema/kubeVirt";
import type { VirtualMachine } from "../../../core/kubevirt/schema/virtualMachine";
import type { VirtualMachineInstance } from "../../../core/kubevirt/schema/virtualMachineInstance";

/**
 * Builders for the scenario corpus: plain KubeVirt objects as a cluster would hold them, so each scenario
 * reads like the KubeVirt test it comes from (a VM, the VMI it runs, the KubeVirt CR, the edit).
 */

export interface ExpectedChange {
  readonly outcome: Outcome;
  /** a substring of the change's reason (KubeVirt's own message where the source gives one) */
  readonly reason?: string;
}

export interface Scenario {
  readonly name: string;
  /** the KubeVirt test (file and name) or rules-document section the expectation comes from */
  readonly source: string;
  readonly version: string;
  /** pass no `version`: the planner must read it from kubevirt.status.observedKubeVirtVersion */
  readonly versionFromKubeVirt?: boolean;
  readonly kubevirt?: KubeVirt;
  readonly before?: VirtualMachine;
  readonly after?: VirtualMachine;
  readonly vmi?: VirtualMachineInstance;
  readonly expect: {
    readonly outcome: Outcome;
    /** per changed path (the planner's dotted path scheme) */
    readonly changes?: Readonly<Record<string, ExpectedChange>>;
    /** a substring of one admission cause's message, for rejected updates */
    readonly admission?: string;
    readonly predicted?: boolean;
    /**
     * the safer order (issue 2: live part first): the live step's paths, then the restart step; `null` means
     * the plan must not propose steps
     */
    readonly steps?: { readonly live: readonly string[] } | null;
  };
}

export const SOCKETS = "spec.template.spec.domain.cpu.sockets";
export const CORES = "spec.template.spec.domain.cpu.cores";
export const THREADS = "spec.template.spec.domain.cpu.threads";
export const MAX_SOCKETS = "spec.template.spec.domain.cpu.maxSockets";
export const GUEST = "spec.template.spec.domain.memory.guest";
export const MAX_GUEST = "spec.template.spec.domain.memory.maxGuest";
export const HOSTNAME = "spec.template.spec.hostname";
export const NODE_SELECTOR = "spec.template.spec.nodeSelector";
export const TOLERATIONS = "spec.template.spec.tolerations";
export const AFFINITY = "spec.template.spec.affinity";

/** KubeVirt's messages, verbatim (rules §1–§2). */
export const MSG = {
  template: "a non-live-updatable field was changed in the template spec",
  socketsAbove: "CPU sockets updated in template spec to a value higher than what's available",
  socketsReduction: "Reduction of CPU socket count requires a restart",
  arm: "ARM doesn't support CPU hotplug",
  multiQueue: "Changes to CPU sockets require a restart when NetworkInterfaceMultiQueue is enabled",
  maxSocketsAdmission: "Number of sockets in CPU topology is greater than the maximum sockets allowed",
  memFailed: "Memory-hotplug failed and is not available for this VM configuration",
  memMigratable: "Memory-hotplug is only available for migratable VMs",
  memNotAvailable: "memory updated in template spec. Memory-hotplug is not available for this VM configuration",
  memLower: "memory updated in template spec to a value lower than what the VM started with",
  memNotSupported: "memory hotplug not supported, ",
  memAboveMax: "Guest memory is greater than the configured maxGuest memory",
  mem1Gi: "Memory hotplug is only available for VMs with at least 1Gi of guest memory",
  mem2Mi: "Guest memory must be 2Mi aligned",
  mem1GiAligned: "Guest memory must be 1Gi aligned",
  memX86: "Memory hotplug is only available for x86_64 VMs",
  matcher: "the instance type or preference matcher of the VM was changed",
  cpuInProgress: "another CPU hotplug is in progress",
  cpuMigrating: "CPU hotplug is not allowed while VMI is migrating",
  memInProgress: "another memory hotplug is in progress",
  affinityMigrating: "Node affinity should not be changed during VMI migration",
} as const;

export type Rollout = "Stage" | "LiveUpdate";

export interface ClusterOptions {
  /** vmRolloutStrategy; undefined leaves it unset (the version's default) */
  readonly rollout?: Rollout;
  /** add VMLiveUpdateFeatures (v1.0–v1.4 need it for any live update); default: when rollout is LiveUpdate on ≤ v1.4 */
  readonly gate?: boolean;
  readonly gates?: readonly string[];
  /** workloadUpdateMethods; default [LiveMigrate] */
  readonly methods?: readonly ("LiveMigrate" | "Evict")[];
  readonly liveUpdateConfiguration?: { maxCpuSockets?: number; maxGuest?: string; maxHotplugRatio?: number };
  readonly evictionStrategy?: string;
  /** status.defaultArchitecture: what virt-operator publishes (its own GOARCH), default amd64 */
  readonly defaultArchitecture?: string;
}

function minorOf(version: string): number {
  const m = /^v?1\.(\d+)\./.exec(version);
  if (!m) throw new Error(`scenario version ${version}`);
  return Number(m[1]);
}

/** The KubeVirt CR for `version`, with the options a scenario cares about. */
export function cluster(version: string, o: ClusterOptions = {}): KubeVirt {
  const minor = minorOf(version);
  const gates = [...(o.gates ?? [])];
  const wantGate = o.gate ?? (minor <= 4 && (o.rollout === "LiveUpdate" || minor <= 1));
  if (wantGate) gates.push("VMLiveUpdateFeatures");
  const configuration: Record<string, unknown> = { developerConfiguration: { featureGates: gates } };
  if (o.rollout) configuration.vmRolloutStrategy = o.rollout;
  if (o.liveUpdateConfiguration) configuration.liveUpdateConfiguration = o.liveUpdateConfiguration;
  if (o.evictionStrategy) configuration.evictionStrategy = o.evictionStrategy;
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "KubeVirt",
    metadata: { name: "kubevirt", namespace: "kubevirt" },
    spec: {
      configuration,
      workloadUpdateStrategy: { workloadUpdateMethods: [...(o.methods ?? ["LiveMigrate"])] },
    },
    status: { observedKubeVirtVersion: version, defaultArchitecture: o.defaultArchitecture ?? "amd64" },
  } as KubeVirt;
}

/** A small amd64 VM: 1 socket, 2Gi guest memory, a container disk and the pod network. */
export function baseSpec(): VmiSpec {
  return {
    architecture: "amd64",
    domain: {
      cpu: { sockets: 1, cores: 1, threads: 1 },
      memory: { guest: "2Gi" },
      devices: {
        disks: [{ name: "rootdisk", disk: { bus: "virtio" } }],
        interfaces: [{ name: "default", masquerade: {} }],
      },
    },
    networks: [{ name: "default", pod: {} }],
    volumes: [{ name: "rootdisk", containerDisk: { image: "quay.io/containerdisks/fedora:40" } }],
  } as VmiSpec;
}

export interface VmOptions {
  readonly running?: boolean;
  readonly conditions?: Condition[];
  readonly vmSpec?: Partial<VirtualMachine["spec"]>;
  readonly templateLabels?: Record<string, string>;
}

export function vm(spec: VmiSpec, o: VmOptions = {}): VirtualMachine {
  const running = o.running ?? true;
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata: { name: "vm1", namespace: "default", uid: "6a1f2c3d-0000-4000-8000-00000000a001", generation: 1 },
    spec: {
      runStrategy: running ? "Always" : "Halted",
      ...(o.vmSpec ?? {}),
      template: {
        metadata: { labels: { "kubevirt.io/vm": "vm1", ...(o.templateLabels ?? {}) } },
        spec: structuredClone(spec),
      },
    },
    status: running
      ? {
          created: true,
          ready: true,
          printableStatus: "Running",
          conditions: [{ type: "Ready", status: "True" }, ...(o.conditions ?? [])],
        }
      : { created: false, ready: false, printableStatus: "Stopped", conditions: o.conditions ?? [] },
  } as VirtualMachine;
}

/** The desired VM: `before` with the template spec edited and no status (what a user submits). */
export function edit(before: VirtualMachine, mutate: (spec: VmiSpec, vm: VirtualMachine) => void): VirtualMachine {
  const after = structuredClone(before);
  delete after.status;
  mutate(after.spec.template.spec!, after);
  return after;
}

export interface VmiOptions {
  readonly maxSockets?: number;
  readonly maxGuest?: string;
  readonly guestAtBoot?: string;
  readonly guestCurrent?: string;
  readonly migratable?: boolean;
  readonly conditions?: Condition[];
  readonly migrating?: boolean;
  readonly evictionStrategy?: string;
  readonly mutate?: (spec: VmiSpec) => void;
}

/** The VMI the VM runs: its template spec plus the hotplug maxima the defaults gave it, and the status. */
export function vmiOf(vmSource: VirtualMachine, o: VmiOptions = {}): VirtualMachineInstance {
  const spec = structuredClone(vmSource.spec.template.spec!) as VmiSpec;
  const domain = (spec.domain ??= {});
  // SetDefaultGuestCPUTopology (pkg/defaults): only an empty topology becomes 1×1×1; a partial one (e.g. only
  // cores) is kept as it is, sockets 0 included
  const cpu = (domain.cpu ??= {});
  if (!cpu.sockets && !cpu.cores && !cpu.threads) Object.assign(cpu, { sockets: 1, cores: 1, threads: 1 });
  if (o.maxSockets !== undefined) cpu.maxSockets = o.maxSockets;
  if (o.maxGuest !== undefined && domain.memory) domain.memory.maxGuest = o.maxGuest;
  if (o.evictionStrategy) (spec as Record<string, unknown>).evictionStrategy = o.evictionStrategy;
  o.mutate?.(spec);
  const guest = domain.memory?.guest;
  const memory =
    guest !== undefined
      ? {
          guestAtBoot: o.guestAtBoot ?? guest,
          guestCurrent: o.guestCurrent ?? guest,
          guestRequested: o.guestCurrent ?? guest,
        }
      : undefined;
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachineInstance",
    metadata: { name: "vm1", namespace: "default", uid: "6a1f2c3d-0000-4000-8000-00000000b001" },
    spec,
    status: {
      phase: "Running",
      currentCPUTopology: { sockets: cpu.sockets, cores: cpu.cores, threads: cpu.threads },
      ...(memory ? { memory } : {}),
      conditions: [
        { type: "Ready", status: "True" },
        { type: "LiveMigratable", status: o.migratable === false ? "False" : "True" },
        ...(o.conditions ?? []),
      ],
      ...(o.migrating
        ? { migrationState: { startTimestamp: "2026-01-01T00:00:00Z", targetNode: "node02", sourceNode: "node01" } }
        : {}),
    },
  } as VirtualMachineInstance;
}

/** A spec built from baseSpec with an edit applied. */
export function specWith(mutate: (spec: VmiSpec) => void): VmiSpec {
  const spec = baseSpec();
  mutate(spec);
  return spec;
}

export function restartRequired(message: string): Condition {
  return { type: "RestartRequired", status: "True", message, reason: "" } as Condition;
}
