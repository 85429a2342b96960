import type { PlanInput, PlannedChange, VirtualMachinePlan } from "../../core/kubevirt/plan";

/**
 * A stand-in for core's planner in the in-process tests of the CLI's own parts (loading, matching,
 * rendering): sockets changes are live, cores changes restart, anything on a stopped VM is staged.
 */
export function fakePlanner(input: PlanInput): VirtualMachinePlan {
  const vm = input.after ?? input.before!;
  const cpu = (side: PlanInput["before"]) => side?.spec.template.spec?.domain?.cpu;
  const running = input.before?.spec.runStrategy !== "Halted";
  const changes: PlannedChange[] = [];
  for (const field of input.after ? (["sockets", "cores"] as const) : []) {
    const before = cpu(input.before)?.[field];
    const after = cpu(input.after)?.[field];
    if (before === after) continue;
    const outcome = !input.before || !running ? "staged" : field === "sockets" ? "live" : "restart";
    changes.push({
      path: `spec.template.spec.domain.cpu.${field}`,
      before,
      after,
      outcome,
      reason: `${field} changed`,
    });
  }
  const order = ["none", "staged", "live", "stuck", "restart", "rejected"] as const;
  const outcome = changes.reduce<(typeof order)[number]>(
    (w, c) => (order.indexOf(c.outcome) > order.indexOf(w) ? c.outcome : w),
    "none",
  );
  return {
    namespace: vm.metadata?.namespace ?? "default",
    name: vm.metadata?.name ?? "",
    outcome,
    changes,
    messages: [],
    predicted: Boolean(input.before) && running && !input.vmi,
    version: String(input.version),
  };
}
