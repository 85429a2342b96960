import { findCondition } from "../await/condition/conditionStatus";
import type { KubeObject } from "../kubernetes/watchCache";
import type { LastPlan } from "./lastPlan";
import type { VmInputs } from "./vmInputs";

/**
 * The outputs (state) of livevm:kubevirt:VirtualMachine: the VirtualMachine object as the cluster has
 * it (apiVersion, kind, metadata, spec, status), plus what the running VMI says about CPU and memory and
 * whether KubeVirt wants a restart.
 */
export interface VmOutputs extends Record<string, unknown> {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
  onRestartRequired?: string;
  waitForLiveUpdate?: boolean;
  restartRequired: boolean;
  restartRequiredMessage: string | null;
  currentCpuTopology: Record<string, unknown> | null;
  memory: Record<string, unknown> | null;
  vmiUid: string | null;
  lastPlan: LastPlan | null;
}

/** managedFields are bookkeeping of the API server, not state anyone reads. */
function cleanMetadata(metadata: unknown): Record<string, unknown> {
  const m = { ...((metadata as Record<string, unknown> | undefined) ?? {}) };
  delete m["managedFields"];
  return m;
}

export function buildOutputs(
  inputs: Pick<VmInputs, "onRestartRequired" | "waitForLiveUpdate">,
  vm: KubeObject,
  vmi: KubeObject | undefined,
  lastPlan: LastPlan | null,
): VmOutputs {
  const rr = findCondition(vm, "RestartRequired");
  const vmiStatus = (vmi?.["status"] ?? {}) as {
    currentCPUTopology?: Record<string, unknown>;
    memory?: Record<string, unknown>;
  };
  return {
    apiVersion: (vm["apiVersion"] as string | undefined) ?? "kubevirt.io/v1",
    kind: (vm["kind"] as string | undefined) ?? "VirtualMachine",
    metadata: cleanMetadata(vm.metadata),
    spec: (vm["spec"] as Record<string, unknown> | undefined) ?? {},
    status: (vm["status"] as Record<string, unknown> | undefined) ?? {},
    ...(inputs.onRestartRequired !== undefined ? { onRestartRequired: inputs.onRestartRequired } : {}),
    ...(inputs.waitForLiveUpdate !== undefined ? { waitForLiveUpdate: inputs.waitForLiveUpdate } : {}),
    restartRequired: rr?.status === "True",
    restartRequiredMessage: rr?.status === "True" ? (rr.message ?? "RestartRequired") : null,
    currentCpuTopology: vmiStatus.currentCPUTopology ?? null,
    memory: vmiStatus.memory ?? null,
    vmiUid: vmi?.metadata?.uid ?? null,
    lastPlan,
  };
}
