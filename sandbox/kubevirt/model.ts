/**
 * The KubeVirt model behind the sandbox API: admission webhooks and VM subresources (ApiHooks), and the
 * controllers (virt-handler heartbeat, VM controller, VMI controller, workload updater, migration
 * controller) reconciled to a fixed point right after every write and whenever a timer is due.
 */
import { atLeast, formatVersion, type KubeVirtVersion } from "../../core/kubevirt/version";
import type { ApiHooks, Operation } from "../api/server";
import { ApiError, conflict, notFound, webhookDenied, type StatusCause } from "../api/status";
import type { ResourceType } from "../api/resources";
import type { KObject, Store } from "../api/store";
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
  private unsubscribe: () => void;
  /** Errors thrown by a controller pass (kept for tests and diagnostics; never crash the server). */
  readonly controllerErrors: Error[] = [];

  constructor(
    readonly store: Store,
    readonly version: KubeVirtVersion,
    readonly timing: Timing,
  ) {
    this.unsubscribe = store.subscribe(() => {
      if (!this.running) this.kick();
    });
  }

  cluster(): ClusterConfig {
    const kv = this.store.peekAll(T.kv)[0];
    return clusterConfig(this.version, kv);
  }

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

  /** Runs controller passes until nothing changes (bounded). */
  reconcile(): void {
    if (this.closed) return;
    this.running = true;
    try {
      for (let i = 0; i < 30; i++) {
        const before = this.store.currentRevision;
        this.pass();
        if (this.store.currentRevision === before) break;
      }
    } catch (e) {
      this.controllerErrors.push(e as Error);
      process.emitWarning(`sandbox controller error: ${(e as Error).stack ?? String(e)}`);
    } finally {
      this.running = false;
    }
  }

  /** The garbage collector: VMIs and revisions whose owning VM is gone are deleted. */
  private collectGarbage(): void {
    const vmUids = new Set(this.store.peekAll(T.vm).map((v) => v.metadata.uid));
    for (const t of [T.vmi, T.revision]) {
      for (const o of this.store.list(t)) {
        const owner = (o.metadata.ownerReferences ?? []).find((r) => r.kind === "VirtualMachine");
        if (owner && !vmUids.has(String(owner.uid))) this.remove(t, o.metadata.namespace, o.metadata.name);
      }
    }
  }

  private pass(): void {
    heartbeat(this);
    this.collectGarbage();
    for (const vm of this.store.list(T.vm)) reconcileVm(this, vm, this.startSpecs);
    for (const vmi of this.store.list(T.vmi)) {
      reconcileVmi(this, vmi);
      if (
        !this.store.get(T.vm, vmi.metadata.namespace, vmi.metadata.name) &&
        at(vmi, "status", "phase") === "Scheduling"
      ) {
        if (scheduleVmi(this, vmi)) this.write(T.vmi, vmi);
      }
    }
    workloadUpdater(this);
    migrationController(this);
    this.updateKubeVirtStatus();
    for (const uid of [...this.startSpecs.keys()]) {
      if (!this.store.peekAll(T.vmi).some((v) => v.metadata.uid === uid)) this.startSpecs.delete(uid);
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
