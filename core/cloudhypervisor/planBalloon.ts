import { changedKeys } from "./configValue";
import {
  emptyPartialPlan,
  PHASE,
  plannedChange,
  recreateReason,
  type PartialPlan,
  type PlanContext,
} from "./planContext";
import type { VmConfig } from "./schema/vmConfig";
import { describeSize } from "./size";

/** The balloon: its size moves live (vm.resize desired_balloon); the device itself can be neither added nor removed live. */
export function planBalloon(before: VmConfig, after: VmConfig, ctx: PlanContext): PartialPlan {
  const out = emptyPartialPlan();
  const b = before.balloon;
  const a = after.balloon;
  if (!b && !a) return out;
  if (!b || !a) {
    out.changes.push(
      plannedChange(
        ctx,
        "balloon",
        b ?? null,
        a ?? null,
        "recreate",
        recreateReason(
          a
            ? "a balloon device cannot be hot-added (there is no vm.add-balloon)"
            : 'a balloon device cannot be hot-removed ("Not allowed to remove this type of device from the VM")',
          ctx.running,
        ),
      ),
    );
    return out;
  }
  for (const key of changedKeys(b, a, new Set(["size"]))) {
    out.changes.push(
      plannedChange(
        ctx,
        `balloon.${key}`,
        b[key],
        a[key],
        "recreate",
        recreateReason(`balloon.${key} is fixed when the VM is created`, ctx.running),
      ),
    );
  }
  if (a.size === b.size) return out;
  out.changes.push(
    plannedChange(
      ctx,
      "balloon.size",
      b.size,
      a.size,
      ctx.running ? "live" : "staged",
      ctx.running
        ? `vm.resize sets the balloon target to ${describeSize(a.size)}; the guest ${a.size > b.size ? "inflates" : "deflates"} it at its own pace`
        : "the VM is not running: vm.resize stores balloon.size for the next boot",
    ),
  );
  out.calls.push({
    phase: PHASE.balloon,
    call: { endpoint: "vm.resize", body: { desired_balloon: a.size }, paths: ["balloon.size"] },
  });
  return out;
}
