import { awaitObject, AwaitTimeoutError } from "../await/awaitObject";
import { all } from "../await/condition/all";
import { conditionsOf } from "../await/condition/conditionStatus";
import { deleted } from "../await/condition/deleted";
import type { Satisfier } from "../await/condition/satisfier";
import { createMigrationReporter } from "../await/migrationReporter";
import { liveUpdateApplied, restarted, running, type LiveUpdateTarget } from "../await/virtualMachineInstance";
import {
  VIRTUAL_MACHINE,
  VIRTUAL_MACHINE_INSTANCE,
  VIRTUAL_MACHINE_INSTANCE_MIGRATION,
  type ResourceKind,
} from "../kubernetes/kinds";
import type { KubeObject, Subscription } from "../kubernetes/watchCache";
import type { ResourceContext } from "../resources/resource";
import type { KubeVirtCluster } from "./cluster";

/**
 * The waits of the VirtualMachine resource, each on the shared watch cache: a live update applied
 * (with the workload-update migrations reported as they go), a VMI running, a restart finished, a VM
 * and its VMI gone. Each fails with a message that says what is pending and what to do.
 */

export interface WaitContext {
  readonly cluster: KubeVirtCluster;
  readonly ctx: ResourceContext;
  readonly namespace: string;
  readonly name: string;
  readonly timeoutMs: number;
}

async function waitFor(
  w: WaitContext,
  kind: ResourceKind,
  satisfier: Satisfier,
  what: string,
  timeoutMessage: (pending: string) => string,
): Promise<KubeObject | undefined> {
  return awaitObject({
    cache: w.cluster.cache,
    kind,
    namespace: w.namespace,
    name: w.name,
    satisfier,
    timeoutMs: w.timeoutMs,
    signal: w.ctx.signal,
    onProgress: (d) => w.ctx.status(`${what}: ${d}`),
    timeoutMessage,
  });
}

/** Follows migrations of this VMI while `run` is in progress, reporting them to the resource. */
async function withMigrationReports<T>(
  w: WaitContext,
  run: () => Promise<T>,
): Promise<{ result: T; failedMigrations: number }> {
  const reporter = createMigrationReporter(w.name, (r) => w.ctx.log(r.severity, r.message));
  // The update does not need the reports to converge, but the user should know they are missing (e.g. the
  // provider's role lacks list/watch on virtualmachineinstancemigrations): a warning with the API's words.
  const cannotFollow = (e: Error): void =>
    w.ctx.log(
      "warning",
      `cannot follow migrations of ${w.name} (their progress and KubeVirt's retries are not reported): ${e.message}`,
    );
  let sub: Subscription | undefined;
  try {
    sub = await w.cluster.cache.subscribe(
      VIRTUAL_MACHINE_INSTANCE_MIGRATION,
      w.namespace,
      { label: "kubevirt.io/vmi-name", value: w.name },
      (e) => reporter.observe(e),
      { onError: cannotFollow },
    );
  } catch (e) {
    cannotFollow(e as Error);
  }
  try {
    const result = await run();
    return { result, failedMigrations: reporter.failed };
  } finally {
    sub?.unsubscribe();
  }
}

/** Describes the VM's own conditions (RestartRequired, Failure) for error messages. */
async function vmConditionNotes(w: WaitContext): Promise<string> {
  try {
    const vm = await w.cluster.get(VIRTUAL_MACHINE, w.namespace, w.name, w.ctx.signal);
    const notes = conditionsOf(vm)
      .filter((c) => (c.type === "RestartRequired" || c.type === "Failure") && c.status === "True")
      .map((c) => `${c.type}: ${c.message ?? c.reason ?? "True"}`);
    return notes.length ? ` The VirtualMachine says: ${notes.join("; ")}.` : "";
  } catch {
    return "";
  }
}

export async function waitLiveUpdate(
  w: WaitContext,
  target: LiveUpdateTarget,
  advice: string,
): Promise<{ vmi: KubeObject | undefined; failedMigrations: number }> {
  const seconds = Math.round(w.timeoutMs / 1000);
  const { result, failedMigrations } = await withMigrationReports(w, async () => {
    try {
      return await waitFor(
        w,
        VIRTUAL_MACHINE_INSTANCE,
        liveUpdateApplied(w.name, target),
        "waiting for the live update",
        (p) => p,
      );
    } catch (e) {
      if (e instanceof AwaitTimeoutError) {
        const notes = await vmConditionNotes(w);
        throw new AwaitTimeoutError(
          `the live update of VirtualMachine ${w.namespace}/${w.name} did not finish within ${seconds}s: ${e.message}.${notes} ${advice}`,
        );
      }
      throw e;
    }
  });
  return { vmi: result, failedMigrations };
}

export async function waitRunning(w: WaitContext): Promise<KubeObject | undefined> {
  const seconds = Math.round(w.timeoutMs / 1000);
  return waitFor(
    w,
    VIRTUAL_MACHINE_INSTANCE,
    running(w.name),
    "waiting for the VM to run",
    (pending) =>
      `VirtualMachine ${w.namespace}/${w.name} did not start within ${seconds}s: ${pending}. Check the VM's events (kubectl describe vm ${w.name} -n ${w.namespace}), or raise the timeout (customTimeouts / livevm:timeouts)`,
  );
}

export async function waitRestarted(w: WaitContext, oldUid: string | undefined): Promise<KubeObject | undefined> {
  const seconds = Math.round(w.timeoutMs / 1000);
  return waitFor(
    w,
    VIRTUAL_MACHINE_INSTANCE,
    restarted(w.name, oldUid),
    "waiting for the restart",
    (pending) =>
      `the restart of VirtualMachine ${w.namespace}/${w.name} did not finish within ${seconds}s: ${pending}. Check its events (kubectl describe vm ${w.name} -n ${w.namespace})`,
  );
}

export async function waitGone(w: WaitContext): Promise<void> {
  const seconds = Math.round(w.timeoutMs / 1000);
  const message = (what: string) => (pending: string) =>
    `${what} ${w.namespace}/${w.name} was not deleted within ${seconds}s: ${pending}. Check its finalizers (kubectl get ${what.toLowerCase()} ${w.name} -n ${w.namespace} -o yaml)`;
  await Promise.all([
    waitFor(
      w,
      VIRTUAL_MACHINE,
      all(deleted(`VirtualMachine ${w.name}`)),
      "waiting for deletion",
      message("VirtualMachine"),
    ),
    waitFor(
      w,
      VIRTUAL_MACHINE_INSTANCE,
      deleted(`VirtualMachineInstance ${w.name}`),
      "waiting for deletion",
      message("VirtualMachineInstance"),
    ),
  ]);
}
