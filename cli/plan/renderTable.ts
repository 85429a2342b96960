import { painter } from "./ansiColour";
import { distinctCauses } from "./distinctCauses";
import { formatValue } from "./formatValue";
import { OUTCOME_WORDS } from "./outcomeWords";
import type { PlanReport, VmReport } from "./planReport";
import { stepsLine } from "./stepsLine";
import { summaryLine } from "./summaryLine";

const VALUE_WIDTH = 32;

/**
 * The default output: per VM with changes (or added/removed), a heading with the VM's outcome and one
 * row per changed field (path, before, after, outcome, reason), then its notes; unchanged VMs are only
 * counted. Colour when `colour` (a TTY without NO_COLOR).
 */
export function renderTable(report: PlanReport, colour: boolean): string {
  const p = painter(colour);
  const out: string[] = [];
  for (const vm of report.vms) {
    if (vm.manifest === "unchanged" && vm.outcome === "none" && !vm.admission) continue;
    out.push(heading(vm, p));
    if (vm.changes.length) out.push(...rows(vm, p));
    for (const cause of distinctCauses(vm.admission))
      out.push(`  ${p.outcome("rejected", "denied")}: ${cause.field}: ${cause.message}`);
    for (const message of vm.messages) out.push(`  ${p.dim("note:")} ${message}`);
    const steps = stepsLine(vm);
    if (steps) out.push(`  ${p.dim("safer order:")} ${steps}`);
    out.push("");
  }
  if (!out.length) out.push("No VirtualMachine changes.", "");
  out.push(p.bold(summaryLine(report.summary)));
  for (const message of report.summary.messages) out.push(p.dim(message));
  const worst = report.summary.worst;
  out.push(`worst outcome: ${p.outcome(worst, worst)} (${OUTCOME_WORDS[worst]}); exit code ${report.summary.exitCode}`);
  return out.join("\n") + "\n";
}

function heading(vm: VmReport, p: ReturnType<typeof painter>): string {
  const manifest = vm.manifest === "modified" ? "" : ` (${vm.manifest})`;
  return `${p.bold(`${vm.namespace}/${vm.name}`)}${manifest}: ${p.outcome(vm.outcome, vm.outcome)}${vm.predicted ? p.dim(" (predicted)") : ""}`;
}

function rows(vm: VmReport, p: ReturnType<typeof painter>): string[] {
  const header = ["FIELD", "BEFORE", "AFTER", "OUTCOME", "REASON"];
  const cells = vm.changes.map((c) => [
    c.path,
    formatValue(c.before, VALUE_WIDTH),
    formatValue(c.after, VALUE_WIDTH),
    c.outcome,
    c.reason,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[], style: (i: number, text: string) => string): string =>
    "  " +
    row
      .map((cell, i) => style(i, i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [
    line(header, (_i, text) => p.dim(text)),
    ...cells.map((row, r) => line(row, (i, text) => (i === 3 ? p.outcome(vm.changes[r]!.outcome, text) : text))),
  ];
}
