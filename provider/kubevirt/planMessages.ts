import type { Outcome, PlannedChange, VirtualMachinePlan } from "../../core/kubevirt/plan";
import type { Severity } from "../resources/resource";

/**
 * The planner's verdicts as the lines a user reads in `pulumi preview`, one per change:
 * "cpu.sockets 4 -> 5: live, CPU hotplug by live migration".
 */

const PREFIXES = ["spec.template.spec.domain.", "spec.template.spec.", "spec.template.", "spec."];

export function shortPath(path: string): string {
  for (const p of PREFIXES) if (path.startsWith(p)) return path.slice(p.length);
  return path;
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return "(unset)";
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const OUTCOME_WORDS: Record<Outcome, string> = {
  none: "no effect on the running VM",
  staged: "staged, applies when the VM next starts",
  live: "live",
  stuck: "stuck, KubeVirt accepts it but will not finish it",
  restart: "restart required",
  rejected: "rejected",
};

export function changeLine(c: PlannedChange): string {
  const reason = c.reason ? `, ${c.reason}` : "";
  return `${shortPath(c.path)} ${formatValue(c.before)} -> ${formatValue(c.after)}: ${OUTCOME_WORDS[c.outcome]}${reason}`;
}

export function severityOf(outcome: Outcome): Severity {
  switch (outcome) {
    case "rejected":
      return "error";
    case "restart":
    case "stuck":
      return "warning";
    default:
      return "info";
  }
}

/** The admission denial, KubeVirt's messages verbatim, with their field paths. */
export function rejectionMessage(id: string, plan: VirtualMachinePlan): string {
  const causes = (plan.admission ?? []).map((c) => `${c.field}: ${c.message}`);
  const changes = plan.changes.filter((c) => c.outcome === "rejected").map((c) => `${shortPath(c.path)}: ${c.reason}`);
  const lines = causes.length > 0 ? causes : changes;
  return `KubeVirt's admission webhook would deny the update of VirtualMachine ${id} (KubeVirt ${plan.version}): ${lines.join("; ")}`;
}

export function restartFailMessage(id: string, plan: VirtualMachinePlan): string {
  const lines = plan.changes.filter((c) => c.outcome === "restart").map(changeLine);
  return `VirtualMachine ${id}: these changes need a VM restart and onRestartRequired is "fail": ${lines.join("; ")}. Change only live-updatable fields (cpu.sockets, memory.guest, ...), or set onRestartRequired to "restart" (restart it now) or "warn" (leave it RestartRequired)`;
}
