import { admitVirtualMachine } from "../admission";
import { resolveClusterConfig, type ClusterConfig } from "../clusterConfig";
import { bootVirtualMachineInstance } from "../defaults/bootVmi";
import { cloneJson } from "../jsonClone";
import {
  worstOutcome,
  type AdmissionCause,
  type Outcome,
  type PlanInput,
  type PlannedChange,
  type PlanStep,
  type VirtualMachinePlan,
} from "../plan";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import { formatVersion, NEWEST_SUPPORTED, parseKubeVirtVersion, VersionError, type KubeVirtVersion } from "../version";
import { versionProfile, type VersionProfile } from "../versionProfile";
import { completion } from "./completion";
import { cpuHandler } from "./cpuHandler";
import { diffLeaves, type Leaf } from "./diff";
import { fieldGroup, type FieldGroup } from "./fieldGroups";
import { legacyVerdict } from "./legacyHandlers";
import { isHotplugVolume } from "./liveVolumes";
import { memoryHandler } from "./memoryHandler";
import { placementHandler } from "./placementHandlers";
import { liveUpdateOffReason, neutralise, type Neutralisation } from "./restartRequired";
import { semanticEqual } from "./semanticEqual";
import { withVmDefaults } from "./vmDefaults";
import { RR_TEMPLATE, restartRequired, type Verdict } from "./verdict";
import {
  conditionStatus,
  currentRunState,
  isMigrating,
  restartRequiredCondition,
  stopsTheVm,
  type RunState,
} from "./vmiState";

export type AdmitFunction = (input: {
  vm: VirtualMachine;
  oldVm?: VirtualMachine;
  vmi?: VirtualMachineInstance;
  cluster: ClusterConfig;
  profile: VersionProfile;
}) => AdmissionCause[];

export interface PlanOptions {
  /** the VM admission webhook model; defaults to core/kubevirt/admission `admitVirtualMachine` */
  readonly admit?: AdmitFunction;
  /** internal: set when planning step 1 of a two-step order (no further steps are proposed) */
  readonly withoutSteps?: boolean;
}

/** A change's verdict plus what the planner needs to order the steps. */
interface GroupResult extends Verdict {
  /** a live-capable change held back only because something non-live changed in the same update */
  readonly blockedByGate?: boolean;
}

const LIVE_GROUPS: ReadonlySet<FieldGroup> = new Set([
  "cpuSockets",
  "memoryGuest",
  "nodeSelector",
  "affinity",
  "tolerations",
  "volumes",
  "disks",
  "network",
  "firmwareUuid",
]);

/**
 * Plans one VirtualMachine update the way KubeVirt's admission webhook and VM controller will treat it, for the
 * given version (rules §8): admission first, then (for a running VM) the RestartRequired comparison against the
 * spec the VMI started with, the gate in front of the live handlers, the CPU → nodeSelector/affinity →
 * tolerations → memory → volume handlers against the running (or predicted) VMI, and whether a live change can
 * complete (workload update methods, LiveMigratable, eviction strategy). Pure and synchronous.
 */
