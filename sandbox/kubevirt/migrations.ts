/**
 * The workload updater (`workload-updater.go`, §5.3 and §9) and the migration controller with the target
 * virt-handler's side of a hotplug (`migration.go`, `migration-target.go`, §5.1): workload-update and
 * evacuation migrations, throttling, back-off after failures (v1.4+), phases over the configured
 * duration, and what a successful migration does to the VMI.
 */
import { atLeast } from "../../core/kubevirt/version";
import { clone, now, type KObject } from "../api/store";
import { getCondition, hasConditionStatus, removeCondition, setCondition } from "./conditions";
import { ANNOTATION, T, annotation, type ModelContext } from "./context";
import { hotplugConditionPresent, isMigratable, isMigrating } from "./liveUpdateHandlers";
import { pickNode } from "./scheduling";
import { at, isObject, obj, topologyOf, type Obj } from "./spec";

export const WORKLOAD_UPDATE_ANNOTATION = "kubevirt.io/workloadUpdateMigration";
export const EVACUATION_ANNOTATION = "kubevirt.io/evacuationMigration";
export const VMI_NAME_LABEL = "kubevirt.io/vmi-name";
export const MIGRATION_FINALIZER = "kubevirt.io/migrationJobFinalize";

const PHASES = ["Pending", "Scheduling", "Scheduled", "PreparingTarget", "TargetReady", "Running"] as const;
const FINAL = new Set(["Succeeded", "Failed"]);

export function migrationPhase(m: KObject): string {
  return String(at(m, "status", "phase") ?? "Pending");
}

export function isFinal(m: KObject): boolean {
  return FINAL.has(migrationPhase(m));
}

function vmiName(m: KObject): string {
  return String(at(m, "spec", "vmiName") ?? "");
}

/** Admission-time mutation of a new migration (`migration-create-mutator.go`): selector label, finalizer. */
export function mutateNewMigration(m: KObject): void {
  const name = vmiName(m);
  m.metadata.labels = { ...(m.metadata.labels ?? {}), [VMI_NAME_LABEL]: name };
  const f = m.metadata.finalizers ?? [];
  if (!f.includes(MIGRATION_FINALIZER)) m.metadata.finalizers = [...f, MIGRATION_FINALIZER];
}

function priority(ctx: ModelContext): Obj {
  const c = ctx.cluster();
  if (atLeast(c.version, 9) || (atLeast(c.version, 7) && c.featureGates.has("MigrationPriorityQueue")))
    return { priority: "user-triggered" };
  return {};
}

function newMigration(ctx: ModelContext, vmi: KObject, kind: "workload" | "evacuation"): void {
  const ns = vmi.metadata.namespace!;
  const m = {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachineInstanceMigration",
    metadata: {
      name: "",
      generateName: kind === "workload" ? "kubevirt-workload-update-" : "kubevirt-evacuation-",
      namespace: ns,
      annotations:
        kind === "workload"
          ? { [WORKLOAD_UPDATE_ANNOTATION]: "" }
          : { [EVACUATION_ANNOTATION]: String(at(vmi, "status", "nodeName") ?? "") },
    },
    spec: { vmiName: vmi.metadata.name, ...(kind === "workload" ? priority(ctx) : {}) },
  } as unknown as KObject;
  mutateNewMigration(m);
  ctx.create(T.vmim, m);
}

function vmiKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/** VMIs (namespace/name) with an unfinished migration. */
function busyVmis(ctx: ModelContext): Set<string> {
  const out = new Set<string>();
  for (const m of ctx.store.peekAll(T.vmim)) if (!isFinal(m)) out.add(vmiKey(m.metadata.namespace, vmiName(m)));
  return out;
}

