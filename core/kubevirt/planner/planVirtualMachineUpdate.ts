import * as admissionModule from "../admission";
import type { ClusterConfig } from "../clusterConfig";
import type { BootedVmi } from "../defaults/bootVmi";
import * as bootVmiModule from "../defaults/bootVmi";
import type { AdmissionCause, Outcome, PlanInput, PlannedChange, VirtualMachinePlan } from "../plan";
import * as planModule from "../plan";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import * as versionProfileModule from "../versionProfile";
import type { Leaf } from "./diff";
import * as diffModule from "./diff";
import type { FieldGroup } from "./fieldGroups";
import * as fieldGroupsModule from "./fieldGroups";
import * as planContextModule from "./planContext";
import * as planNotesModule from "./planNotes";
import * as runningControllerModule from "./runningController";
import * as stepsModule from "./steps";
import type { GroupResult } from "./verdict";
import * as vmDefaultsModule from "./vmDefaults";
import type { RunState } from "./vmiState";
import * as vmiStateModule from "./vmiState";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { admitVirtualMachine } = admissionModule;
const { bootVirtualMachineInstanceSharingTemplate } = bootVmiModule;
const { worstOutcome } = planModule;
const { versionProfile } = versionProfileModule;
const { diffLeaves } = diffModule;
const { fieldGroup } = fieldGroupsModule;
const { clusterConfigFor, resolveVersion } = planContextModule;
const { afterRestart, pendingOnVmi } = planNotesModule;
const { controllerVerdict, runningContext } = runningControllerModule;
const { saferOrder } = stepsModule;
const { withVmDefaults } = vmDefaultsModule;
const { currentRunState, stopsTheVm } = vmiStateModule;

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
  /** internal: the VMI already predicted from the same `before`, cluster and version (the step-1 re-plan) */
  readonly predicted?: BootedVmi;
}

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
  const cluster = clusterConfigFor(input.kubevirt, version, profile);
  for (const w of cluster.warnings) messages.push(`KubeVirt CR: ${w}`);
  const admit = options.admit ?? admitVirtualMachine;
  const meta = input.after?.metadata ?? input.before?.metadata;
  const base = {
    namespace: meta?.namespace ?? "default",
    name: meta?.name ?? "",
    version: profile.label,
    // set below once a running VMI has really been derived from `before`
    predicted: false,
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
    if (input.vmi) messages.push(...pendingOnVmi(input.vmi, before));
    return { ...base, outcome: "none", changes: [], messages };
  }

  const run = currentRunState(before, input.vmi);
  let vmi = input.vmi;
  let booted: BootedVmi | undefined;
  if (run.running && !vmi) {
    booted = options.predicted ?? bootVirtualMachineInstanceSharingTemplate(before, cluster, profile);
    vmi = booted.vmi;
    base.predicted = true;
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
    const v = controllerVerdict(ctx, leaf, group, verdictCache);
    return change(leaf, v.outcome, v.reason);
  });
  const outcome = worstOutcome(changes.map((c) => c.outcome));
  if (input.vmi) messages.push(...pendingOnVmi(input.vmi, before));
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
      : saferOrder(
          input,
          (i) =>
            planVirtualMachineUpdate(i, { ...options, withoutSteps: true, ...(booted ? { predicted: booted } : {}) }),
          leaves,
          changes,
          ctx,
          verdictCache,
        );
  if (steps) {
    messages.push(
      `live and restart-required changes are mixed: apply step 1 (${steps[0]!.paths.length} live change(s)) first, let it complete, then step 2 (the full update, which needs a restart)`,
    );
    return { ...plan, steps };
  }
  return plan;
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
  // KubeVirt can report the same cause twice (e.g. from the VM and from its template): say it once
  const list = [...new Set((own.length ? own : causes).map((c) => `${c.field}: ${c.message}`))].join("; ");
  return own.length ? `denied by admission: ${list}` : `the whole update is denied by admission: ${list}`;
}
