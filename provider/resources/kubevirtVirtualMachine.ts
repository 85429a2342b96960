import type { VirtualMachinePlan } from "../../core/kubevirt/plan";
import type { KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import type { VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import type { VirtualMachineInstance } from "../../core/kubevirt/schema/virtualMachineInstance";
import type { ProviderConfig } from "../config";
import { findCondition } from "../await/condition/conditionStatus";
import { isAlreadyExists, isNotFound } from "../kubernetes/apiError";
import { collectionPath, objectPath, VIRTUAL_MACHINE, VIRTUAL_MACHINE_INSTANCE } from "../kubernetes/kinds";
import { resolveClusterAccess } from "../kubernetes/kubeconfig";
import type { KubeObject } from "../kubernetes/watchCache";
import { diffValues, pathString } from "../json/detailedDiff";
import { sameValue } from "../json/equal";
import { applyMergePatch, createMergePatch } from "../json/mergePatch";
import { pruneToShape } from "../json/prune";
import { containsUnknown, UNKNOWN } from "../properties";
import { applyUpdate, declaredManifest, restartPolicy, type Planner } from "../kubevirt/applyUpdate";
import { clusterFor, type KubeVirtCluster } from "../kubevirt/cluster";
import { effectivePlan } from "../kubevirt/effectivePlan";
import { lastPlanOf } from "../kubevirt/lastPlan";
import { changeLine, rejectionMessage, restartFailMessage, severityOf } from "../kubevirt/planMessages";
import { importedMetadata, importedSpec } from "../kubevirt/serverDefaults";
import { VIRTUAL_MACHINE_SCHEMA, VIRTUAL_MACHINE_TYPES } from "../kubevirt/virtualMachineSchema";
import { buildOutputs, type VmOutputs } from "../kubevirt/vmOutputs";
import {
  checkVmInputs,
  declaredMetadata,
  manifestOf,
  parseVmId,
  vmId,
  wantsToRun,
  type VmInputs,
} from "../kubevirt/vmInputs";
import { waitGone, waitRunning } from "../kubevirt/waits";
import {
  PartialFailure,
  type DiffResult,
  type PropertyDiff,
  type ResourceContext,
  type ResourceHandler,
} from "./resource";

/** In a preview, what only the cluster can tell (status, RestartRequired, topology, the VMI) is not known yet. */
const UNKNOWN_OBSERVED = {
  status: UNKNOWN,
  restartRequired: UNKNOWN,
  restartRequiredMessage: UNKNOWN,
  currentCpuTopology: UNKNOWN,
  memory: UNKNOWN,
  vmiUid: UNKNOWN,
  lastPlan: UNKNOWN,
} as const;

/**
 * livevm:kubevirt:VirtualMachine: a KubeVirt VirtualMachine whose CPU-socket and guest-memory changes
 * are applied live (hotplug through live migration) instead of replacing or restarting the VM. Preview
 * says, per change, what KubeVirt will do (core's planner); update waits until it really happened.
 */

export const VIRTUAL_MACHINE_TOKEN = "livevm:kubevirt:VirtualMachine";

export interface VirtualMachineHandlerOptions {
  /** core's planVirtualMachineUpdate */
  readonly planner: Planner;
  /** the cluster for a provider configuration (tests inject their own) */
  readonly cluster?: (config: ProviderConfig) => Promise<KubeVirtCluster>;
  /** how long Check/Diff wait for the cluster before planning from state alone (ms, default 10 s) */
  readonly planClusterTimeoutMs?: number;
}

const REPLACE_PATHS = ["metadata.name", "metadata.namespace"];

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Inputs as recorded in state, for very old state without recorded inputs. */
function inputsFromState(state: VmOutputs): VmInputs {
  return {
    apiVersion: state.apiVersion ?? "kubevirt.io/v1",
    kind: state.kind ?? "VirtualMachine",
    metadata: declaredMetadata(state.metadata ?? {}),
    spec: state.spec ?? {},
    ...(state.onRestartRequired ? { onRestartRequired: state.onRestartRequired as VmInputs["onRestartRequired"] } : {}),
    ...(state.waitForLiveUpdate !== undefined ? { waitForLiveUpdate: state.waitForLiveUpdate } : {}),
  };
}

/** What Diff compares: the declared object and the provider's own options. */
function comparable(inputs: VmInputs): Record<string, unknown> {
  return {
    ...declaredManifest(inputs),
    onRestartRequired: inputs.onRestartRequired,
    waitForLiveUpdate: inputs.waitForLiveUpdate,
  };
}

function logPlan(ctx: ResourceContext, plan: VirtualMachinePlan, id: string): void {
  for (const c of plan.changes) ctx.log(c.outcome === "none" ? "info" : severityOf(c.outcome), changeLine(c));
  for (const m of plan.messages) ctx.log("info", `VirtualMachine ${id}: ${m}`);
}

export function createVirtualMachineHandler(
  options: VirtualMachineHandlerOptions,
): ResourceHandler<VmInputs, VmOutputs> {
  const planner = options.planner;
  const getCluster = options.cluster ?? ((config: ProviderConfig) => clusterFor(config));
  const planTimeout = options.planClusterTimeoutMs ?? 10_000;

  const defaultNamespace = async (config: ProviderConfig): Promise<string> => {
    if (config.namespace) return config.namespace;
    try {
      return (await resolveClusterAccess(config)).namespace;
    } catch {
      return "default";
    }
  };

  /** The cluster's view for planning, or the reason it is not available. */
  const clusterView = async (
    ctx: ResourceContext,
    namespace: string,
    name: string,
  ): Promise<{ vm?: KubeObject; vmi?: KubeObject; kubevirt?: KubeVirt; problem?: string }> => {
    try {
      const cluster = await withTimeout(getCluster(ctx.config), planTimeout, "connecting to the cluster");
      const [vm, vmi, kv] = await withTimeout(
        Promise.all([
          cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal),
          cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name, ctx.signal),
          cluster.kubevirt(ctx.signal),
        ]),
        planTimeout,
        "reading the VirtualMachine, its VMI and the KubeVirt CR",
      );
      if (kv.problem) ctx.log("warning", `planning without the KubeVirt CR: ${kv.problem}`);
      return { ...(vm ? { vm } : {}), ...(vmi ? { vmi } : {}), ...(kv.cr ? { kubevirt: kv.cr } : {}) };
    } catch (e) {
      return { problem: (e as Error).message };
    }
  };

  return {
    token: VIRTUAL_MACHINE_TOKEN,
    schema: VIRTUAL_MACHINE_SCHEMA,
    types: VIRTUAL_MACHINE_TYPES,

    async check(olds, news, ctx) {
      const namespace = await defaultNamespace(ctx.config);
      const { inputs, failures, vm } = checkVmInputs(olds, news, { namespace, logicalName: ctx.name });
      if (failures.length > 0 || !vm) return { inputs, failures };
      // Admission as KubeVirt's webhook would judge it, for the cluster's version when it can be read.
      let kubevirt: KubeVirt | undefined;
      try {
        const cluster = await withTimeout(getCluster(ctx.config), planTimeout, "connecting to the cluster");
        kubevirt = (await withTimeout(cluster.kubevirt(ctx.signal), planTimeout, "reading the KubeVirt CR")).cr;
      } catch {
        kubevirt = undefined;
      }
      const plan = planner({ after: vm, ...(kubevirt ? { kubevirt } : {}) });
      if (plan.outcome === "rejected") {
        const causes = plan.admission ?? [];
        const admissionFailures =
          causes.length > 0
            ? causes.map((c) => ({ property: c.field, reason: c.message }))
            : plan.changes.filter((c) => c.outcome === "rejected").map((c) => ({ property: c.path, reason: c.reason }));
        return { inputs, failures: admissionFailures };
      }
      return { inputs, failures: [] };
    },

    async diff(_id, olds, news, ctx, extras) {
      const oldInputs = extras.oldInputs ?? inputsFromState(olds);
      const diffs = diffValues(comparable(oldInputs), comparable(news));
      const detailedDiff: Record<string, PropertyDiff> = {};
      const replaces = new Set<string>();
      for (const d of diffs) {
        const path = pathString(d.path);
        const replace = REPLACE_PATHS.some((p) => path === p);
        if (replace) replaces.add(path);
        detailedDiff[path] = {
          kind: replace ? (`${d.kind}-replace` as PropertyDiff["kind"]) : d.kind,
          inputDiff: true,
        };
      }
      const result: DiffResult = {
        changes: diffs.length > 0,
        replaces: [...replaces],
        detailedDiff,
        ...(replaces.size === 0 ? { stables: ["apiVersion", "kind", "metadata.name", "metadata.namespace"] } : {}),
      };
      const specChanged = diffs.some((d) => d.path[0] === "spec" || d.path[0] === "metadata");
      if (diffs.length === 0 || replaces.size > 0 || !specChanged) return result;

      const id = vmId(news);
      if (containsUnknown(news.spec) || containsUnknown(news.metadata)) {
        ctx.log(
          "info",
          `VirtualMachine ${id}: some values are unknown until apply; livevm will plan the change when they are known`,
        );
        return result;
      }
      const namespace = String(news.metadata["namespace"]);
      const name = String(news.metadata["name"]);
      const view = await clusterView(ctx, namespace, name);
      let before: KubeObject;
      if (view.vm) before = view.vm;
      else {
        if (view.problem)
          ctx.log(
            "warning",
            `could not read the cluster to plan this change (${view.problem}): planning from the last known state`,
          );
        else
          ctx.log(
            "warning",
            `VirtualMachine ${id} no longer exists in the cluster: run \`pulumi refresh\`; planning from the last known state`,
          );
        before = {
          apiVersion: olds.apiVersion,
          kind: olds.kind,
          metadata: olds.metadata,
          spec: olds.spec,
          status: olds.status,
        };
      }
      const after = applyMergePatch(before, createMergePatch(declaredManifest(oldInputs), declaredManifest(news)));
      const plan = effectivePlan(
        planner({
          before: before as VirtualMachine,
          after: after as VirtualMachine,
          ...(view.vm && view.vmi ? { vmi: view.vmi as VirtualMachineInstance } : {}),
          ...(view.kubevirt ? { kubevirt: view.kubevirt } : {}),
        }),
      );
      logPlan(ctx, plan, id);
      if (plan.outcome === "rejected") throw new Error(rejectionMessage(id, plan));
      const restart = plan.changes.filter((c) => c.outcome === "restart");
      if (restart.length > 0) {
        const policy = restartPolicy(news, ctx);
        if (policy === "fail") throw new Error(restartFailMessage(id, plan));
        ctx.log(
          "warning",
          policy === "restart"
            ? `VirtualMachine ${id} will be restarted to apply ${restart.length} change(s) (onRestartRequired: "restart")`
            : `VirtualMachine ${id} will be left RestartRequired for ${restart.length} change(s) (onRestartRequired: "warn"); restart it yourself or set onRestartRequired: "restart"`,
        );
      }
      return result;
    },

    async create(inputs, ctx) {
      if (ctx.preview) {
        return {
          id: "",
          outputs: {
            ...manifestOf(inputs),
            ...(inputs.onRestartRequired !== undefined ? { onRestartRequired: inputs.onRestartRequired } : {}),
            ...(inputs.waitForLiveUpdate !== undefined ? { waitForLiveUpdate: inputs.waitForLiveUpdate } : {}),
            ...UNKNOWN_OBSERVED,
          } as unknown as VmOutputs,
        };
      }
      const cluster = await getCluster(ctx.config);
      const namespace = String(inputs.metadata["namespace"]);
      const name = String(inputs.metadata["name"]);
      const id = `${namespace}/${name}`;
      const manifest = manifestOf(inputs);
      let vm: KubeObject;
      try {
        vm = await cluster.client.request<KubeObject>({
          method: "POST",
          path: collectionPath(VIRTUAL_MACHINE, namespace),
          body: manifest,
          operation: `create VirtualMachine ${id}`,
          retryConflicts: true,
          signal: ctx.signal,
        });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        // Our own earlier attempt may have been created before its answer was lost: adopt it only if
        // it is exactly what we asked for and brand new.
        const existing = await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal);
        const created = Date.parse(
          String(existing?.metadata && (existing.metadata as { creationTimestamp?: string }).creationTimestamp),
        );
        const ours =
          existing !== undefined &&
          sameValue(pruneToShape(inputs.spec, existing["spec"]), inputs.spec) &&
          Number.isFinite(created) &&
          Date.now() - created < 120_000;
        if (!ours)
          throw new Error(
            `VirtualMachine ${id} already exists in the cluster. To manage it with Pulumi, import it: pulumi import ${VIRTUAL_MACHINE_TOKEN} ${name} ${id}`,
            { cause: e },
          );
        vm = existing;
      }
      const plan = planner({ after: vm as VirtualMachine });
      const lastPlan = lastPlanOf(plan, "created");
      const timeoutMs = (ctx.timeoutSeconds || ctx.config.timeouts.create) * 1000;
      if (wantsToRun(vm) || (vm["spec"] as { runStrategy?: string }).runStrategy === "Once") {
        try {
          await waitRunning({ cluster, ctx, namespace, name, timeoutMs });
        } catch (e) {
          const fresh = (await cluster.get(VIRTUAL_MACHINE, namespace, name).catch(() => undefined)) ?? vm;
          const vmi = await cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name).catch(() => undefined);
          throw new PartialFailure((e as Error).message, id, buildOutputs(inputs, fresh, vmi, lastPlan));
        }
      }
      const fresh = (await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal)) ?? vm;
      const vmi = await cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name, ctx.signal);
      return { id, outputs: buildOutputs(inputs, fresh, vmi, lastPlan) };
    },

    async read(id, state, inputs, ctx) {
      const cluster = await getCluster(ctx.config);
      const { namespace, name } = parseVmId(id, cluster.namespace);
      const vm = await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal);
      if (!vm) return undefined;
      const vmi = await cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name, ctx.signal);
      const declared = inputs ?? (state ? inputsFromState(state) : undefined);
      let newInputs: VmInputs;
      if (declared) {
        // Refresh: what the user declared, with the cluster's values (out-of-band edits show as drift;
        // fields the server defaulted never do).
        newInputs = {
          ...declared,
          metadata: (pruneToShape(declaredMetadata(declared.metadata), vm.metadata) as Record<string, unknown>) ?? {},
          spec: (pruneToShape(declared.spec, vm["spec"]) as Record<string, unknown>) ?? {},
        };
      } else {
        newInputs = {
          apiVersion: "kubevirt.io/v1",
          kind: "VirtualMachine",
          metadata: importedMetadata(vm.metadata as Record<string, unknown>),
          spec: importedSpec((vm["spec"] as Record<string, unknown>) ?? {}),
        };
      }
      const pending = ["HotVCPUChange", "HotMemoryChange"].filter((t) => findCondition(vmi, t));
      if (pending.length > 0)
        ctx.log(
          "info",
          `VirtualMachine ${namespace}/${name}: a live update is still in progress (${pending.join(", ")} on the VMI)`,
        );
      const outputs = buildOutputs(newInputs, vm, vmi, state?.lastPlan ?? null);
      return { id: `${namespace}/${name}`, outputs, inputs: newInputs };
    },

    async update(id, olds, news, ctx, oldInputsArg) {
      const oldInputs = oldInputsArg ?? inputsFromState(olds);
      if (ctx.preview) {
        const merged = applyMergePatch(
          { metadata: olds.metadata, spec: olds.spec },
          createMergePatch(declaredManifest(oldInputs), declaredManifest(news)),
        );
        return {
          outputs: {
            ...olds,
            ...(merged as { metadata: Record<string, unknown>; spec: Record<string, unknown> }),
            onRestartRequired: news.onRestartRequired,
            waitForLiveUpdate: news.waitForLiveUpdate,
            ...UNKNOWN_OBSERVED,
          } as unknown as VmOutputs,
        };
      }
      const cluster = await getCluster(ctx.config);
      const outputs = await applyUpdate({ cluster, planner, ctx, id, oldInputs, news, olds });
      return { outputs };
    },

    async delete(id, state, ctx) {
      const cluster = await getCluster(ctx.config);
      const { namespace, name } = parseVmId(id, String(state.metadata?.["namespace"] ?? cluster.namespace));
      try {
        await cluster.client.request({
          method: "DELETE",
          path: objectPath(VIRTUAL_MACHINE, namespace, name),
          body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground" },
          operation: `delete VirtualMachine ${namespace}/${name}`,
          retryConflicts: true,
          signal: ctx.signal,
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      const timeoutMs = (ctx.timeoutSeconds || ctx.config.timeouts.delete) * 1000;
      await waitGone({ cluster, ctx, namespace, name, timeoutMs });
    },
  };
}