export function planVirtualMachineUpdate(input: PlanInput, options: PlanOptions = {}): VirtualMachinePlan {
  const messages: string[] = [];
  const version = resolveVersion(input, messages);
  const profile = versionProfile(version);
  const cluster = clusterConfigFor(input.kubevirt, version);
  for (const w of cluster.warnings) messages.push(`KubeVirt CR: ${w}`);
  const admit = options.admit ?? admitVirtualMachine;
  const meta = input.after?.metadata ?? input.before?.metadata;
  const base = {
    namespace: meta?.namespace ?? "default",
    name: meta?.name ?? "",
    version: formatVersion(version),
    predicted: input.vmi === undefined,
  };

  if (!input.after) {
    if (input.before) messages.push("the VirtualMachine is deleted: its VMI (if any) is stopped and removed with it");
    return { ...base, outcome: "none", changes: [], messages };
  }

  if (!input.before) {
    const created = input.after;
    const causes = admit({ vm: created, cluster, profile });
    if (causes.length) {
      messages.push(`the VirtualMachine is rejected at creation: ${causes.map((c) => c.message).join("; ")}`);
      return { ...base, outcome: "rejected", changes: [], messages, admission: causes };
    }
    const starts = currentRunStateForNew(created);
    messages.push(
      `a new VirtualMachine: ${starts.running ? `${starts.why} starts it` : `it is not started (${starts.why})`} with this spec`,
    );
    return { ...base, outcome: "staged", changes: [], messages };
  }

  // the VM mutating webhook fills in architecture and machine type before anything compares the specs
  const before = withVmDefaults(input.before, input.before, input.kubevirt, cluster);
  const after = withVmDefaults(input.after, before, input.kubevirt, cluster);
  input = { ...input, before, after };
  const leaves = [
    ...diffLeaves(before.spec, after.spec, "spec", ["spec"]),
    ...diffLeaves(before.metadata?.labels, after.metadata?.labels, "metadata.labels", ["metadata", "labels"]),
    ...diffLeaves(before.metadata?.annotations, after.metadata?.annotations, "metadata.annotations", [
      "metadata",
      "annotations",
    ]),
  ];
  if (leaves.length === 0) {
    messages.push("no difference between the running and the desired VirtualMachine");
    return { ...base, outcome: "none", changes: [], messages };
  }

  const run = currentRunState(before, input.vmi);
  let vmi = input.vmi;
  if (run.running && !vmi) {
    const booted = bootVirtualMachineInstance(before, cluster, profile);
    vmi = booted.vmi;
    messages.push(
      `no VMI given: predicted the VMI \`before\` booted with (${run.why}): maxSockets ${booted.maxSockets.maxSockets} (${booted.maxSockets.source}), maxGuest ${booted.maxGuest.maxGuest ?? "none"}${booted.maxGuest.disabledReason ? ` (memory hotplug off: ${booted.maxGuest.disabledReason})` : ""}`,
    );
    for (const note of booted.notes) messages.push(note);
  }

  // 1. admission: the stored VM keeps its status, so a running VM is "ready" for the v1.0/v1.1 rules
  const oldVm =
    run.running && before.status?.ready === undefined
      ? { ...before, status: { ...(before.status ?? {}), ready: true } }
      : before;
  const causes = admit({ vm: after, oldVm, ...(vmi ? { vmi } : {}), cluster, profile });
  if (causes.length) {
    const changes = leaves.map((leaf) => change(leaf, "rejected", rejectionReason(leaf, causes)));
    messages.push(`the update is denied by KubeVirt's VirtualMachine admission webhook: nothing is applied`);
    return { ...base, outcome: "rejected", changes, messages, admission: causes };
  }

  // 2. not running, or stopped by this update: everything applies at the next start
  if (!run.running || !vmi) {
    const why = `the VM is not running (${run.why})`;
    const starts = !stopsTheVm(after) ? currentRunStateForNew(after) : undefined;
    if (starts?.running) messages.push(`${why}; ${starts.why} starts it with the new spec`);
    else messages.push(`${why}: every change applies at its next start`);
    const changes = leaves.map((leaf) => stagedChange(leaf, `${why}: applies when it next starts`));
    return { ...base, outcome: worstOutcome(changes.map((c) => c.outcome)), changes, messages };
  }
  if (stopsTheVm(after)) {
    const why = "the update sets runStrategy Halted (or running: false), which stops the VM";
    messages.push(`${why}; the new spec applies at its next start (a stop also clears RestartRequired)`);
    const changes = leaves.map((leaf) => stagedChange(leaf, `${why}: applies when it next starts`));
    return { ...base, outcome: worstOutcome(changes.map((c) => c.outcome)), changes, messages };
  }

  // 3. the running VM: the controller
  const ctx = runningContext(before, after, vmi, cluster, profile, base.predicted, messages);
  const verdictCache = new Map<FieldGroup, GroupResult>();
  const changes = leaves.map((leaf) => {
    const group = fieldGroup(leaf.fields);
    const v = ctx.verdict(leaf, group, verdictCache);
    return change(leaf, v.outcome, v.reason);
  });
  const outcome = worstOutcome(changes.map((c) => c.outcome));
  if (input.vmi) messages.push(...pendingOnVmi(input.vmi));
  if (before.spec.template.spec?.domain?.firmware?.uuid && !after.spec.template.spec?.domain?.firmware?.uuid) {
    messages.push(
      "the new spec drops domain.firmware.uuid, which KubeVirt wrote into the VM (at creation, or its firmware synchronizer): on an update nothing writes it back with the same value, so it is a non-live-updatable change; copy firmware.uuid (and serial) from the running VM into the manifest",
    );
  }
  if (outcome === "restart") messages.push(...afterRestart(after, cluster, profile));
  const plan: VirtualMachinePlan = { ...base, outcome, changes, messages };

  const steps =
    profile.liveUpdateFeaturesApi || options.withoutSteps
      ? undefined
      : saferOrder(input, options, leaves, changes, ctx, verdictCache);
  if (steps) {
    messages.push(
      `live and restart-required changes are mixed: apply step 1 (${steps[0]!.paths.length} live change(s)) first, let it complete, then step 2 (the full update, which needs a restart)`,
    );
    return { ...plan, steps };
  }
  return plan;
}

