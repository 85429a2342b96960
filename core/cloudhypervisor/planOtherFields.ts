import { changedKeys } from "./configValue";
import { DEVICE_KINDS } from "./deviceKinds";
import { emptyPartialPlan, plannedChange, recreateReason, type PartialPlan, type PlanContext } from "./planContext";
import type { VmConfig } from "./schema/vmConfig";

const PLANNED_ELSEWHERE = new Set<string>(["cpus", "memory", "balloon", ...DEVICE_KINDS.map((k) => k.key)]);

/** Every other VmConfig field (payload, serial, console, rng, iommu, platform, numa, ...): fixed for the VM's life. */
export function planOtherFields(before: VmConfig, after: VmConfig, ctx: PlanContext): PartialPlan {
  const out = emptyPartialPlan();
  for (const key of changedKeys(before, after, PLANNED_ELSEWHERE)) {
    out.changes.push(
      plannedChange(
        ctx,
        key,
        before[key] ?? null,
        after[key],
        "recreate",
        recreateReason(`${key} is fixed when the VM is created; no API call changes it`, ctx.running),
      ),
    );
  }
  return out;
}
