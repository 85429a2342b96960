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
import { RR_TEMPLATE, restartRequired, type Verdict } from "./verdict";
import { currentRunState, restartRequiredCondition, stopsTheVm, type RunState } from "./vmiState";

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
  const { before, after } = input;
  const meta = after?.metadata ?? before?.metadata;
  const base = {
    namespace: meta?.namespace ?? "default",
    name: meta?.name ?? "",
    version: formatVersion(version),
    predicted: input.vmi === undefined,
  };

  if (!after) {
    if (before) messages.push("the VirtualMachine is deleted: its VMI (if any) is stopped and removed with it");
    return { ...base, outcome: "none", changes: [], messages };
  }

  if (!before) {
    const causes = admit({ vm: after, cluster, profile });
    if (causes.length) {
      messages.push(`the VirtualMachine is rejected at creation: ${causes.map((c) => c.message).join("; ")}`);
      return { ...base, outcome: "rejected", changes: [], messages, admission: causes };
    }
    const starts = currentRunStateForNew(after);
    messages.push(
      `a new VirtualMachine: ${starts.running ? `${starts.why} starts it` : `it is not started (${starts.why})`} with this spec`,
    );
    return { ...base, outcome: "staged", changes: [], messages };
  }

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
  const plan: VirtualMachinePlan = { ...base, outcome, changes, messages };

  const steps = profile.liveUpdateFeaturesApi
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
  const startSpec: VmiSpec = before.spec.template.spec ?? {};
  const desired: VmiSpec = after.spec.template.spec ?? {};
  const architecture = desired.architecture || cluster.defaultArchitecture;
  const existingRR = restartRequiredCondition(before);

  if (profile.liveUpdateFeaturesApi) {
    if (!cluster.liveUpdateGateEnabled && after.spec.liveUpdateFeatures) {
      messages.push("spec.liveUpdateFeatures needs the VMLiveUpdateFeatures feature gate");
    }
    const verdict = (leaf: Leaf, group: FieldGroup, cache: Map<FieldGroup, GroupResult>): GroupResult => {
      if (group !== "templateSpec" && !LIVE_GROUPS.has(group)) return otherGroupVerdict(group, profile, leaf);
      return cached(cache, group, () => withCompletion(legacyVerdict(group, after, vmi, profile)));
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

  const withCompletionFor = (v: Verdict): GroupResult => withCompletion(v);
  function withCompletion(v: Verdict): GroupResult {
    let result: GroupResult = v;
    if (v.needsMigration && v.outcome === "live") {
      const c = completion(v.needsMigration, after, vmi, cluster, predicted);
      result = { ...v, outcome: c.outcome, reason: `${v.reason}; ${c.how}` };
    }
    if (v.retry) {
      result = {
        ...result,
        reason: `${result.reason}. Not yet: KubeVirt reports "${v.retry}" (a Failure condition on the VM) and retries until it clears`,
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
        return withCompletionFor(cpuHandler(desired, vmi, profile, architecture));
      case "nodeSelector":
      case "affinity":
      case "tolerations":
        if (!gateOpen) return blocked(group);
        return withCompletionFor(placementHandler(group, desired, vmi));
      case "memoryGuest":
        if (!gateOpen) return blocked("domain.memory.guest");
        return withCompletionFor(memoryHandler(desired, vmi, profile, cluster.defaultArchitecture, predicted));
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
    if (neut.remainingPaths.has(leaf.path) || group === "templateSpec") {
      const note = neut.notNeutralisedBecause.get(group);
      return restartRequired(RR_TEMPLATE, LIVE_GROUPS.has(group) && note ? note : "");
    }
    return cached(cache, group, () => handlerVerdict(group));
  };
  return { verdict, neut, vmi };
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
  const check = planVirtualMachineUpdate({ ...input, before, after: step1 }, options);
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