// Plans over many VMs share one KubeVirt CR: its resolved configuration is kept per CR object and version
// (inputs are treated as immutable).
const CLUSTER_CONFIGS = new WeakMap<object, Map<string, ClusterConfig>>();
const DEFAULT_CLUSTER_CONFIGS = new Map<string, ClusterConfig>();

function clusterConfigFor(kubevirt: PlanInput["kubevirt"], version: KubeVirtVersion): ClusterConfig {
  let byVersion = kubevirt ? CLUSTER_CONFIGS.get(kubevirt) : DEFAULT_CLUSTER_CONFIGS;
  if (!byVersion) {
    byVersion = new Map();
    CLUSTER_CONFIGS.set(kubevirt!, byVersion);
  }
  const key = formatVersion(version);
  let config = byVersion.get(key);
  if (!config) {
    config = resolveClusterConfig(kubevirt, version);
    byVersion.set(key, config);
  }
  return config;
}

/**
 * The spec the VMI started with (the controller's start revision): `before`'s template, except where the running
 * VMI shows a non-live value that differs (cores, threads), which means the template changed after the start
 * (a RestartRequired is pending) and the VMI's value is the start value.
 */
function startSpecOf(before: VirtualMachine, vmi: VirtualMachineInstance | undefined, messages: string[]): VmiSpec {
  const template: VmiSpec = before.spec.template.spec ?? {};
  const cpu = template.domain?.cpu;
  const vmiCpu = vmi?.spec.domain?.cpu;
  if (!cpu || !vmiCpu) return template;
  const fixed: Record<string, number> = {};
  for (const field of ["cores", "threads"] as const) {
    const mine = cpu[field];
    const running = vmiCpu[field];
    if (mine !== undefined && mine !== 0 && running !== undefined && running !== 0 && mine !== running) {
      fixed[field] = running;
    }
  }
  if (Object.keys(fixed).length === 0) return template;
  messages.push(
    `the VMI runs with ${Object.entries(fixed)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        " and ",
      )}, which \`before\` no longer has: its template changed after the VM started (RestartRequired is pending); the VMI's values are taken as the start spec`,
  );
  return { ...template, domain: { ...template.domain, cpu: { ...cpu, ...fixed } } };
}

/** What the running VMI shows that bears on the plan: pending hotplugs, failures, migrations. */
function pendingOnVmi(vmi: VirtualMachineInstance): string[] {
  const out: string[] = [];
  const conditions = vmi.status?.conditions;
  const cpu = conditionStatus(conditions, "HotVCPUChange");
  const mem = conditionStatus(conditions, "HotMemoryChange");
  if (cpu !== undefined)
    out.push(
      "the VMI has a CPU hotplug pending (condition HotVCPUChange): it completes with the next workload-update migration",
    );
  if (mem === "True") out.push("the VMI has a memory hotplug pending (condition HotMemoryChange)");
  if (mem === "False")
    out.push("an earlier memory hotplug failed on this VMI (HotMemoryChange=False): memory changes need a restart");
  if (conditionStatus(conditions, "MigrationRequired") === "True")
    out.push("the VMI waits for a migration (MigrationRequired)");
  if (isMigrating(vmi))
    out.push("the VMI is migrating: live CPU, memory and placement changes wait until the migration ends");
  return out;
}

