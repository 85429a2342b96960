/**
 * The KubeVirt model behind the sandbox API: admission webhooks and VM subresources (ApiHooks), and the
 * controllers (virt-handler heartbeat, VM controller, VMI controller, workload updater, migration
 * controller) reconciled to a fixed point right after every write and whenever a timer is due.
 */
import { atLeast, formatVersion, type KubeVirtVersion } from "../../core/kubevirt/version";
import type { ApiHooks, Operation } from "../api/server";
import { ApiError, conflict, notFound, webhookDenied, type StatusCause } from "../api/status";
import { resourceKey, type ResourceType } from "../api/resources";
import type { KObject, Store, StoreEvent } from "../api/store";
import { clusterConfig, type ClusterConfig } from "./cluster";
import { T, type ModelContext, type Timing } from "./context";
import { heartbeat } from "./heartbeat";
import { hotplugConditionPresent, isMigratable } from "./liveUpdateHandlers";
import { isFinal, migrationController, mutateNewMigration, workloadUpdater } from "./migrations";
import { at, jsonEqual, type Obj } from "./spec";
import { admitVirtualMachine, VM_WEBHOOK } from "./vmAdmission";
import { reconcileVm, runStrategyOf, scheduleVmi, type StartSpecs } from "./vmController";
import { applyVmiDefaults, initialVmiStatus } from "./vmiDefaults";
import { reconcileVmi } from "./vmiController";
import { getCondition } from "./conditions";

export class KubeVirtModel implements ApiHooks, ModelContext {
  readonly injectedFailures = new Map<string, number>();
  private readonly startSpecs: StartSpecs = new Map();
  private running = false;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private closed = false;
  private readonly unsubscribe: () => void;
  /** Errors thrown by a controller pass (kept for tests and diagnostics; never crash the server). */
  readonly controllerErrors: Error[] = [];

  /** VMs (namespace/name) touched since the last pass: only these are reconciled, like a work queue. */
  private readonly dirty = new Set<string>();
  /** Everything must be looked at (nodes or the KubeVirt CR changed, or a timer fired). */
  private fullPass = true;
  /** A timer fired: migrations advance and VMs with a transient Failure retry. */
  private timerFired = false;
  private vmisChanged = true;

  constructor(
    readonly store: Store,
    readonly version: KubeVirtVersion,
    readonly timing: Timing,
  ) {
    this.unsubscribe = store.subscribe((e) => {
      this.noteEvent(e);
      if (!this.running) this.kick();
    });
  }

  private noteEvent(e: StoreEvent): void {
    const ns = e.object.metadata.namespace ?? "";
    switch (e.resource) {
      case resourceKey(T.vm):
        this.dirty.add(`${ns}/${e.object.metadata.name}`);
        if (e.type === "DELETED") this.collectGarbage(e.object.metadata.uid);
        break;
      case resourceKey(T.vmi):
        this.dirty.add(`${ns}/${e.object.metadata.name}`);
        this.vmisChanged = true;
        if (e.type === "DELETED") this.startSpecs.delete(e.object.metadata.uid);
        break;
      case resourceKey(T.vmim): {
        this.dirty.add(`${ns}/${String(at(e.object, "spec", "vmiName") ?? "")}`);
        if (isFinal(e.object) || e.type === "DELETED") {
          // a migration slot may have freed up: VMIs throttled by parallelMigrationsPerCluster get another look
          for (const k of this.throttled) this.dirty.add(k);
          this.throttled.clear();
        }
        break;
      }
      case resourceKey(T.node):
        this.fullPass = true;
        break;
      case resourceKey(T.kv):
        // the controllers' own status writes change nothing they read
        if (e.type !== "MODIFIED" || !jsonEqual(e.object.spec, e.previous?.spec)) this.fullPass = true;
        break;
    }
  }

  /** VMIs (namespace/name) the workload updater skipped for lack of a migration slot. */
  readonly throttled = new Set<string>();

