/**
 * virt-handler's heartbeat (`pkg/virt-handler/heartbeat/heartbeat.go`), §6.3: it writes
 * `kubevirt.io/schedulable` and the CPU-manager labels on every node, every cycle. The CPU-manager label
 * is "true" only with the CPUManager gate AND the kubelet's static policy (here: the node annotation
 * `sandbox.livevm.dev/cpu-manager-policy: static`); otherwise "false", overwriting manual labels.
 * The key is `cpumanager` up to v1.7, plus `kubevirt.io/cpumanager` from v1.8.
 */
import { atLeast } from "../../core/kubevirt/version";
import type { ClusterConfig } from "./cluster";
import { ANNOTATION, T, type ModelContext } from "./context";

export function cpuManagerLabelKey(cluster: ClusterConfig): string {
  return atLeast(cluster.version, 8) ? "kubevirt.io/cpumanager" : "cpumanager";
}

export function heartbeat(ctx: ModelContext): void {
  const cluster = ctx.cluster();
  for (const node of ctx.store.list(T.node)) {
    const staticPolicy = node.metadata.annotations?.[ANNOTATION.cpuManagerPolicy] === "static";
    const value = cluster.featureGates.has("CPUManager") && staticPolicy ? "true" : "false";
    const labels = { ...(node.metadata.labels ?? {}) };
    labels["kubevirt.io/schedulable"] =
      (node.spec as Record<string, unknown> | undefined)?.unschedulable === true ? "false" : "true";
    labels.cpumanager = value;
    if (atLeast(cluster.version, 8)) labels["kubevirt.io/cpumanager"] = value;
    node.metadata.labels = labels;
    ctx.write(T.node, node);
  }
}