/** What the VM gets when it restarts with `after`: its hotplug capacity, or why the new VMI would be denied. */
function afterRestart(after: VirtualMachine, cluster: ClusterConfig, profile: VersionProfile): string[] {
  const booted = bootVirtualMachineInstance(after, cluster, profile);
  const out = [
    `after a restart the VMI boots with maxSockets ${booted.maxSockets.maxSockets || "none (no CPU hotplug)"} and maxGuest ${booted.maxGuest.maxGuest ?? `none (no memory hotplug${booted.maxGuest.disabledReason ? `: ${booted.maxGuest.disabledReason}` : ""})`}`,
  ];
  if (booted.maxSockets.vmiAdmissionError) {
    out.push(
      `the restarted VMI would be denied: "${booted.maxSockets.vmiAdmissionError}" (sockets above the cluster's maxCpuSockets ${cluster.maxCpuSockets}; KubeVirt raises maxSockets to sockets only from v1.4.0): raise liveUpdateConfiguration.maxCpuSockets or set domain.cpu.maxSockets`,
    );
  }
  return out;
}

function resolveVersion(input: PlanInput, messages: string[]): KubeVirtVersion {
  if (input.version !== undefined) {
    return typeof input.version === "string" ? parseKubeVirtVersion(input.version) : input.version;
  }
  const observed = input.kubevirt?.status?.observedKubeVirtVersion;
  if (observed) {
    try {
      return parseKubeVirtVersion(observed);
    } catch (e) {
      const why = e instanceof VersionError ? e.why : String(e);
      messages.push(
        `KubeVirt status.observedKubeVirtVersion ${JSON.stringify(observed)} is not usable (${why}): planned for ${NEWEST_SUPPORTED.raw}`,
      );
      return NEWEST_SUPPORTED;
    }
  }
  messages.push(
    `no KubeVirt version given: planned for ${NEWEST_SUPPORTED.raw} (pass version or a KubeVirt CR with status)`,
  );
  return NEWEST_SUPPORTED;
}

function currentRunStateForNew(vm: VirtualMachine): RunState {
  return currentRunState({ ...vm, status: undefined }, undefined);
}

function change(leaf: Leaf, outcome: Outcome, reason: string): PlannedChange {
  return { path: leaf.path, before: leaf.before, after: leaf.after, outcome, reason };
}

function stagedChange(leaf: Leaf, reason: string): PlannedChange {
  const group = fieldGroup(leaf.fields);
  if (group === "vmMetadata") return change(leaf, "none", "VM metadata: not part of the VM's spec");
  return change(leaf, "staged", reason);
}

function rejectionReason(leaf: Leaf, causes: readonly AdmissionCause[]): string {
  const own = causes.filter((c) => c.field && (leaf.path === c.field || leaf.path.startsWith(`${c.field}.`)));
  const list = (own.length ? own : causes).map((c) => `${c.field}: ${c.message}`).join("; ");
  return own.length ? `denied by admission: ${list}` : `the whole update is denied by admission: ${list}`;
}

interface RunningContext {
  verdict(leaf: Leaf, group: FieldGroup, cache: Map<FieldGroup, GroupResult>): GroupResult;
  readonly neut: Neutralisation | undefined;
  readonly vmi: VirtualMachineInstance;
}

