import type { Outcome } from "../../../core/kubevirt/plan";
import type { ApiCall, CloudHypervisorPlan } from "../../../core/cloudhypervisor/plan";
import { stringifyApiJson } from "../../../core/cloudhypervisor/apiJson";
import type { OutputFormat } from "./arguments";

const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  none: "nothing changes",
  staged: "applies at the next boot (the VM is not running)",
  live: "applied to the running VM without a restart",
  stuck: "accepted, but never completes",
  restart: "needs a restart or the VM recreated",
  rejected: "Cloud Hypervisor would refuse it",
};

function show(value: unknown): string {
  if (value === null || value === undefined) return "-";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A request as it goes on the wire: sizes are exact byte counts. */
function showCall(call: ApiCall): string {
  return `PUT /api/v1/${call.endpoint}${call.body ? " " + stringifyApiJson(call.body) : ""}`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, width - 1) + "…";
}

function jsonCall(call: ApiCall): unknown {
  return {
    endpoint: call.endpoint,
    ...(call.body
      ? {
          body: JSON.parse(
            JSON.stringify(call.body, (_k, v) =>
              typeof v === "bigint" ? (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : v,
            ),
          ),
        }
      : {}),
    paths: call.paths,
  };
}

function nextSteps(plan: CloudHypervisorPlan): string[] {
  const lines = plan.calls.map((c) => showCall(c));
  if (plan.running && plan.disruption === "reboot") lines.push("then, to take effect: PUT /api/v1/vm.reboot");
  if (plan.running && plan.disruption === "cold") {
    lines.push("then: PUT /api/v1/vm.shutdown", ...plan.coldCalls.map((c) => showCall(c)), "PUT /api/v1/vm.boot");
  }
  if (plan.disruption === "recreate") {
    lines.push(
      plan.running
        ? "then, to apply the rest: vm.shutdown, vm.delete, vm.create (the new config), vm.boot"
        : "then: vm.delete, vm.create (the new config)",
    );
  }
  return lines;
}

export function renderCloudHypervisorPlan(plan: CloudHypervisorPlan, format: OutputFormat): string {
  if (format === "json") {
    return (
      JSON.stringify(
        {
          outcome: plan.outcome,
          running: plan.running,
          disruption: plan.disruption,
          changes: plan.changes,
          messages: plan.messages,
          calls: plan.calls.map(jsonCall),
          coldCalls: plan.coldCalls.map(jsonCall),
        },
        null,
        2,
      ) + "\n"
    );
  }
  const headline = `Cloud Hypervisor VM: ${plan.outcome} (${OUTCOME_WORDS[plan.outcome]})`;
  const rows = plan.changes.map((c) => [c.path, show(c.before), show(c.after), c.outcome, c.reason]);
  const steps = nextSteps(plan);
  if (format === "markdown") {
    const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
    const out = [`### ${headline}`, ""];
    if (rows.length > 0) {
      out.push("| path | before | after | outcome | why |", "|---|---|---|---|---|");
      for (const r of rows) out.push(`| ${r.map((x, i) => (i < 3 ? "`" + cell(x) + "`" : cell(x))).join(" | ")} |`);
      out.push("");
    } else out.push("No changes.", "");
    for (const m of plan.messages) out.push(`- ${cell(m)}`);
    if (steps.length > 0) out.push("", "Requests, in order:", "", "```", ...steps, "```");
    return out.join("\n") + "\n";
  }
  const out = [headline];
  if (rows.length === 0) out.push("no changes");
  else {
    const header = ["PATH", "BEFORE", "AFTER", "OUTCOME", "WHY"];
    const widths = header.slice(0, 4).map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
    const line = (r: string[]) =>
      r
        .slice(0, 4)
        .map((x, i) => clip(x, widths[i]!).padEnd(widths[i]!))
        .join("  ") +
      "  " +
      r[4];
    out.push(line(header), ...rows.map(line));
  }
  for (const m of plan.messages) out.push(`note: ${m}`);
  if (steps.length > 0) out.push("requests, in order:", ...steps.map((s) => `  ${s}`));
  return out.join("\n") + "\n";
}
