import { OUTCOMES } from "../../core/kubevirt/plan";
import { distinctCauses } from "./distinctCauses";
import { formatValue } from "./formatValue";
import { OUTCOME_WORDS } from "./outcomeWords";
import type { PlanReport, VmReport } from "./planReport";
import { stepsLine } from "./stepsLine";
import { summaryLine } from "./summaryLine";

const VALUE_WIDTH = 60;
const MARK = { none: "⚪", staged: "🔵", live: "🟢", stuck: "🟠", restart: "🟡", rejected: "🔴" } as const;

/** --output markdown: a pull-request comment with a summary and one table row per changed field, grouped by VM. */
export function renderMarkdown(report: PlanReport): string {
  const s = report.summary;
  const out: string[] = [`## livevm plan: ${MARK[s.worst]} ${s.worst}`, "", summaryLine(s) + ".", ""];
  for (const message of s.messages) out.push(`> ${escapeText(message)}`);
  if (s.messages.length) out.push("");
  const counted = OUTCOMES.filter((o) => s.outcomes[o] > 0);
  if (counted.length) {
    out.push("| outcome | VMs | meaning |", "|---|---:|---|");
    for (const o of counted) out.push(`| ${MARK[o]} ${o} | ${s.outcomes[o]} | ${OUTCOME_WORDS[o]} |`);
    out.push("");
  }
  for (const vm of report.vms) {
    if (vm.manifest === "unchanged" && vm.outcome === "none" && !vm.admission) continue;
    out.push(...section(vm), "");
  }
  out.push(`<sub>exit code ${s.exitCode} (--fail-on ${s.failOn}); KubeVirt ${s.version}</sub>`);
  return out.join("\n") + "\n";
}

function section(vm: VmReport): string[] {
  const manifest = vm.manifest === "modified" ? "" : ` (${vm.manifest})`;
  const predicted = vm.predicted ? " _(predicted)_" : "";
  const out = [`### ${MARK[vm.outcome]} \`${vm.namespace}/${vm.name}\`${manifest}: ${vm.outcome}${predicted}`, ""];
  if (vm.changes.length) {
    out.push("| field | before | after | outcome | reason |", "|---|---|---|---|---|");
    for (const c of vm.changes) {
      out.push(
        `| ${code(c.path)} | ${code(formatValue(c.before, VALUE_WIDTH))} | ${code(formatValue(c.after, VALUE_WIDTH))} | ${MARK[c.outcome]} ${c.outcome} | ${escapeText(c.reason)} |`,
      );
    }
    out.push("");
  }
  for (const cause of distinctCauses(vm.admission))
    out.push(`- denied: ${code(cause.field)}: ${escapeText(cause.message)}`);
  for (const message of vm.messages) out.push(`- ${escapeText(message)}`);
  const steps = stepsLine(vm);
  if (steps) out.push(`- safer order: ${escapeText(steps)}`);
  return out;
}

/** Text inside a table cell or list item: no raw pipes, newlines or HTML. */
function escapeText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r?\n/g, "<br>");
}

/** A code span whose fence is longer than any backtick run inside; pipes escaped for tables. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ")}${pad}${fence}`;
}