function runningContext(
  before: VirtualMachine,
  after: VirtualMachine,
  vmi: VirtualMachineInstance,
  cluster: ClusterConfig,
  profile: VersionProfile,
  predicted: boolean,
  messages: string[],
): RunningContext {
  const startSpec: VmiSpec = startSpecOf(before, predicted ? undefined : vmi, messages);
  const desired: VmiSpec = after.spec.template.spec ?? {};
  const architecture = desired.architecture || cluster.defaultArchitecture;
  const existingRR = restartRequiredCondition(before);

  if (profile.liveUpdateFeaturesApi) {
    if (!cluster.liveUpdateGateEnabled && after.spec.liveUpdateFeatures) {
      messages.push("spec.liveUpdateFeatures needs the VMLiveUpdateFeatures feature gate");
    }
    const verdict = (leaf: Leaf, group: FieldGroup, cache: Map<FieldGroup, GroupResult>): GroupResult => {
      if (group !== "templateSpec" && !LIVE_GROUPS.has(group)) return otherGroupVerdict(group, profile, leaf);
      return cached(cache, group, () => withCompletion(legacyVerdict(group, after, vmi, profile), group));
    };
    return { verdict, neut: undefined, vmi };
  }

  if (existingRR) {
    messages.push(
      profile.restartRequiredSticky
        ? `the VM already carries RestartRequired ("${existingRR.message ?? ""}"): in ${profile.label} it stays until the VM restarts and blocks every live update`
        : `the VM already carries RestartRequired ("${existingRR.message ?? ""}"): its template already differs from the spec its VMI started with. livevm compares with \`before\`; ${profile.label} clears the condition when nothing non-live-updatable differs any more, which holds only if this update reverts that earlier change`,
    );
  }

  const neut = neutralise(startSpec, desired, after, vmi, cluster, profile);
  let matcherRR: string | undefined;
  const matcherChanged =
    !semanticEqual(before.spec.instancetype, after.spec.instancetype) ||
    !semanticEqual(before.spec.preference, after.spec.preference);
  if (matcherChanged && profile.instancetypeHandling === "matcher-change-restart") {
    matcherRR = "the instance type or preference matcher of the VM was changed";
  }
  const restartNeeded = neut.remaining.length > 0 || matcherRR !== undefined;
  const stickyBlock = existingRR !== undefined && profile.restartRequiredSticky;
  const gateOpen = cluster.liveUpdate && !restartNeeded && !stickyBlock;
  const firstNonLive = neut.remaining[0]?.path ?? "spec.instancetype";
  if (restartNeeded) {
    messages.push(
      `RestartRequired: "${matcherRR && neut.remaining.length === 0 ? matcherRR : RR_TEMPLATE}" (first non-live-updatable change: ${firstNonLive})`,
    );
  }
  if (!cluster.liveUpdate) messages.push(`no live updates: ${liveUpdateOffReason(cluster, profile)}`);

  const withCompletionFor = (v: Verdict, group?: FieldGroup): GroupResult => withCompletion(v, group);
  function withCompletion(v: Verdict, group?: FieldGroup): GroupResult {
    let result: GroupResult = v;
    if (v.needsMigration && v.outcome === "live") {
      const c = completion(v.needsMigration, after, vmi, cluster, predicted);
      result = { ...v, outcome: c.outcome, reason: `${v.reason}; ${c.how}` };
    }
    if (v.retry) {
      result = {
        ...result,
        reason: `${result.reason}. Not yet: ${failureCondition(group, v.retry)}, and KubeVirt retries until it clears`,
      };
    }
    return result;
  }

  const blocked = (what: string): GroupResult => {
    if (stickyBlock) {
      return {
        outcome: "restart",
        reason: `${what} is live-updatable, but the VM carries RestartRequired ("${existingRR?.message ?? ""}"), which in ${profile.label} blocks every live update until the VM restarts`,
      };
    }
    return {
      outcome: "restart",
      reason: `${what} is live-updatable, but KubeVirt runs no live-update handler while a non-live-updatable field changed in the same update (${firstNonLive}; RestartRequired: "${matcherRR && neut.remaining.length === 0 ? matcherRR : RR_TEMPLATE}"): it applies at the restart`,
      blockedByGate: true,
    };
  };

  const handlerVerdict = (group: FieldGroup): GroupResult => {
    switch (group) {
      case "cpuSockets":
        if (!gateOpen) return blocked("domain.cpu.sockets");
        return withCompletionFor(cpuHandler(desired, vmi, profile, architecture), group);
      case "nodeSelector":
      case "affinity":
      case "tolerations":
        if (!gateOpen) return blocked(group);
        return withCompletionFor(placementHandler(group, desired, vmi), group);
      case "memoryGuest":
        if (!gateOpen) return blocked("domain.memory.guest");
        return withCompletionFor(memoryHandler(desired, vmi, profile, cluster.defaultArchitecture, predicted), group);
      case "volumes":
      case "disks":
        return volumeVerdict();
      case "network":
        return networkVerdict();
      case "firmwareUuid":
        return {
          outcome: "none",
          reason: "the VMI already runs with this firmware UUID (the firmware synchronizer persists it into the VM)",
        };
      default:
        return { outcome: "restart", reason: RR_TEMPLATE };
    }
  };

  const volumeVerdict = (): GroupResult => {
    const same =
      semanticEqual(desired.volumes, vmi.spec.volumes, "volumes") &&
      semanticEqual(desired.domain?.devices?.disks, vmi.spec.domain?.devices?.disks, "disks");
    if (same) return { outcome: "none", reason: "the running VMI already has these volumes and disks" };
    const declarative =
      profile.networkHotplugLive &&
      cluster.isFeatureGateEnabled("DeclarativeHotplugVolumes") &&
      !cluster.isFeatureGateEnabled("HotplugVolumes");
    const startVolumes = new Map((startSpec.volumes ?? []).map((v) => [v.name, v]));
    const migrating = (desired.volumes ?? []).some((v) => {
      const o = startVolumes.get(v.name);
      return o && !isHotplugVolume(v) && (v.persistentVolumeClaim || v.dataVolume) && !semanticEqual(o, v);
    });
    if (migrating && after.spec.updateVolumesStrategy === "Migration") {
      if (!gateOpen) return blocked("a volume migration (updateVolumesStrategy: Migration)");
      return withCompletionFor({
        outcome: "live",
        reason:
          "volume migration: handleVolumeUpdateRequest updates the VMI's volumes and the workload updater migrates the storage (VolumesChange)",
        needsMigration: "volume-migration",
      });
    }
    if (declarative) {
      return {
        outcome: "live",
        reason:
          "declarative volume hotplug (DeclarativeHotplugVolumes): handleDeclarativeVolumeHotplug attaches or detaches the hotpluggable volumes on the running VMI, outside the LiveUpdate gate",
      };
    }
    return {
      outcome: "restart",
      reason: `no RestartRequired (hotpluggable volumes are ignored by the comparison), but ${profile.label} does not hot-plug volumes declared in the VM template${profile.networkHotplugLive ? " unless DeclarativeHotplugVolumes is enabled and HotplugVolumes is not" : " (declarative hotplug arrived in v1.6)"}: the volume is attached at the next restart; \`virtctl addvolume\` hot-plugs it now`,
    };
  };

  const networkVerdict = (): GroupResult => {
    const ifaces = desired.domain?.devices?.interfaces ?? [];
    const vmiIfaces = new Map((vmi.spec.domain?.devices?.interfaces ?? []).map((i) => [i.name, i]));
    const same =
      semanticEqual(ifaces, vmi.spec.domain?.devices?.interfaces, "interfaces") &&
      semanticEqual(desired.networks, vmi.spec.networks, "networks");
    if (same) return { outcome: "none", reason: "the running VMI already has these interfaces and networks" };
    const added = ifaces.some((i) => !vmiIfaces.has(i.name) && i.state !== "absent");
    const nadChanged = (desired.networks ?? []).some((n) => {
      const cur = (vmi.spec.networks ?? []).find((c) => c.name === n.name);
      return cur?.multus && n.multus && cur.multus.networkName !== n.multus.networkName;
    });
    if (added || nadChanged) {
      return withCompletionFor({
        outcome: "live",
        reason: `network hotplug (no RestartRequired since v1.6): the VM controller updates the VMI's interfaces and networks; ${added ? "plugging a new interface" : "moving to another NetworkAttachmentDefinition"} needs a migration (MigrationRequired)`,
        needsMigration: "hotplug",
      });
    }
    return {
      outcome: "live",
      reason:
        "network live update (no RestartRequired since v1.6): the VMI's interface state (up/down/absent) or order is updated in place",
    };
  };

  const verdict = (leaf: Leaf, group: FieldGroup, cache: Map<FieldGroup, GroupResult>): GroupResult => {
    if (!LIVE_GROUPS.has(group) && group !== "templateSpec") {
      if (group === "instancetype") return instancetypeVerdict(profile, matcherRR, cluster);
      return otherGroupVerdict(group, profile, leaf);
    }
    if (neut.remainingPaths.has(leaf.path)) {
      const note = neut.notNeutralisedBecause.get(group);
      return restartRequired(RR_TEMPLATE, LIVE_GROUPS.has(group) && note ? note : "");
    }
    if (group === "templateSpec") {
      // the field goes back to the value the VMI started with
      return stickyBlock
        ? {
            outcome: "restart",
            reason: `back to the value the VMI started with, but the RestartRequired condition already set stays until the VM restarts in ${profile.label}`,
          }
        : {
            outcome: "none",
            reason: `back to the value the VMI started with: nothing differs from the running VM${existingRR ? `, so ${profile.label} removes the RestartRequired condition` : ""}`,
          };
    }
    return cached(cache, group, () => handlerVerdict(group));
  };
  return { verdict, neut, vmi };
}