/** One pass of the workload updater over the given running VMIs (those touched since the last pass). */
export function workloadUpdater(ctx: ModelContext, keys: { namespace: string; name: string }[]): void {
  const cluster = ctx.cluster();
  const methods = cluster.workloadUpdateMethods;
  let budget: number | undefined;
  let busy: Set<string> | undefined;
  const vmis = keys
    .map((k) => ctx.store.get(T.vmi, k.namespace, k.name))
    .filter((v): v is KObject => !!v)
    .filter((v) => at(v, "status", "phase") === "Running" && !v.metadata.deletionTimestamp)
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const vmi of vmis) {
    if (!hotplugConditionPresent(vmi)) continue;
    const key = vmiKey(vmi.metadata.namespace, vmi.metadata.name);
    busy ??= busyVmis(ctx);
    if (isMigrating(vmi) || busy.has(key)) continue;
    budget ??= cluster.parallelMigrationsPerCluster - ctx.store.peekAll(T.vmim).filter((m) => !isFinal(m)).length;
    const migratable = isMigratable(vmi);
    if (methods.includes("LiveMigrate") && migratable) {
      if (budget <= 0) {
        ctx.throttled.add(key);
        continue;
      }
      newMigration(ctx, vmi, "workload");
      busy.add(key);
      budget--;
    } else if (methods.includes("Evict")) {
      const strategy = String(at(vmi, "spec", "evictionStrategy") ?? cluster.evictionStrategy ?? "None");
      if ((strategy === "LiveMigrate" || strategy === "LiveMigrateIfPossible") && migratable) {
        if (budget <= 0) {
          ctx.throttled.add(key);
          continue;
        }
        newMigration(ctx, vmi, "evacuation");
        busy.add(key);
        budget--;
      } else if (strategy === "None" || strategy === "LiveMigrateIfPossible") {
        // the launcher pod is evicted: the VMI goes away and the run strategy brings the VM back
        ctx.remove(T.vmi, vmi.metadata.namespace, vmi.metadata.name);
      }
      // LiveMigrate / External on a non-migratable VMI: the eviction is refused, the VMI stays
    }
  }
}

function setPhase(m: KObject, phase: string): void {
  const status = obj(m as Obj, "status");
  status.phase = phase;
  const list = Array.isArray(status.phaseTransitionTimestamps) ? status.phaseTransitionTimestamps : [];
  list.push({ phase, phaseTransitionTimestamp: now() });
  status.phaseTransitionTimestamps = list;
}

function enteredAt(m: KObject): number {
  const list = at(m, "status", "phaseTransitionTimestamps");
  const last = Array.isArray(list) ? list[list.length - 1] : undefined;
  const ts = isObject(last) ? Date.parse(String(last.phaseTransitionTimestamp)) : NaN;
  return Number.isFinite(ts) ? ts : Date.parse(m.metadata.creationTimestamp);
}

/** Precise phase-entry times (timestamps in the API have second resolution). */
const phaseClock = new Map<string, { phase: string; at: number }>();

function phaseStart(m: KObject): number {
  const c = phaseClock.get(m.metadata.uid);
  if (c && c.phase === migrationPhase(m)) return c.at;
  return enteredAt(m);
}

function notePhase(m: KObject): void {
  phaseClock.set(m.metadata.uid, { phase: migrationPhase(m), at: Date.now() });
}

type History = Map<string, { phase: string; at: number }[]>;

