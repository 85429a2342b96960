/** Picking a node for a VMI (launcher pod) or a migration target: nodeSelector and dedicated-CPU labels. */
import type { KObject } from "../api/store";
import { cpuManagerLabelKey } from "./heartbeat";
import { T, type ModelContext } from "./context";
import { at, isObject, type Obj } from "./spec";

export function pickNode(ctx: ModelContext, vmiSpec: Obj, exclude?: string): string | undefined {
  const cluster = ctx.cluster();
  const selector: Record<string, string> = {};
  if (isObject(vmiSpec.nodeSelector)) Object.assign(selector, vmiSpec.nodeSelector);
  if (at(vmiSpec, "domain", "cpu", "dedicatedCpuPlacement") === true) selector[cpuManagerLabelKey(cluster)] = "true";
  selector["kubevirt.io/schedulable"] = "true";
  const load = new Map<string, number>();
  for (const vmi of ctx.store.peekAll(T.vmi)) {
    const n = at(vmi, "status", "nodeName");
    if (typeof n === "string") load.set(n, (load.get(n) ?? 0) + 1);
  }
  const candidates = ctx.store
    .peekAll(T.node)
    .filter((n: KObject) => n.metadata.name !== exclude)
    .filter((n) => at(n, "spec", "unschedulable") !== true)
    .filter((n) => Object.entries(selector).every(([k, v]) => n.metadata.labels?.[k] === v))
    .sort(
      (a, b) =>
        (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0) ||
        a.metadata.name.localeCompare(b.metadata.name),
    );
  return candidates[0]?.metadata.name;
}