/** The VM's Failure condition for a handler's transient error (vm.go `sync`, rules §5.2). */
function failureCondition(group: FieldGroup | undefined, error: string): string {
  const [prefix, reason] =
    group === "cpuSockets"
      ? ["Error encountered while handling CPU change request", "HotPlugCPUError"]
      : group === "memoryGuest"
        ? ["error encountered while handling memory hotplug requests", "HotPlugMemoryError"]
        : group === "tolerations"
          ? ["Error encountered while handling tolerations change request", "TolerationsChangeError"]
          : group === "nodeSelector" || group === "affinity"
            ? ["Error encountered while handling node affinity change request", "AffinityChangeError"]
            : ["Error encountered while handling the change", "SyncError"];
  return `the VM gets the condition Failure (reason ${reason}): "${prefix}: ${error}"`;
}

function cached(cache: Map<FieldGroup, GroupResult>, group: FieldGroup, compute: () => GroupResult): GroupResult {
  let v = cache.get(group);
  if (!v) {
    v = compute();
    cache.set(group, v);
  }
  return v;
}

function instancetypeVerdict(
  profile: VersionProfile,
  matcherRR: string | undefined,
  cluster: ClusterConfig,
): GroupResult {
  if (matcherRR) return restartRequired(matcherRR);
  if (profile.instancetypeHandling === "expanded") {
    return {
      outcome: "restart",
      reason: `KubeVirt ${profile.label} expands the old and new instance type/preference and compares the results: more sockets or guest memory is a live hotplug${cluster.liveUpdate ? "" : " (under LiveUpdate)"}, any other difference gives RestartRequired. livevm cannot expand it without the instance type object, so it plans a restart`,
    };
  }
  return {
    outcome: "restart",
    reason: `KubeVirt ${profile.label} does not compare the instance type matcher of a running VM: the new instance type applies at the next restart`,
  };
}

