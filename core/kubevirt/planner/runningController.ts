import type { ClusterConfig } from "../clusterConfig";
import type { Condition, VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import * as completionModule from "./completion";
import * as cpuHandlerModule from "./cpuHandler";
import type { Leaf } from "./diff";
import * as diffModule from "./diff";
import type { FieldGroup } from "./fieldGroups";
import * as fieldGroupsModule from "./fieldGroups";
import * as legacyHandlersModule from "./legacyHandlers";
import * as liveVolumesModule from "./liveVolumes";
import * as memoryHandlerModule from "./memoryHandler";
import * as placementHandlersModule from "./placementHandlers";
import type { Neutralisation } from "./restartRequired";
import * as restartRequiredModule from "./restartRequired";
import * as semanticEqualModule from "./semanticEqual";
import * as otherFieldsModule from "./otherFields";
import * as startSpecModule from "./startSpec";
import type { GroupResult, Verdict } from "./verdict";
import * as verdictModule from "./verdict";
import * as vmiStateModule from "./vmiState";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { completion } = completionModule;
const { cpuHandler } = cpuHandlerModule;
const { diffLeaves } = diffModule;
const { LIVE_GROUPS } = fieldGroupsModule;
const { legacyVerdict } = legacyHandlersModule;
const { isHotplugVolume } = liveVolumesModule;
const { memoryHandler } = memoryHandlerModule;
const { placementHandler } = placementHandlersModule;
const { liveUpdateOffReason, neutralise, TEMPLATE_SPEC_FIELDS, TEMPLATE_SPEC_PATH } = restartRequiredModule;
const { semanticEqual } = semanticEqualModule;
const { instancetypeVerdict, otherGroupVerdict } = otherFieldsModule;
const { startSpecOf } = startSpecModule;
const { failureCondition, RR_TEMPLATE, restartRequired } = verdictModule;
const { restartRequiredCondition } = vmiStateModule;

/**
 * The VM controller for a running VM (rules §0, §1): the RestartRequired comparison against the start spec, the
 * gate in front of the live handlers, the handlers in order against the VMI, and for v1.0/v1.1 the
 * liveUpdateFeatures-driven handlers. `controllerVerdict` gives each changed leaf its outcome and reason.
 *
 * Plain data and module-level functions (no closures made per plan: tsx's keepNames makes each one costly).
 */
export interface RunningContext {
  readonly neut: Neutralisation | undefined;
  readonly vmi: VirtualMachineInstance;
  readonly before: VirtualMachine;
  readonly after: VirtualMachine;
  readonly cluster: ClusterConfig;
  readonly profile: VersionProfile;
  readonly predicted: boolean;
  readonly startSpec: VmiSpec;
  readonly desired: VmiSpec;
  readonly architecture: string;
  readonly existingRR: Condition | undefined;
  readonly matcherRR: string | undefined;
  readonly stickyBlock: boolean;
  readonly gateOpen: boolean;
  readonly firstNonLive: string;
  /** non-live differences from the start spec that this update does not touch, once computed */
  pending: string[] | undefined;
}

export function runningContext(
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
  const common = { vmi, before, after, cluster, profile, predicted, startSpec, desired, architecture, existingRR };

  if (profile.liveUpdateFeaturesApi) {
    if (!cluster.liveUpdateGateEnabled && after.spec.liveUpdateFeatures) {
      messages.push("spec.liveUpdateFeatures needs the VMLiveUpdateFeatures feature gate");
    }
    return {
      ...common,
      neut: undefined,
      matcherRR: undefined,
      stickyBlock: false,
      gateOpen: false,
      firstNonLive: "",
      pending: undefined,
    };
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
  return { ...common, neut, matcherRR, stickyBlock, gateOpen, firstNonLive, pending: undefined };
}

/** The outcome and reason of one changed leaf; `cache` keeps the handler verdict per field group for one plan. */
export function controllerVerdict(
  ctx: RunningContext,
  leaf: Leaf,
  group: FieldGroup,
  cache: Map<FieldGroup, GroupResult>,
): GroupResult {
  const { neut, profile } = ctx;
  if (!neut) {
    // v1.0/v1.1: the liveUpdateFeatures-driven handlers, no RestartRequired comparison
    if (group !== "templateSpec" && !LIVE_GROUPS.has(group)) return otherGroupVerdict(group, profile, leaf);
    let v = cache.get(group);
    if (!v) {
      v = withCompletion(ctx, legacyVerdict(group, ctx.after, ctx.vmi, profile), group);
      cache.set(group, v);
    }
    return v;
  }
  if (!LIVE_GROUPS.has(group) && group !== "templateSpec") {
    if (group === "instancetype") return instancetypeVerdict(profile, ctx.matcherRR, ctx.cluster);
    return otherGroupVerdict(group, profile, leaf);
  }
  if (neut.remainingPaths.size > 0 && neut.remainingPaths.has(leaf.path)) {
    const note = neut.notNeutralisedBecause.get(group);
    return restartRequired(RR_TEMPLATE, LIVE_GROUPS.has(group) && note ? note : "");
  }
  if (group === "templateSpec") {
    // the field goes back to the value the VMI started with; syncRestartRequired compares the whole template
    // with the start revision, so a non-live difference this update leaves in place keeps RestartRequired
    const stillPending = pendingElsewhere(ctx, neut);
    if (stillPending.length > 0) {
      return {
        outcome: "restart",
        reason: `back to the value the VMI started with, but ${stillPending.join(", ")} still differs from the spec the VMI started with, so RestartRequired stays until the VM restarts`,
      };
    }
    return ctx.stickyBlock
      ? {
          outcome: "restart",
          reason: `back to the value the VMI started with, but the RestartRequired condition already set stays until the VM restarts in ${profile.label}`,
        }
      : {
          outcome: "none",
          reason: `back to the value the VMI started with: nothing differs from the running VM${ctx.existingRR ? `, so ${profile.label} removes the RestartRequired condition` : ""}`,
        };
  }
  let v = cache.get(group);
  if (!v) {
    v = handlerVerdict(ctx, neut, group);
    cache.set(group, v);
  }
  return v;
}

function withCompletion(ctx: RunningContext, v: Verdict, group?: FieldGroup): GroupResult {
  let result: GroupResult = v;
  if (v.needsMigration && v.outcome === "live") {
    const c = completion(v.needsMigration, ctx.after, ctx.vmi, ctx.cluster, ctx.predicted);
    result = { ...v, outcome: c.outcome, reason: `${v.reason}; ${c.how}` };
  } else if (v.needsMigration && v.outcome === "stuck") {
    // a hotplug patched into the VMI that no migration can carry out (v1.0/v1.1 beyond maxSockets/maxGuest):
    // only an eviction that restarts the VM applies it
    const c = completion(v.needsMigration, ctx.after, ctx.vmi, ctx.cluster, ctx.predicted);
    if (c.outcome === "restart") result = { ...v, outcome: "restart", reason: `${v.reason}; but ${c.how}` };
    else if (c.outcome === "stuck") result = { ...v, reason: `${v.reason}; ${c.how}` };
  }
  if (v.retry) {
    result = {
      ...result,
      reason: `${result.reason}. Not yet: ${failureCondition(group, v.retry)}, and KubeVirt retries until it clears`,
    };
  }
  return result;
}

function blocked(ctx: RunningContext, neut: Neutralisation, what: string): GroupResult {
  if (ctx.stickyBlock) {
    return {
      outcome: "restart",
      reason: `${what} is live-updatable, but the VM carries RestartRequired ("${ctx.existingRR?.message ?? ""}"), which in ${ctx.profile.label} blocks every live update until the VM restarts`,
    };
  }
  return {
    outcome: "restart",
    reason: `${what} is live-updatable, but KubeVirt runs no live-update handler while a non-live-updatable field changed in the same update (${ctx.firstNonLive}; RestartRequired: "${ctx.matcherRR && neut.remaining.length === 0 ? ctx.matcherRR : RR_TEMPLATE}"): it applies at the restart`,
    blockedByGate: true,
  };
}

function handlerVerdict(ctx: RunningContext, neut: Neutralisation, group: FieldGroup): GroupResult {
  const { desired, vmi, profile, cluster } = ctx;
  switch (group) {
    case "cpuSockets":
      if (!ctx.gateOpen) return blocked(ctx, neut, "domain.cpu.sockets");
      return withCompletion(
        ctx,
        cpuHandler(desired, vmi, profile, ctx.architecture, cluster.cpuAllocationRatio),
        group,
      );
    case "nodeSelector":
    case "affinity":
    case "tolerations":
      if (!ctx.gateOpen) return blocked(ctx, neut, group);
      return withCompletion(ctx, placementHandler(group, desired, vmi), group);
    case "memoryGuest":
      if (!ctx.gateOpen) return blocked(ctx, neut, "domain.memory.guest");
      return withCompletion(
        ctx,
        memoryHandler(desired, vmi, profile, cluster.defaultArchitecture, ctx.predicted),
        group,
      );
    case "volumes":
    case "disks":
      return volumeVerdict(ctx, neut);
    case "network":
      return networkVerdict(ctx);
    case "firmwareUuid":
      return {
        outcome: "none",
        reason: "the VMI already runs with this firmware UUID (the firmware synchronizer persists it into the VM)",
      };
    default:
      return { outcome: "restart", reason: RR_TEMPLATE };
  }
}

function volumeVerdict(ctx: RunningContext, neut: Neutralisation): GroupResult {
  const { desired, vmi, profile, cluster } = ctx;
  const same =
    semanticEqual(desired.volumes, vmi.spec.volumes, "volumes") &&
    semanticEqual(desired.domain?.devices?.disks, vmi.spec.domain?.devices?.disks, "disks");
  if (same) return { outcome: "none", reason: "the running VMI already has these volumes and disks" };
  const declarative =
    profile.declarativeHotplugVolumes &&
    cluster.isFeatureGateEnabled("DeclarativeHotplugVolumes") &&
    !cluster.isFeatureGateEnabled("HotplugVolumes");
  const startVolumes = new Map((ctx.startSpec.volumes ?? []).map((v) => [v.name, v]));
  const migrating = (desired.volumes ?? []).some((v) => {
    const o = startVolumes.get(v.name);
    return o && !isHotplugVolume(v) && (v.persistentVolumeClaim || v.dataVolume) && !semanticEqual(o, v);
  });
  if (migrating && ctx.after.spec.updateVolumesStrategy === "Migration") {
    if (!ctx.gateOpen) return blocked(ctx, neut, "a volume migration (updateVolumesStrategy: Migration)");
    return withCompletion(ctx, {
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
    reason: `no RestartRequired (hotpluggable volumes are ignored by the comparison), but ${profile.label} does not hot-plug volumes declared in the VM template${profile.declarativeHotplugVolumes ? " unless DeclarativeHotplugVolumes is enabled and HotplugVolumes is not" : " (declarative hotplug arrived in v1.6)"}: the volume is attached at the next restart; \`virtctl addvolume\` hot-plugs it now`,
  };
}

type Interface = NonNullable<NonNullable<NonNullable<VmiSpec["domain"]>["devices"]>["interfaces"]>[number];

function hotpluggableInterface(i: Interface): boolean {
  return (i as { bridge?: unknown }).bridge != null || (i as { sriov?: unknown }).sriov != null;
}

function networkVerdict(ctx: RunningContext): GroupResult {
  const { desired, vmi } = ctx;
  const ifaces = desired.domain?.devices?.interfaces ?? [];
  const vmiIfaces = new Map((vmi.spec.domain?.devices?.interfaces ?? []).map((i) => [i.name, i]));
  const same =
    semanticEqual(ifaces, vmi.spec.domain?.devices?.interfaces, "interfaces") &&
    semanticEqual(desired.networks, vmi.spec.networks, "networks");
  if (same) return { outcome: "none", reason: "the running VMI already has these interfaces and networks" };
  // pkg/network/controllers/vm.go applyDynamicIfaceRequestOnVMI (v1.5.0–v1.9.0): only a new interface with a
  // bridge or SR-IOV binding is hot-plugged; a new one declared absent is skipped; a state change applies to
  // an interface the VMI has (and that is not already absent there)
  const fresh = ifaces.filter((i) => !vmiIfaces.has(i.name) && i.state !== "absent");
  const added = fresh.some(hotpluggableInterface);
  const notPlugged = fresh.filter((i) => !hotpluggableInterface(i)).map((i) => i.name);
  const stateChanged = ifaces.some((i) => {
    const cur = vmiIfaces.get(i.name);
    return cur !== undefined && cur.state !== i.state && cur.state !== "absent";
  });
  const nadChanged = (desired.networks ?? []).some((n) => {
    const cur = (vmi.spec.networks ?? []).find((c) => c.name === n.name);
    return cur?.multus && n.multus && cur.multus.networkName !== n.multus.networkName;
  });
  if (notPlugged.length > 0) {
    return {
      outcome: "restart",
      reason: `no RestartRequired, but the VM controller hot-plugs only interfaces with a bridge or SR-IOV binding (applyDynamicIfaceRequestOnVMI): ${notPlugged.join(", ")} is never added to the running VMI and appears at the next restart`,
    };
  }
  if (!added && !nadChanged && !stateChanged) {
    return {
      outcome: "none",
      reason:
        "nothing changes in the running VM: a new interface declared absent is not hot-plugged (applyDynamicIfaceRequestOnVMI skips it) and the RestartRequired comparison only looks at the VMI's interfaces",
    };
  }
  if (added || nadChanged) {
    return withCompletion(ctx, {
      outcome: "live",
      reason: `network hotplug (no RestartRequired since v1.6): the VM controller updates the VMI's interfaces and networks; ${added ? "plugging a new interface" : "moving to another NetworkAttachmentDefinition"} needs a migration (MigrationRequired)`,
      needsMigration: "network",
    });
  }
  return {
    outcome: "live",
    reason:
      "network live update (no RestartRequired since v1.6): the VMI's interface state (up/down/absent) or order is updated in place",
  };
}

/** Non-live differences from the start spec that this update does not touch (changed before it, still pending). */
function pendingElsewhere(ctx: RunningContext, neut: Neutralisation): string[] {
  if (ctx.pending) return ctx.pending;
  const touched = new Set(
    diffLeaves(ctx.before.spec.template.spec, ctx.desired, TEMPLATE_SPEC_PATH, TEMPLATE_SPEC_FIELDS).map((l) => l.path),
  );
  ctx.pending = neut.remaining.map((l) => l.path).filter((p) => !touched.has(p));
  return ctx.pending;
}