/** Finished migrations per VMI, oldest first. */
function migrationHistory(ctx: ModelContext): History {
  const out: History = new Map();
  for (const o of ctx.store.peekAll(T.vmim)) {
    if (!isFinal(o)) continue;
    const key = vmiKey(o.metadata.namespace, vmiName(o));
    const list = out.get(key) ?? [];
    list.push({ phase: migrationPhase(o), at: finishedAt(o) });
    out.set(key, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.at - b.at);
  return out;
}

/** Back-off for workload-update/evacuation migrations (v1.4+): delay until, in epoch ms, or 0. */
function backoffUntil(ctx: ModelContext, m: KObject, history: () => History): number {
  if (!atLeast(ctx.cluster().version, 4)) return 0;
  const ann = m.metadata.annotations ?? {};
  if (!(WORKLOAD_UPDATE_ANNOTATION in ann) && !(EVACUATION_ANNOTATION in ann)) return 0;
  let failures = 0;
  let lastFailure = 0;
  for (const h of history().get(vmiKey(m.metadata.namespace, vmiName(m))) ?? []) {
    if (h.phase === "Succeeded") failures = 0;
    else {
      failures++;
      lastFailure = h.at;
    }
  }
  if (failures === 0) return 0;
  return lastFailure + ctx.timing.backoffBaseMs * 2 ** (failures - 1);
}

const finishedClock = new Map<string, number>();
function finishedAt(m: KObject): number {
  return finishedClock.get(m.metadata.uid) ?? enteredAt(m);
}

function failMigration(ctx: ModelContext, m: KObject, vmi: KObject | undefined, reason: string): void {
  setPhase(m, "Failed");
  obj(m as Obj, "status").migrationState = {
    ...((at(m, "status", "migrationState") as Obj | undefined) ?? {}),
    endTimestamp: now(),
    completed: false,
    failed: true,
    failureReason: reason,
  };
  finishedClock.set(m.metadata.uid, Date.now());
  ctx.write(T.vmim, m);
  if (vmi && isObject(at(vmi, "status", "migrationState"))) {
    const ms = at(vmi, "status", "migrationState") as Obj;
    if (ms.migrationUid === m.metadata.uid) {
      Object.assign(ms, { endTimestamp: now(), completed: false, failed: true, failureReason: reason });
      ctx.write(T.vmi, vmi);
    }
  }
}

/** The target virt-handler finishing a migration: hotplug CPU/memory, move the VMI, clear conditions. */
function completeMigration(ctx: ModelContext, m: KObject, vmi: KObject, target: string): void {
  const status = obj(vmi as Obj, "status");
  const spec = vmi.spec as Obj;
  if (getCondition(status, "HotVCPUChange")) {
    const t = topologyOf(spec);
    status.currentCPUTopology = { sockets: t.sockets, cores: t.cores, threads: t.threads };
    removeCondition(status, "HotVCPUChange");
  }
  if (hasConditionStatus(status, "HotMemoryChange", "True")) {
    const vm = ctx.store.get(T.vm, vmi.metadata.namespace, vmi.metadata.name);
    if (annotation([vmi, vm], ANNOTATION.failMemoryHotplug) === "true") {
      setCondition(status, {
        type: "HotMemoryChange",
        status: "False",
        reason: "Memory Hotplug Failed",
        message: "memory hotplug failed, the VM configuration is not supported",
      });
    } else {
      const guest = at(spec, "domain", "memory", "guest");
      const mem = obj(status, "memory");
      mem.guestRequested = guest;
      mem.guestCurrent = guest;
      removeCondition(status, "HotMemoryChange");
    }
  }
  removeCondition(status, "MigrationRequired");
  const source = status.nodeName;
  status.nodeName = target;
  vmi.metadata.labels = { ...(vmi.metadata.labels ?? {}), "kubevirt.io/nodeName": target };
  status.migrationState = {
    ...((status.migrationState as Obj | undefined) ?? {}),
    sourceNode: source,
    targetNode: target,
    endTimestamp: now(),
    completed: true,
    failed: false,
  };
  ctx.write(T.vmi, vmi);
  setPhase(m, "Succeeded");
  obj(m as Obj, "status").migrationState = { ...(status.migrationState as Obj) };
  finishedClock.set(m.metadata.uid, Date.now());
  ctx.write(T.vmim, m);
}

/** Advances every unfinished migration by at most one phase when its time has come. */
export function migrationController(ctx: ModelContext): void {
  const cluster = ctx.cluster();
  const step = ctx.timing.migrationMs / PHASES.length;
  const pending = ctx.store
    .peekAll(T.vmim)
    .filter((m) => !isFinal(m) || m.metadata.deletionTimestamp)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion))
    .map((m) => clone(m));
  let running = pending.filter((m) => !isFinal(m) && migrationPhase(m) !== "Pending").length;
  let history: History | undefined;
  const getHistory = () => (history ??= migrationHistory(ctx));
  for (const m of pending) {
    const ns = m.metadata.namespace;
    const vmi = ctx.store.get(T.vmi, ns, vmiName(m));
    if (m.metadata.deletionTimestamp) {
      if (!isFinal(m)) failMigration(ctx, m, vmi, "migration aborted: the migration object was deleted");
      const cur = ctx.store.get(T.vmim, ns, m.metadata.name);
      if (cur) {
        cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f) => f !== MIGRATION_FINALIZER);
        ctx.write(T.vmim, cur);
      }
      continue;
    }
    if (isFinal(m)) continue;
    const phase = migrationPhase(m);
    if (at(m, "status", "phase") === undefined) {
      setPhase(m, "Pending");
      notePhase(m);
      ctx.write(T.vmim, m);
      ctx.wakeIn(step);
      continue;
    }
    if (!vmi || at(vmi, "status", "phase") !== "Running") {
      failMigration(ctx, m, vmi, `Migration failed: vmi ${vmiName(m)} is not running`);
      continue;
    }
    const ann = m.metadata.annotations ?? {};
    const preTarget = ["Pending", "Scheduling", "Scheduled", "PreparingTarget"].includes(phase);
    if (WORKLOAD_UPDATE_ANNOTATION in ann && preTarget && !hotplugConditionPresent(vmi)) {
      // the change is no longer in progress: the workload updater aborts its migration
      ctx.remove(T.vmim, ns, m.metadata.name);
      continue;
    }
    const due = phaseStart(m) + step;
    const nowMs = Date.now();
    if (phase === "Pending") {
      const until = backoffUntil(ctx, m, getHistory);
      if (until > nowMs) {
        ctx.wakeIn(until - nowMs);
        continue;
      }
      if (running >= cluster.parallelMigrationsPerCluster) continue;
    }
    if (nowMs < due) {
      ctx.wakeIn(due - nowMs);
      continue;
    }
    const idx = PHASES.indexOf(phase as (typeof PHASES)[number]);
    if (phase === "Pending") {
      // the target pod is created: the migration counts against parallelMigrationsPerCluster from here
      obj(m as Obj, "status").migrationState = {
        migrationUid: m.metadata.uid,
        sourceNode: at(vmi, "status", "nodeName"),
        mode: "PreCopy",
      };
      obj(vmi as Obj, "status").migrationState = { ...(at(m, "status", "migrationState") as Obj) };
      ctx.write(T.vmi, vmi);
      running++;
    }
    if (phase === "Scheduling") {
      const target = pickNode(ctx, vmi.spec as Obj, String(at(vmi, "status", "nodeName") ?? ""));
      if (!target) {
        // no node fits the target pod (nodeSelector, dedicated CPUs, a single node): it stays pending
        ctx.wakeIn(step * 4);
        continue;
      }
      (obj(m as Obj, "status").migrationState as Obj).targetNode = target;
      (obj(obj(vmi as Obj, "status"), "migrationState") as Obj).targetNode = target;
      ctx.write(T.vmi, vmi);
    }
    if (phase === "Running") {
      const vm = ctx.store.get(T.vm, ns, vmi.metadata.name);
      const wanted = Number(annotation([vmi, vm], ANNOTATION.failMigrations) ?? 0);
      const key = vm?.metadata.uid ?? vmi.metadata.uid;
      const done = ctx.injectedFailures.get(key) ?? 0;
      if (Number.isFinite(wanted) && done < wanted) {
        ctx.injectedFailures.set(key, done + 1);
        failMigration(ctx, m, vmi, `sandbox: injected migration failure ${done + 1} of ${wanted}`);
        continue;
      }
      const target = String(at(m, "status", "migrationState", "targetNode") ?? "");
      completeMigration(ctx, m, vmi, target);
      continue;
    }
    const next = PHASES[idx + 1]!;
    setPhase(m, next);
    notePhase(m);
    if (next === "Running") {
      const ms = obj(obj(vmi as Obj, "status"), "migrationState");
      ms.startTimestamp = now();
      (obj(m as Obj, "status").migrationState as Obj).startTimestamp = ms.startTimestamp;
      ctx.write(T.vmi, vmi);
    }
    ctx.write(T.vmim, m);
    ctx.wakeIn(step);
  }
}