  cluster(): ClusterConfig {
    if (!this.cachedCluster) this.cachedCluster = clusterConfig(this.version, this.store.peekAll(T.kv)[0]);
    return this.cachedCluster;
  }
  private cachedCluster: ClusterConfig | undefined;

  write(t: ResourceType, obj: KObject): KObject {
    return this.store.update(t, obj);
  }

  create(t: ResourceType, obj: KObject): KObject {
    if (!obj.metadata.name && obj.metadata.generateName) {
      const alphabet = "bcdfghjklmnpqrstvwxz2456789";
      let name: string;
      do {
        name =
          obj.metadata.generateName +
          Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join("");
      } while (this.store.get(t, obj.metadata.namespace, name));
      obj.metadata.name = name;
    }
    return this.store.create(t, obj);
  }

  remove(t: ResourceType, namespace: string | undefined, name: string): void {
    if (this.store.get(t, namespace, name)) this.store.delete(t, namespace, name);
  }

  wakeIn(ms: number): void {
    if (this.closed) return;
    const at = Date.now() + Math.max(ms, 1);
    if (at >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.timerFired = true;
        this.kick();
      },
      Math.max(ms, 1),
    );
  }

  kick(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.reconcile();
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Runs controller passes until nothing is left to do (bounded). */
  reconcile(): void {
    if (this.closed) return;
    this.running = true;
    try {
      for (let i = 0; i < 50; i++) {
        if (!this.fullPass && !this.timerFired && this.dirty.size === 0) break;
        this.pass();
      }
    } catch (e) {
      this.controllerErrors.push(e as Error);
      process.emitWarning(`sandbox controller error: ${(e as Error).stack ?? String(e)}`);
    } finally {
      this.running = false;
    }
  }

  /** The garbage collector: the VMIs and revisions of a deleted VM go with it. */
  private collectGarbage(vmUid: string): void {
    for (const t of [T.vmi, T.revision]) {
      for (const o of this.store.peekAll(t)) {
        const owner = (o.metadata.ownerReferences ?? []).find((r) => r.kind === "VirtualMachine");
        if (owner && owner.uid === vmUid) this.remove(t, o.metadata.namespace, o.metadata.name);
      }
    }
  }

  private pass(): void {
    this.cachedCluster = undefined;
    const full = this.fullPass;
    this.fullPass = false;
    const keys = full
      ? new Set(
          [...this.store.peekAll(T.vm), ...this.store.peekAll(T.vmi)].map(
            (o) => `${o.metadata.namespace}/${o.metadata.name}`,
          ),
        )
      : new Set(this.dirty);
    this.dirty.clear();
    if (this.timerFired) {
      this.timerFired = false;
      for (const vm of this.store.peekAll(T.vm))
        if (getCondition(vm.status as Obj | undefined, "Failure"))
          keys.add(`${vm.metadata.namespace}/${vm.metadata.name}`);
    }
    if (full) heartbeat(this);
    const vmis: { namespace: string; name: string }[] = [];
    for (const key of keys) {
      const slash = key.indexOf("/");
      const ns = key.slice(0, slash);
      const name = key.slice(slash + 1);
      const vm = this.store.get(T.vm, ns, name);
      if (vm) reconcileVm(this, vm, this.startSpecs);
      const vmi = this.store.get(T.vmi, ns, name);
      if (!vmi) continue;
      reconcileVmi(this, vmi);
      if (!vm && at(vmi, "status", "phase") === "Scheduling" && scheduleVmi(this, vmi)) this.write(T.vmi, vmi);
      vmis.push({ namespace: ns, name });
    }
    workloadUpdater(this, vmis);
    migrationController(this);
    if (full || this.vmisChanged) {
      this.vmisChanged = false;
      this.updateKubeVirtStatus();
    }
  }

  private updateKubeVirtStatus(): void {
    for (const kv of this.store.list(T.kv)) {
      const status = { ...((kv.status as Obj | undefined) ?? {}) };
      const outdated = this.store.peekAll(T.vmi).filter((v) => hotplugConditionPresent(v)).length;
      const next: Obj = {
        ...status,
        phase: "Deployed",
        observedKubeVirtVersion: formatVersion(this.version),
        targetKubeVirtVersion: formatVersion(this.version),
        operatorVersion: formatVersion(this.version),
        defaultArchitecture: status.defaultArchitecture ?? "amd64",
        outdatedVirtualMachineInstanceWorkloads: outdated,
        observedGeneration: kv.metadata.generation,
        conditions: [
          { type: "Available", status: "True", reason: "AllComponentsReady", message: "All components are ready." },
          { type: "Progressing", status: "False", reason: "AllComponentsReady", message: "All components are ready." },
          { type: "Degraded", status: "False", reason: "AllComponentsReady", message: "All components are ready." },
        ],
      };
      if (!jsonEqual(next, kv.status)) {
        kv.status = next;
        this.write(T.kv, kv);
      }
    }
  }

  // ---- admission (client requests only) ----

  admit(op: Operation, t: ResourceType, obj: KObject, old: KObject | undefined, subresource?: string): void {
    if (op === "DELETE" || subresource === "status") return;
    const cluster = this.cluster();
    if (t === T.vm) {
      const tmplSpec = at(obj, "spec", "template", "spec");
      if (tmplSpec && typeof tmplSpec === "object" && !Array.isArray(tmplSpec)) {
        const s = tmplSpec as Obj;
        if (typeof s.architecture !== "string" || s.architecture === "") s.architecture = cluster.defaultArchitecture;
      }
      const causes = admitVirtualMachine(obj as Obj, old as Obj | undefined, cluster);
      if (!atLeast(cluster.version, 2) && old && causes.length === 0)
        causes.push(...this.runningUpdateCausesV1_0(obj, old));
      if (causes.length > 0) throw webhookDenied(VM_WEBHOOK, causes);
      return;
    }
    if (t === T.vmi) {
      if (op === "CREATE") {
        const spec = (obj.spec ?? {}) as Obj;
        obj.spec = spec;
        applyVmiDefaults(spec, cluster);
        obj.status = { phase: "Scheduling", ...initialVmiStatus(spec), conditions: [] };
        return;
      }
      if (old && !jsonEqual(obj.spec, old.spec)) {
        throw webhookDenied("virtualmachineinstances-update-validator.kubevirt.io", [
          { type: "FieldValueNotSupported", message: "update of VMI object is restricted", field: "spec" },
        ]);
      }
      return;
    }
    if (t === T.vmim && op === "CREATE") {
      const name = String(at(obj, "spec", "vmiName") ?? "");
      const causes: StatusCause[] = [];
      const vmi = name ? this.store.get(T.vmi, obj.metadata.namespace, name) : undefined;
      if (!name) causes.push({ type: "FieldValueRequired", message: "vmiName is required", field: "spec.vmiName" });
      else if (!vmi)
        causes.push({
          type: "FieldValueInvalid",
          message: `the VMI "${obj.metadata.namespace}/${name}" does not exist`,
          field: "spec.vmiName",
        });
      else if (at(vmi, "status", "phase") !== "Running")
        causes.push({
          type: "FieldValueInvalid",
          message: `Cannot migrate VMI in non-running state`,
          field: "spec.vmiName",
        });
      else if (!isMigratable(vmi)) {
        const c = getCondition(at(vmi, "status") as Obj, "LiveMigratable");
        causes.push({
          type: "FieldValueInvalid",
          message: `Cannot migrate VMI, Reason: ${c?.reason ?? "NotMigratable"}, Message: ${c?.message ?? "the VMI is not migratable"}`,
          field: "spec.vmiName",
        });
      } else if (
        this.store.peekAll(T.vmim, obj.metadata.namespace).some((m) => at(m, "spec", "vmiName") === name && !isFinal(m))
      )
        causes.push({
          type: "FieldValueInvalid",
          message: `in-flight migration detected. Active migration job is currently running for VMI ${name}`,
          field: "spec.vmiName",
        });
      if (causes.length) throw webhookDenied("migration-create-validator.kubevirt.io", causes);
      mutateNewMigration(obj);
    }
  }

  /** v1.0/v1.1 restrictions on socket and memory changes of a running VM (§2.6). */
  private runningUpdateCausesV1_0(vm: KObject, old: KObject): StatusCause[] {
    const causes: StatusCause[] = [];
    if (at(old, "status", "ready") !== true || !at(vm, "spec", "liveUpdateFeatures")) return causes;
    const vmi = this.store.get(T.vmi, vm.metadata.namespace, vm.metadata.name);
    if (!vmi) return causes;
    const socketsChanged =
      at(vm, "spec", "template", "spec", "domain", "cpu", "sockets") !==
      at(old, "spec", "template", "spec", "domain", "cpu", "sockets");
    const memChanged = !jsonEqual(
      at(vm, "spec", "template", "spec", "domain", "memory", "guest"),
      at(old, "spec", "template", "spec", "domain", "memory", "guest"),
    );
    const migrating =
      at(vmi, "status", "migrationState", "startTimestamp") !== undefined &&
      at(vmi, "status", "migrationState", "endTimestamp") === undefined;
    const status = at(vmi, "status") as Obj;
    if (socketsChanged) {
      if (getCondition(status, "HotVCPUChange")?.status === "True")
        causes.push({
          type: "FieldValueInvalid",
          message: "cannot update CPU sockets while another CPU change is in progress",
          field: "spec.template.spec.domain.cpu.sockets",
        });
      else if (migrating)
        causes.push({
          type: "FieldValueInvalid",
          message: "cannot update while VMI migration is in progress",
          field: "spec.template.spec.domain.cpu.sockets",
        });
    }
    if (memChanged && atLeast(this.version, 1)) {
      if (getCondition(status, "HotMemoryChange")?.status === "True")
        causes.push({
          type: "FieldValueInvalid",
          message: "cannot update memory while another memory change is in progress",
          field: "spec.template.spec.domain.memory.guest",
        });
    }
    return causes;
  }

  // ---- subresources.kubevirt.io ----

  vmSubresource(namespace: string, name: string, action: string): void {
    const vm = this.store.get(T.vm, namespace, name);
    if (!vm) throw notFound("kubevirt.io", "virtualmachines", name);
    const vmi = this.store.get(T.vmi, namespace, name);
    const running = vmi !== undefined && !vmi.metadata.deletionTimestamp;
    const strategy = runStrategyOf(vm);
    const spec = vm.spec as Obj;
    const setStrategy = (s: string) => {
      if (typeof spec.running === "boolean") spec.running = s !== "Halted";
      else spec.runStrategy = s;
      this.store.update(T.vm, vm);
    };
    const addRequests = (reqs: Obj[]) => {
      const status = (vm.status ?? {}) as Obj;
      vm.status = status;
      const list = Array.isArray(status.stateChangeRequests) ? status.stateChangeRequests : [];
      if (list.length > 0)
        throw conflict("kubevirt.io", "virtualmachines", name, "VM has pending state change requests; retry later");
      status.stateChangeRequests = reqs;
      this.store.update(T.vm, vm);
    };
    const deny = (msg: string) => new ApiError(409, "Conflict", msg);
    switch (action) {
      case "start":
        if (running) throw deny("VM is already running");
        if (strategy === "Halted") setStrategy("Always");
        else if (strategy === "Manual" || strategy === "RerunOnFailure" || strategy === "Once")
          addRequests([{ action: "Start" }]);
        else throw deny(`${strategy} does not support manual start requests`);
        return;
      case "stop":
        if (!running && strategy !== "Always") throw deny("VM is not running");
        if (strategy === "Manual") addRequests([{ action: "Stop", uid: vmi!.metadata.uid }]);
        else setStrategy("Halted");
        return;
      case "restart":
        if (strategy === "Halted") throw deny("RunStategy Halted does not support manual restart requests");
        if (!running) throw deny("VM is not running");
        addRequests([{ action: "Stop", uid: vmi!.metadata.uid }, { action: "Start" }]);
        return;
      default:
        throw notFound("subresources.kubevirt.io", "virtualmachines", `${name}/${action}`);
    }
  }
}
