import type { PlannedChange, VirtualMachinePlan } from "../../core/kubevirt/plan";

/**
 * The plan as the provider carries it out. When live and restart-required changes are mixed, the planner
 * rates the live ones "restart" (KubeVirt's gate holds them back in a single update) but proposes steps,
 * live part first; the provider follows those steps, so those changes do apply live.
 */
export function effectivePlan(plan: VirtualMachinePlan): VirtualMachinePlan {
  const liveStep = plan.steps?.find((s) => s.kind === "live");
  const hasRestartStep = plan.steps?.some((s) => s.kind === "restart") ?? false;
  if (!liveStep || !hasRestartStep) return plan;
  const firstPaths = new Set(liveStep.paths);
  const changes: PlannedChange[] = plan.changes.map((c) =>
    firstPaths.has(c.path) && c.outcome === "restart"
      ? {
          ...c,
          outcome: "live",
          reason: "applied first in a step of its own, so KubeVirt hot-plugs it before the restart-required changes",
        }
      : c,
  );
  return { ...plan, changes };
}