function otherGroupVerdict(group: FieldGroup, profile: VersionProfile, leaf: Leaf): GroupResult {
  switch (group) {
    case "templateMetadata":
      return {
        outcome: "none",
        reason:
          "template labels and annotations never cause RestartRequired; they reach the running VMI only for keys in virt-controller's --additional-launcher-labels-sync (empty by default)",
      };
    case "vmMetadata":
      return { outcome: "none", reason: "VM metadata: not part of the running VM" };
    case "runStrategy":
      return { outcome: "none", reason: "the run strategy changes, but the VM keeps running" };
    case "liveUpdateFeatures":
      if (profile.liveUpdateFeaturesApi) {
        return {
          outcome: "restart",
          reason: `spec.liveUpdateFeatures decides which hotplug defaults a VMI gets when it boots: the new setting takes effect at the next restart`,
        };
      }
      return {
        outcome: "none",
        reason: `spec.liveUpdateFeatures was removed in KubeVirt v1.2.0: ${profile.label} drops the field`,
      };
    case "instancetype":
      return { outcome: "restart", reason: `the instance type applies at the next restart` };
    default: {
      const field = leaf.fields[1] ?? "";
      const what =
        field === "dataVolumeTemplates"
          ? "dataVolumeTemplates: KubeVirt creates missing DataVolumes; the running VMI is unaffected"
          : field === "updateVolumesStrategy"
            ? "updateVolumesStrategy is not compared; it decides how later volume changes are applied"
            : `VM-level field spec.${field} is not part of the running VMI and is not compared`;
      return { outcome: "none", reason: what };
    }
  }
}

