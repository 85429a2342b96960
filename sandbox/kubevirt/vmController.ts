/**
 * The VM controller (`vm.go`): run strategies and state-change requests, starting a VMI with the boot
 * defaults and the start-spec revision, stopping it, RestartRequired sync and the live-update handlers in
 * KubeVirt's order (§0, §1), the Failure condition, and VM status (printableStatus, ready, conditions).
 */
import { atLeast } from "../../core/kubevirt/version";
import { clone, type KObject } from "../api/store";
import { getCondition, hasConditionStatus, removeCondition, setCondition } from "./conditions";
import { ANNOTATION, T, annotation, type ModelContext } from "./context";
import {
  handleAffinityChange,
  handleAffinityChangeV1_1,
  handleCpuChange,
  handleCpuChangeV1_0,
  handleMemoryChange,
  handleMemoryChangeV1_1,
  handleTolerationsChange,
  isMigrating,
  type HandlerResult,
} from "./liveUpdateHandlers";
import { clearsRestartRequired, neutralise, NON_LIVE_MESSAGE } from "./restartRequired";
import { pickNode } from "./scheduling";
import { at, jsonEqual, obj, type Obj } from "./spec";
import { applyVmiDefaults, initialVmiStatus } from "./vmiDefaults";

export const RESTART_REQUIRED = "RestartRequired";

/** VMs with runStrategy Once that already started their one VMI (by VM uid). */
const onceStarted = new Set<string>();

/** The start spec (VM template spec when the VMI was created), per VMI uid. */
export type StartSpecs = Map<string, Obj>;

export function runStrategyOf(vm: KObject): string {
  const spec = vm.spec as Obj;
  if (typeof spec.runStrategy === "string") return spec.runStrategy;
  if (spec.running === true) return "Always";
  return "Halted";
}

function vmStatus(vm: KObject): Obj {
  return obj(vm as Obj, "status");
}

function setRestartRequired(vm: KObject, message: string): void {
  setCondition(vmStatus(vm), { type: RESTART_REQUIRED, status: "True", message });
}

function vmiIsFinal(vmi: KObject): boolean {
  const p = at(vmi, "status", "phase");
  return p === "Succeeded" || p === "Failed";
}

