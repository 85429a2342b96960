import type { ClusterConfig } from "../clusterConfig";
import * as jsonCloneModule from "../jsonClone";
import type { Condition, VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import * as versionProfileModule from "../versionProfile";
import * as guestMemoryModule from "./guestMemory";
import type { MaxGuestResult } from "./maxGuest";
import * as maxGuestModule from "./maxGuest";
import type { MaxSocketsResult } from "./maxSockets";
import * as maxSocketsModule from "./maxSockets";
import * as topologyModule from "./topology";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { cloneJson } = jsonCloneModule;
const { versionProfile } = versionProfileModule;
const { defaultGuestMemory } = guestMemoryModule;
const { computeMaxGuest } = maxGuestModule;
const { computeMaxSockets } = maxSocketsModule;
const { defaultGuestCpuTopology } = topologyModule;

export interface BootedVmi {
  /** the VMI KubeVirt creates for the VM, with the boot-time defaults and the status a fresh VMI has */
  readonly vmi: VirtualMachineInstance;
  readonly maxSockets: MaxSocketsResult;
  readonly maxGuest: MaxGuestResult;
  /** what livevm assumed or could not know (instance types, migratability), and boot-time problems */
  readonly notes: readonly string[];
}

/** The reason livevm writes on the LiveMigratable condition of a VMI it predicts. */
export const ASSUMED_MIGRATABLE_REASON = "AssumedByLivevm";

/**
 * Derives the VMI KubeVirt creates when `vm` starts (rules §3, §5.1): the template with the VMI defaults
 * (architecture, memory.guest, CPU topology, eviction strategy), the hotplug defaults of the version
 * (maxSockets, maxGuest) and a fresh status (currentCPUTopology, memory at boot, phase Running).
 * LiveMigratable is the VM's own status condition when it has one (the VM controller copies the VMI's
 * conditions to the VM), else assumed True: migratability depends on storage and devices livevm cannot see.
 */
export function bootVirtualMachineInstance(
  vm: VirtualMachine,
  cluster: ClusterConfig,
  profile: VersionProfile = versionProfile(cluster.version),
): BootedVmi {
  return boot(vm, cluster, profile, cloneJson);
}

/**
 * The same VMI, sharing with `vm` every template object the boot defaults leave alone (they write only into
 * the spec and its domain, and replace domain.cpu and domain.memory): for callers that only read the result,
 * such as the planner, which must not pay for a deep copy of the template.
 */
export function bootVirtualMachineInstanceSharingTemplate(
  vm: VirtualMachine,
  cluster: ClusterConfig,
  profile: VersionProfile,
): BootedVmi {
  return boot(vm, cluster, profile, copySpecAndDomain);
}

function ownCopy<T extends object>(value: T): T {
  return (Array.isArray(value) ? value.slice() : { ...value }) as T;
}

function copySpecAndDomain(template: VmiSpec): VmiSpec {
  const spec = ownCopy(template);
  if (typeof spec.domain === "object" && spec.domain !== null) spec.domain = ownCopy(spec.domain);
  return spec;
}

function boot(
  vm: VirtualMachine,
  cluster: ClusterConfig,
  profile: VersionProfile,
  copyTemplate: (template: VmiSpec) => VmiSpec,
): BootedVmi {
  const notes: string[] = [];
  const template = vm.spec.template.spec;
  const spec: VmiSpec = template ? copyTemplate(template) : {};
  const domain = (spec.domain = spec.domain ? spec.domain : {});
  const templateMemory = template?.domain?.memory;

  if (vm.spec.instancetype || vm.spec.preference) {
    const what = [
      vm.spec.instancetype &&
        `instance type ${vm.spec.instancetype.kind ?? "VirtualMachineClusterInstancetype"}/${vm.spec.instancetype.name ?? "?"}`,
      vm.spec.preference &&
        `preference ${vm.spec.preference.kind ?? "VirtualMachineClusterPreference"}/${vm.spec.preference.name ?? "?"}`,
    ]
      .filter(Boolean)
      .join(" and ");
    notes.push(
      `the ${what} is not expanded: livevm has only the VM, not the instance type object, so the predicted VMI shows the template's own CPU and memory`,
    );
  }

  if (!spec.architecture) spec.architecture = cluster.defaultArchitecture;

  const guest = defaultGuestMemory(spec);
  if (guest !== undefined && (domain.memory?.guest === undefined || domain.memory.guest === null)) {
    domain.memory = { ...(domain.memory ?? {}), guest };
  }

  const topology = defaultGuestCpuTopology(spec);
  domain.cpu = { ...(domain.cpu ?? {}), sockets: topology.sockets, cores: topology.cores, threads: topology.threads };

  if (!spec.evictionStrategy) spec.evictionStrategy = cluster.evictionStrategy;

  const luf = profile.liveUpdateFeaturesApi ? vm.spec.liveUpdateFeatures : undefined;
  const maxSockets = computeMaxSockets({
    topology,
    explicitMaxSockets: template?.domain?.cpu?.maxSockets,
    liveUpdateFeaturesCpu: luf !== undefined && (profile.version.minor === 0 || luf.cpu !== undefined),
    liveUpdateFeaturesMaxSockets: luf?.cpu?.maxSockets,
    architecture: spec.architecture,
    cluster,
    profile,
  });
  if (maxSockets.maxSockets !== 0) domain.cpu.maxSockets = maxSockets.maxSockets;
  if (maxSockets.vmiAdmissionError) {
    notes.push(
      `the VMI would be denied at creation: "${maxSockets.vmiAdmissionError}" (sockets ${topology.sockets} > cluster maxCpuSockets ${cluster.maxCpuSockets}; KubeVirt raises maxSockets to sockets only from v1.4)`,
    );
  }

  const maxGuest = computeMaxGuest({
    spec,
    templateMemory,
    explicitMaxGuest: templateMemory?.maxGuest,
    liveUpdateFeaturesMemory: luf?.memory !== undefined,
    liveUpdateFeaturesMaxGuest: luf?.memory?.maxGuest,
    cluster,
    profile,
  });
  if (maxGuest.maxGuest !== undefined) domain.memory = { ...(domain.memory ?? {}), maxGuest: maxGuest.maxGuest };

  const conditions: Condition[] = [
    { type: "Ready", status: "True" },
    (vm.status?.conditions ?? []).find((c) => c.type === "LiveMigratable") ?? {
      type: "LiveMigratable",
      status: "True",
      reason: ASSUMED_MIGRATABLE_REASON,
    },
  ];
  const status: NonNullable<VirtualMachineInstance["status"]> = {
    phase: "Running",
    conditions,
    currentCPUTopology: { sockets: topology.sockets, cores: topology.cores, threads: topology.threads },
  };
  const bootGuest = domain.memory?.guest;
  if (bootGuest !== undefined && bootGuest !== null) {
    status.memory = { guestAtBoot: bootGuest, guestCurrent: bootGuest, guestRequested: bootGuest };
  }

  const metadata: NonNullable<VirtualMachineInstance["metadata"]> = {};
  if (vm.metadata?.name) metadata.name = vm.metadata.name;
  if (vm.metadata?.namespace) metadata.namespace = vm.metadata.namespace;

  return {
    vmi: { apiVersion: "kubevirt.io/v1", kind: "VirtualMachineInstance", metadata, spec, status },
    maxSockets,
    maxGuest,
    notes,
  };
}