/**
 * When live-capable and restart-required changes are mixed: step 1 = `before` with only the live-capable groups
 * taken from `after` (verified to go live on its own), step 2 = `after`.
 */
function saferOrder(
  input: PlanInput,
  options: PlanOptions,
  leaves: readonly Leaf[],
  changes: readonly PlannedChange[],
  ctx: RunningContext,
  cache: Map<FieldGroup, GroupResult>,
): PlanStep[] | undefined {
  const before = input.before!;
  const after = input.after!;
  const liveGroups = new Set<FieldGroup>();
  let hasRestart = false;
  leaves.forEach((leaf, i) => {
    const group = fieldGroup(leaf.fields);
    const c = changes[i]!;
    const v = cache.get(group);
    const liveCapable =
      LIVE_GROUPS.has(group) &&
      !ctx.neut?.remainingPaths.has(leaf.path) &&
      (c.outcome === "live" || v?.blockedByGate === true);
    if (liveCapable) liveGroups.add(group);
    else if (c.outcome === "restart") hasRestart = true;
  });
  if (!hasRestart || liveGroups.size === 0) return undefined;
  const step1 = applyGroups(before, after, liveGroups);
  const check = planVirtualMachineUpdate({ ...input, before, after: step1 }, { ...options, withoutSteps: true });
  if (check.outcome !== "live" || check.steps) return undefined;
  const livePaths: string[] = [];
  const restPaths: string[] = [];
  leaves.forEach((leaf) => {
    const group = fieldGroup(leaf.fields);
    if (liveGroups.has(group) && !ctx.neut?.remainingPaths.has(leaf.path)) livePaths.push(leaf.path);
    else restPaths.push(leaf.path);
  });
  return [
    { kind: "live", paths: livePaths, vm: step1 },
    { kind: "restart", paths: restPaths, vm: after },
  ];
}

/** `before` with the given live-capable field groups copied from `after` (status dropped). */
function applyGroups(before: VirtualMachine, after: VirtualMachine, groups: ReadonlySet<FieldGroup>): VirtualMachine {
  const vm = cloneJson(before);
  delete vm.status;
  const spec: VmiSpec = (vm.spec.template.spec ??= {});
  const from: VmiSpec = after.spec.template.spec ?? {};
  const set = <K extends keyof VmiSpec>(key: K) => {
    if (from[key] === undefined) delete spec[key];
    else spec[key] = cloneJson(from[key]);
  };
  const domain = (spec.domain ??= {});
  const fromDomain = from.domain ?? {};
  for (const group of groups) {
    switch (group) {
      case "cpuSockets":
        if (domain.cpu && fromDomain.cpu) domain.cpu.sockets = fromDomain.cpu.sockets;
        break;
      case "memoryGuest":
        if (fromDomain.memory?.guest !== undefined)
          domain.memory = { ...(domain.memory ?? {}), guest: fromDomain.memory.guest };
        break;
      case "nodeSelector":
      case "affinity":
      case "tolerations":
      case "volumes":
        set(group);
        break;
      case "disks":
        domain.devices = { ...(domain.devices ?? {}), disks: cloneJson(fromDomain.devices?.disks) };
        if (domain.devices.disks === undefined) delete domain.devices.disks;
        break;
      case "network":
        set("networks");
        domain.devices = { ...(domain.devices ?? {}), interfaces: cloneJson(fromDomain.devices?.interfaces) };
        if (domain.devices.interfaces === undefined) delete domain.devices.interfaces;
        break;
      case "firmwareUuid":
        domain.firmware = { ...(domain.firmware ?? {}), uuid: fromDomain.firmware?.uuid };
        break;
      default:
        break;
    }
  }
  return vm;
}