export function startVmi(ctx: ModelContext, vm: KObject, startSpecs: StartSpecs): void {
  const cluster = ctx.cluster();
  const ns = vm.metadata.namespace!;
  const template = (at(vm, "spec", "template") ?? {}) as Obj;
  const spec = clone((template.spec ?? {}) as Obj);
  applyVmiDefaults(spec, cluster, vm.spec as Obj);
  const tmeta = (template.metadata ?? {}) as Obj;
  const status: Obj = { phase: "Scheduling", ...initialVmiStatus(spec), conditions: [] };
  const vmi = {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachineInstance",
    metadata: {
      name: vm.metadata.name,
      namespace: ns,
      labels: { ...((tmeta.labels as Record<string, string>) ?? {}), "vm.kubevirt.io/name": vm.metadata.name },
      annotations: {
        ...((tmeta.annotations as Record<string, string>) ?? {}),
        "kubevirt.io/latest-observed-api-version": "v1",
      },
      ownerReferences: [
        {
          apiVersion: "kubevirt.io/v1",
          kind: "VirtualMachine",
          name: vm.metadata.name,
          uid: vm.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
    status,
  } as unknown as KObject;
  scheduleVmi(ctx, vmi);
  const created = ctx.create(T.vmi, vmi);
  startSpecs.set(created.metadata.uid, clone((template.spec ?? {}) as Obj));
  const revName = `revision-start-vm-${vm.metadata.uid}-${vm.metadata.generation ?? 1}`;
  if (!ctx.store.get(T.revision, ns, revName)) {
    ctx.create(T.revision, {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: revName,
        namespace: ns,
        ownerReferences: [
          {
            apiVersion: "kubevirt.io/v1",
            kind: "VirtualMachine",
            name: vm.metadata.name,
            uid: vm.metadata.uid,
            controller: true,
          },
        ],
      },
      data: { spec: clone(vm.spec) },
      revision: vm.metadata.generation ?? 1,
    } as unknown as KObject);
  }
  removeCondition(vmStatus(vm), RESTART_REQUIRED);
}

/** Places a VMI on a node, or leaves it unschedulable (PodScheduled=False) until one fits. */
export function scheduleVmi(ctx: ModelContext, vmi: KObject): boolean {
  const status = obj(vmi as Obj, "status");
  const node = pickNode(ctx, vmi.spec as Obj);
  if (!node) {
    status.phase = "Scheduling";
    setCondition(status, {
      type: "PodScheduled",
      status: "False",
      reason: "Unschedulable",
      message: "0/N nodes are available: node(s) didn't match Pod's node affinity/selector.",
    });
    return false;
  }
  status.phase = "Running";
  status.nodeName = node;
  status.activePods = { [`sandbox-${vmi.metadata.name}`]: node };
  vmi.metadata.labels = { ...(vmi.metadata.labels ?? {}), "kubevirt.io/nodeName": node };
  removeCondition(status, "PodScheduled");
  setCondition(status, { type: "Ready", status: "True" });
  const vm = ctx.store.get(T.vm, vmi.metadata.namespace, vmi.metadata.name);
  if (annotation([vmi, vm], ANNOTATION.nonMigratable) === "true")
    setCondition(status, {
      type: "LiveMigratable",
      status: "False",
      reason: "DisksNotLiveMigratable",
      message: "cannot migrate VMI: sandbox.livevm.dev/non-migratable is set on this VM",
    });
  else setCondition(status, { type: "LiveMigratable", status: "True" });
  return true;
}

function stopVmi(ctx: ModelContext, vm: KObject, vmi: KObject): void {
  ctx.remove(T.vmi, vmi.metadata.namespace, vmi.metadata.name);
  removeCondition(vmStatus(vm), RESTART_REQUIRED);
}

function failureMessage(reason: string, message: string): string {
  const what: Record<string, string> = {
    HotPlugCPUError: "CPU",
    HotPlugMemoryError: "memory",
    AffinityChangeError: "affinity",
    TolerationsChangeError: "tolerations",
  };
  if (reason === "HotPlugMemoryError") return `Error encountered while handling memory hotplug request: ${message}`;
  return `Error encountered while handling ${what[reason] ?? reason} change request: ${message}`;
}

/** The sync of a running VM against its VMI (v1.2+ RestartRequired and handlers; v1.0/v1.1 liveUpdateFeatures). */
function syncRunning(ctx: ModelContext, vm: KObject, vmi: KObject, startSpecs: StartSpecs): boolean {
  const cluster = ctx.cluster();
  const v = cluster.version;
  const tmpl = clone((at(vm, "spec", "template", "spec") ?? {}) as Obj);
  const status = vmStatus(vm);
  const vmiBefore = JSON.stringify(vmi.spec);
  const results: HandlerResult[] = [];
  if (!atLeast(v, 2)) {
    results.push(handleCpuChangeV1_0(vm.spec as Obj, tmpl, vmi, cluster));
    results.push(handleAffinityChangeV1_1(vm.spec as Obj, tmpl, vmi, cluster));
    results.push(handleMemoryChangeV1_1(vm.spec as Obj, tmpl, vmi, cluster));
  } else {
    const start = startSpecs.get(vmi.metadata.uid) ?? (clone(vmi.spec) as Obj);
    const neutral = neutralise(start, tmpl, vmi, cluster);
    const restartRequired = !jsonEqual(neutral, tmpl);
    if (restartRequired) setRestartRequired(vm, NON_LIVE_MESSAGE);
    else if (clearsRestartRequired(cluster)) removeCondition(status, RESTART_REQUIRED);
    const gate = cluster.liveUpdate && !restartRequired && !hasConditionStatus(status, RESTART_REQUIRED, "True");
    if (gate) {
      const handlers: (() => HandlerResult)[] = [
        () => handleCpuChange(tmpl, vmi, cluster),
        () => handleAffinityChange(tmpl, vmi),
        ...(atLeast(v, 4) ? [() => handleTolerationsChange(tmpl, vmi)] : []),
        () => handleMemoryChange(tmpl, vmi, cluster),
      ];
      for (const h of handlers) {
        const r = h();
        results.push(r);
        if (r.kind === "error") break;
      }
    }
  }
  for (const r of results) if (r.kind === "rr" && atLeast(v, 2)) setRestartRequired(vm, r.message);
  const err = results.find((r): r is Extract<HandlerResult, { kind: "error" }> => r.kind === "error");
  if (err) {
    setCondition(status, {
      type: "Failure",
      status: "True",
      reason: err.reason,
      message: failureMessage(err.reason, err.message),
    });
    ctx.wakeIn(Math.max(50, ctx.timing.migrationMs / 4));
  } else removeCondition(status, "Failure");
  if (JSON.stringify(vmi.spec) !== vmiBefore) {
    ctx.write(T.vmi, vmi);
    return true;
  }
  return false;
}

function printableStatus(ctx: ModelContext, vm: KObject, vmi: KObject | undefined): string {
  if (!vmi) return "Stopped";
  if (vmi.metadata.deletionTimestamp) return "Stopping";
  const phase = at(vmi, "status", "phase");
  if (phase === "Scheduling" || phase === "Pending") {
    return getCondition(at(vmi, "status") as Obj, "PodScheduled")?.reason === "Unschedulable"
      ? "ErrorUnschedulable"
      : "Starting";
  }
  if (phase === "Running") {
    if (isMigrating(vmi)) return "Migrating";
    return "Running";
  }
  if (phase === "Succeeded") return "Stopped";
  if (phase === "Failed") return "Stopped";
  void ctx;
  return "Starting";
}

function updateVmStatus(ctx: ModelContext, vm: KObject, vmi: KObject | undefined): void {
  const status = vmStatus(vm);
  const ready = vmi !== undefined && hasConditionStatus(at(vmi, "status") as Obj, "Ready", "True");
  status.created = vmi !== undefined;
  status.ready = ready;
  status.printableStatus = printableStatus(ctx, vm, vmi);
  if (vmi) {
    setCondition(status, {
      type: "Ready",
      status: ready ? "True" : "False",
      ...(ready ? {} : { reason: "PodNotReady" }),
    });
    const lm = getCondition(at(vmi, "status") as Obj, "LiveMigratable");
    if (lm)
      setCondition(status, {
        type: "LiveMigratable",
        status: lm.status,
        ...(lm.reason ? { reason: lm.reason } : {}),
        ...(lm.message ? { message: lm.message } : {}),
      });
  } else {
    setCondition(status, { type: "Ready", status: "False", reason: "VMINotExists", message: "VMI does not exist" });
    removeCondition(status, "LiveMigratable");
  }
  if (atLeast(ctx.cluster().version, 3)) {
    status.desiredGeneration = vm.metadata.generation;
    status.observedGeneration = vm.metadata.generation;
    status.runStrategy = runStrategyOf(vm);
  }
}

/** One reconcile of one VM. */
export function reconcileVm(ctx: ModelContext, vm: KObject, startSpecs: StartSpecs): void {
  const statusBefore = JSON.stringify(vm.status ?? null);
  if (vm.metadata.deletionTimestamp) return;
  const ns = vm.metadata.namespace!;
  let vmi = ctx.store.get(T.vmi, ns, vm.metadata.name);
  if (vmi && !(vmi.metadata.ownerReferences ?? []).some((o) => o.uid === vm.metadata.uid)) vmi = undefined;
  const strategy = runStrategyOf(vm);
  const status = vmStatus(vm);
  const requests = Array.isArray(status.stateChangeRequests) ? (status.stateChangeRequests as Obj[]) : [];
  if (requests.length > 0) {
    const first = requests[0]!;
    if (first.action === "Stop") {
      const uid = at(first, "uid");
      if (vmi && (uid === undefined || uid === vmi.metadata.uid)) stopVmi(ctx, vm, vmi);
      requests.shift();
    } else if (first.action === "Start") {
      if (!vmi) startVmi(ctx, vm, startSpecs);
      requests.shift();
    } else requests.shift();
    if (requests.length) status.stateChangeRequests = requests;
    else delete status.stateChangeRequests;
    vmi = ctx.store.get(T.vmi, ns, vm.metadata.name);
  } else if (
    strategy === "Always" ||
    strategy === "RerunOnFailure" ||
    (strategy === "Once" && !onceStarted.has(vm.metadata.uid))
  ) {
    if (vmi && vmiIsFinal(vmi) && (strategy === "Always" || at(vmi, "status", "phase") === "Failed")) {
      stopVmi(ctx, vm, vmi);
      vmi = undefined;
    }
    if (!vmi && !(strategy === "RerunOnFailure" && vmi !== undefined)) {
      startVmi(ctx, vm, startSpecs);
      if (strategy === "Once") onceStarted.add(vm.metadata.uid);
      vmi = ctx.store.get(T.vmi, ns, vm.metadata.name);
    }
  } else if (strategy === "Halted" && vmi) {
    stopVmi(ctx, vm, vmi);
    vmi = undefined;
  }
  if (vmi && at(vmi, "status", "phase") === "Scheduling" && !vmi.metadata.deletionTimestamp) {
    if (scheduleVmi(ctx, vmi)) ctx.write(T.vmi, vmi);
  }
  if (vmi && at(vmi, "status", "phase") === "Running" && !vmi.metadata.deletionTimestamp) {
    syncRunning(ctx, vm, vmi, startSpecs);
    vmi = ctx.store.get(T.vmi, ns, vm.metadata.name);
  }
  updateVmStatus(ctx, vm, vmi);
  if (JSON.stringify(vm.status ?? null) !== statusBefore) ctx.write(T.vm, vm);
}
