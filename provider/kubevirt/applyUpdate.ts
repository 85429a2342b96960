import type { PlanInput, VirtualMachinePlan } from "../../core/kubevirt/plan";
import type { KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import type { VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import type { VirtualMachineInstance } from "../../core/kubevirt/schema/virtualMachineInstance";
import type { RestartPolicy } from "../config";
import { findCondition } from "../await/condition/conditionStatus";
import type { LiveUpdateTarget } from "../await/virtualMachineInstance";
import { isConflict, KubeApiError } from "../kubernetes/apiError";
import { objectPath, VIRTUAL_MACHINE, VIRTUAL_MACHINE_INSTANCE, vmSubresourcePath } from "../kubernetes/kinds";
import type { KubeObject } from "../kubernetes/watchCache";
import { diffValues, pathString } from "../json/detailedDiff";
import { sameValue } from "../json/equal";
import { applyMergePatch, createMergePatch } from "../json/mergePatch";
import { getAt, parsePath, setAt } from "../json/path";
import { PartialFailure, type ResourceContext } from "../resources/resource";
import type { KubeVirtCluster } from "./cluster";
import { effectivePlan } from "./effectivePlan";
import { lastPlanOf, type LastPlan } from "./lastPlan";
import { changeLine, rejectionMessage, restartFailMessage, severityOf, shortPath } from "./planMessages";
import { pendingHotplugPaths } from "./pendingHotplug";
import { buildOutputs, type VmOutputs } from "./vmOutputs";
import { declaredMetadata, vmiReady, wantsToRun, type VmInputs } from "./vmInputs";
import { waitLiveUpdate, waitRestarted, waitRunning, type WaitContext } from "./waits";

/**
 * Update of a KubeVirt VirtualMachine, in the order that keeps the VM running: read the VM, its VMI and
 * the KubeVirt CR; refuse if someone else changed what we are about to change; plan with core's
 * planner; apply the live part first and wait until KubeVirt really hot-plugged it (VMI UID unchanged,
 * topology changed); then the restart-required part, restarting when asked to. Nothing is applied when
 * the plan says KubeVirt would reject it, or when onRestartRequired is "fail" and a restart is needed.
 */

export type Planner = (input: PlanInput) => VirtualMachinePlan;

export interface UpdateArgs {
  readonly cluster: KubeVirtCluster;
  readonly planner: Planner;
  readonly ctx: ResourceContext;
  readonly id: string;
  readonly oldInputs: VmInputs;
  readonly news: VmInputs;
  readonly olds: VmOutputs;
}

/** The declared part of the inputs that becomes the Kubernetes object. */
export function declaredManifest(inputs: Pick<VmInputs, "metadata" | "spec">): Record<string, unknown> {
  return { metadata: declaredMetadata(inputs.metadata), spec: inputs.spec };
}

export function restartPolicy(inputs: VmInputs, ctx: ResourceContext): RestartPolicy {
  return inputs.onRestartRequired ?? ctx.config.onRestartRequired;
}

function isRunning(vmi: KubeObject | undefined): boolean {
  const phase = (vmi?.["status"] as { phase?: string } | undefined)?.phase;
  return vmi !== undefined && phase !== "Succeeded" && phase !== "Failed";
}

/** The live-update target (sockets, guest memory) among the given change paths. */
export function liveTarget(paths: readonly string[], desired: unknown): LiveUpdateTarget {
  let target: LiveUpdateTarget = {};
  for (const p of paths) {
    if (p === "spec.template.spec.domain.cpu.sockets") {
      const v = getAt(desired, parsePath(p));
      if (typeof v === "number") target = { ...target, sockets: v };
    }
    if (p === "spec.template.spec.domain.memory.guest") {
      const v = getAt(desired, parsePath(p));
      if (typeof v === "string" || typeof v === "number") target = { ...target, guest: v };
    }
  }
  return target;
}

/** Paths we are about to change whose live value is neither what we last applied nor what we want. */
export function concurrentEdits(
  live: KubeObject,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): { path: string; live: unknown; last: unknown; want: unknown }[] {
  const out: { path: string; live: unknown; last: unknown; want: unknown }[] = [];
  for (const d of diffValues(before, after)) {
    const liveValue = getAt(live, d.path);
    if (!sameValue(liveValue, d.before) && !sameValue(liveValue, d.after))
      out.push({ path: pathString(d.path), live: liveValue, last: d.before, want: d.after });
  }
  return out;
}

function show(v: unknown): string {
  return v === undefined ? "(unset)" : JSON.stringify(v);
}

export async function applyUpdate(args: UpdateArgs): Promise<VmOutputs> {
  const { cluster, planner, ctx, news, oldInputs } = args;
  const namespace = String(news.metadata["namespace"]);
  const name = String(news.metadata["name"]);
  const id = `${namespace}/${name}`;
  const policy = restartPolicy(news, ctx);
  const timeoutMs = (ctx.timeoutSeconds || ctx.config.timeouts.update) * 1000;
  const wait: WaitContext = { cluster, ctx, namespace, name, timeoutMs };

  const before = declaredManifest(oldInputs);
  const after = declaredManifest(news);
  let live = await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal);
  if (!live)
    throw new Error(
      `VirtualMachine ${id} no longer exists in the cluster: run \`pulumi refresh\` (Pulumi then creates it again on the next update)`,
    );
  const [vmi, kubevirt] = await Promise.all([
    cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name, ctx.signal),
    cluster.kubevirt(ctx.signal),
  ]);
  if (kubevirt.problem) ctx.log("warning", `planning without the KubeVirt CR: ${kubevirt.problem}`);

  const checkEdits = (obj: KubeObject): void => {
    const edits = concurrentEdits(obj, before, after);
    if (edits.length > 0)
      throw new Error(
        `VirtualMachine ${id} was changed outside Pulumi since it was last applied or refreshed: ${edits
          .map(
            (e) =>
              `${e.path} is ${show(e.live)} in the cluster (Pulumi applied ${show(e.last)}, the program wants ${show(e.want)})`,
          )
          .join("; ")}. Nothing was changed: run \`pulumi refresh\` to take in the other change, then update again`,
      );
  };
  checkEdits(live);

  const patchAll = createMergePatch(before, after);
  const desired = applyMergePatch(live, patchAll);
  const plan = effectivePlan(
    planner({
      before: live as VirtualMachine,
      after: desired as VirtualMachine,
      ...(vmi ? { vmi: vmi as VirtualMachineInstance } : {}),
      ...(kubevirt.cr ? { kubevirt: kubevirt.cr as KubeVirt } : {}),
    }),
  );
  if (plan.outcome === "rejected") throw new Error(rejectionMessage(id, plan));
  const restartChanges = plan.changes.filter((c) => c.outcome === "restart");
  if (restartChanges.length > 0 && policy === "fail") throw new Error(restartFailMessage(id, plan));

  const running = isRunning(vmi);
  const liveChanges = plan.changes.filter((c) => c.outcome === "live" || c.outcome === "stuck");
  const liveStep = plan.steps?.find((s) => s.kind === "live");
  const mixed = liveStep !== undefined && restartChanges.length > 0;

  // Live part first (the planner's steps), then the rest.
  const patches: { patch: unknown; label: string }[] = [];
  if (mixed) {
    let partial: unknown = before;
    for (const p of liveStep.paths) partial = setAt(partial, parsePath(p), getAt(after, parsePath(p)));
    patches.push({ patch: createMergePatch(before, partial), label: "live part" });
    patches.push({ patch: createMergePatch(partial, after), label: "restart-required part" });
  } else {
    patches.push({ patch: patchAll, label: "update" });
  }

  const sendPatch = async (patch: unknown, label: string): Promise<void> => {
    if (patch === undefined) return;
    for (let attempt = 1; ; attempt++) {
      if (sameValue(applyMergePatch(live, patch), live)) return; // already there (an interrupted update)
      const rv = live!.metadata?.resourceVersion;
      const body = applyMergePatch(patch, rv ? { metadata: { resourceVersion: rv } } : {});
      try {
        live = await cluster.client.request<KubeObject>({
          method: "PATCH",
          path: objectPath(VIRTUAL_MACHINE, namespace, name),
          body,
          contentType: "application/merge-patch+json",
          operation: `patch VirtualMachine ${id} (${label})`,
          signal: ctx.signal,
        });
        return;
      } catch (e) {
        // Someone wrote the VM between our read and our patch: re-read, and go on only if they did not
        // touch what we change.
        if (!isConflict(e) || attempt >= 5) throw e;
        const fresh = await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal);
        if (!fresh) throw e;
        live = fresh;
        checkEdits(live);
      }
    }
  };

  const outputsNow = async (lastPlan: LastPlan | null): Promise<VmOutputs> => {
    // The shared VM watch (kept open by this update) has the VM at least as new as our last write: no GET.
    const cached = cluster.cache.peek(VIRTUAL_MACHINE, namespace, name)?.object;
    const vm =
      cached && newerOrSame(cached, live!)
        ? cached
        : ((await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal)) ?? live!);
    const v = await cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name, ctx.signal);
    return buildOutputs(news, vm, v, lastPlan);
  };
  const fail = async (e: unknown, action: string): Promise<never> => {
    if (e instanceof KubeApiError && e.code !== 409) throw e; // rejected by the API: nothing more was applied
    const message = e instanceof Error ? e.message : String(e);
    let outputs: VmOutputs;
    try {
      outputs = await outputsNow(lastPlanOf(plan, action));
    } catch {
      throw e;
    }
    // Record the cluster's state, but keep the old inputs so the next `pulumi up` resumes the change.
    throw new PartialFailure(message, id, outputs, oldInputs);
  };

  const actions: string[] = [];
  // Follow the VM through the shared watch while we work on it: its Failure condition (KubeVirt's
  // transient hotplug errors, retried) shows as progress, and the final state needs no extra GET. The update
  // converges without it (the waits read what they need), but a missing watch is said, e.g. a role without
  // `watch` on virtualmachines: the list succeeds and the watch is refused afterwards, hence onError too.
  const cannotFollow = (e: unknown): undefined => {
    ctx.log(
      "warning",
      `VirtualMachine ${id}: cannot follow the VM while updating it (KubeVirt's retries are not reported): ${e instanceof Error ? e.message : String(e)}`,
    );
    return undefined;
  };
  const vmWatch = await cluster.cache
    .subscribe(
      VIRTUAL_MACHINE,
      namespace,
      { name },
      (e) => {
        const failure = findCondition(e.object, "Failure");
        if (failure?.status === "True")
          ctx.status(`KubeVirt retries: ${failure.message ?? failure.reason ?? "Failure"}`);
      },
      { onError: cannotFollow },
    )
    .catch(cannotFollow);
  try {
    return await carryOut();
  } finally {
    vmWatch?.unsubscribe();
  }

  async function carryOut(): Promise<VmOutputs> {
    await sendPatch(patches[0]!.patch, patches[0]!.label);

    // A hotplug KubeVirt accepted earlier but has not finished (an interrupted update): wait for it too.
    const pending = running && liveChanges.length === 0 ? pendingHotplugPaths(vmi, desired) : [];
    if (pending.length > 0)
      ctx.log(
        "info",
        `VirtualMachine ${id}: waiting for a hotplug already in progress (${pending.map(shortPath).join(", ")})`,
      );
    if (running && (liveChanges.length > 0 || pending.length > 0) && news.waitForLiveUpdate !== false) {
      const paths = mixed ? liveStep.paths : liveChanges.length > 0 ? liveChanges.map((c) => c.path) : pending;
      const target = liveTarget(paths, desired);
      if (target.sockets !== undefined || target.guest !== undefined) {
        for (const c of liveChanges) ctx.log(severityOf(c.outcome), `applying ${changeLine(c)}`);
        const stuck = plan.changes.filter((c) => c.outcome === "stuck");
        const advice =
          stuck.length > 0
            ? `livevm predicted this: ${stuck.map((c) => `${shortPath(c.path)}: ${c.reason}`).join("; ")}. Add LiveMigrate to spec.workloadUpdateStrategy.workloadUpdateMethods of the KubeVirt CR (and make the VMI live-migratable), or restart the VM to apply the change`
            : "KubeVirt may still finish it: check the VMI's conditions and migrations (kubectl get vmi,vmim -n " +
              `${namespace}), run \`pulumi refresh\` to record the outcome, or raise the update timeout (customTimeouts)`;
        try {
          const { failedMigrations } = await waitLiveUpdate(wait, target, advice);
          actions.push(
            failedMigrations > 0 ? `applied live after ${failedMigrations} failed migration(s)` : "applied live",
          );
          ctx.log("info", `VirtualMachine ${id}: ${paths.map(shortPath).join(", ")} applied live without a restart`);
        } catch (e) {
          return fail(e, "live update did not complete");
        }
      } else {
        actions.push("applied live");
      }
    } else if (running && liveChanges.length > 0) {
      actions.push("applied live (not awaited)");
    }

    for (const p of patches.slice(1)) await sendPatch(p.patch, p.label);

    let rr = findCondition(live, "RestartRequired")?.status === "True";
    let restartNeeded = running && (restartChanges.length > 0 || (policy === "restart" && rr));
    const terminating = vmi?.metadata !== undefined && "deletionTimestamp" in vmi.metadata;
    if (restartNeeded && policy === "restart" && (terminating || !vmiReady(vmi))) {
      // A start or restart is already under way (e.g. an earlier update was interrupted mid-restart):
      // let it finish, KubeVirt clears RestartRequired when the new VMI starts; then decide again.
      ctx.status(`VirtualMachine ${id} is already restarting: waiting for it`);
      try {
        await waitRunning(wait);
      } catch (e) {
        return fail(e, "VM did not come back up");
      }
      live = (await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal)) ?? live;
      rr = findCondition(live, "RestartRequired")?.status === "True";
      restartNeeded = rr;
      actions.push("awaited a restart already in progress");
    }
    if (restartNeeded) {
      if (policy === "restart") {
        const what =
          restartChanges.length > 0
            ? restartChanges.map((c) => shortPath(c.path)).join(", ")
            : "a pending RestartRequired";
        ctx.log("info", `restarting VirtualMachine ${id} to apply ${what} (onRestartRequired: "restart")`);
        try {
          const current = await cluster.cachedOrGet(VIRTUAL_MACHINE_INSTANCE, namespace, name, ctx.signal);
          const oldUid = current?.metadata?.uid ?? vmi?.metadata?.uid;
          await cluster.client.request({
            method: "PUT",
            path: vmSubresourcePath(namespace, name, "restart"),
            body: {},
            operation: `restart VirtualMachine ${id}`,
            retryConflicts: true,
            signal: ctx.signal,
          });
          const fresh = await waitRestarted({ ...wait }, oldUid);
          // the VM's own stream may lag the VMI's: read it, so the outputs carry RestartRequired cleared
          live = (await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal)) ?? live;
          ctx.log(
            "info",
            `VirtualMachine ${id} restarted: new VMI ${fresh?.metadata?.uid ?? "?"} (was ${oldUid ?? "?"})`,
          );
          actions.push("restarted");
        } catch (e) {
          return fail(e, "restart did not complete");
        }
      } else {
        const lines = restartChanges.map(changeLine);
        ctx.log(
          "warning",
          `VirtualMachine ${id} is left RestartRequired (onRestartRequired: "warn"): ${lines.join("; ")}. Restart it (virtctl restart ${name} -n ${namespace}) or set onRestartRequired: "restart" to apply these`,
        );
        actions.push("left RestartRequired");
      }
    }
    if (!running && plan.changes.length > 0) {
      actions.push("staged");
      ctx.log("info", `VirtualMachine ${id} is not running: the changes apply when it next starts`);
    }
    // A VM that should run but whose VMI is not up (e.g. an earlier update was interrupted mid-restart):
    // wait for it instead of restarting it a second time.
    if (!actions.includes("restarted") && wantsToRun(live) && !vmiReady(vmi)) {
      try {
        await waitRunning(wait);
      } catch (e) {
        return fail(e, "VM did not come back up");
      }
      // The VMI and VM watches are separate streams: read the VM itself, so the outputs carry what KubeVirt
      // wrote when the new VMI started (RestartRequired cleared), not a VM event still on its way.
      live = (await cluster.get(VIRTUAL_MACHINE, namespace, name, ctx.signal)) ?? live;
    }
    for (const c of plan.changes) if (c.outcome === "none") ctx.log("debug", changeLine(c));
    return outputsNow(lastPlanOf(plan, actions.length > 0 ? actions.join(", then ") : "nothing to do"));
  }
}

/** resourceVersions are opaque, but etcd's are increasing integers: compare them when they are. */
function newerOrSame(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata?.resourceVersion;
  const rb = b.metadata?.resourceVersion;
  if (!ra || !rb || !/^\d+$/.test(ra) || !/^\d+$/.test(rb)) return false;
  return BigInt(ra) >= BigInt(rb);
}
