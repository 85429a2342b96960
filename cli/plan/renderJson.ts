import type { PlanReport } from "./planReport";

/**
 * --output json: exactly one JSON document,
 * {"vms":[{"namespace","name","outcome","manifest","changes":[{"path","before","after","outcome","reason"}],"messages",...}],"summary":{...}}.
 * A value absent on one side is null.
 */
export function renderJson(report: PlanReport): string {
  const vms = report.vms.map((vm) => ({
    namespace: vm.namespace,
    name: vm.name,
    outcome: vm.outcome,
    manifest: vm.manifest,
    changes: vm.changes.map((c) => ({
      path: c.path,
      before: c.before ?? null,
      after: c.after ?? null,
      outcome: c.outcome,
      reason: c.reason,
    })),
    messages: vm.messages,
    predicted: vm.predicted,
    ...(vm.admission ? { admission: vm.admission } : {}),
    ...(vm.steps ? { steps: vm.steps } : {}),
  }));
  return JSON.stringify({ vms, summary: report.summary }, null, 2) + "\n";
}
