/** `livevm doctor` output: an aligned table with the fixes below it, or JSON. */

import { type Diagnosis } from "./diagnose";

const MARK = { ok: "ok", info: "info", warning: "WARN", blocking: "BLOCKING" } as const;

export function renderTable(d: Diagnosis): string {
  const rows = d.checks.map((c) => [c.scope, c.check, MARK[c.severity], c.message]);
  const header = ["SCOPE", "CHECK", "STATUS", "DETAIL"];
  const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ");
  const out = [line(header), ...rows.map(line)];
  const fixes = d.checks.filter((c) => c.fix && (c.severity === "blocking" || c.severity === "warning"));
  if (fixes.length > 0) {
    out.push("", "To fix:");
    for (const c of fixes) out.push(`  ${c.scope} ${c.check}: ${c.fix}`);
  }
  const blocking = d.checks.filter((c) => c.severity === "blocking").length;
  out.push(
    "",
    blocking > 0
      ? `${blocking} problem(s) block live updates: CPU/memory changes will be staged or need a restart.`
      : "Nothing blocks live updates.",
  );
  return out.join("\n") + "\n";
}

export function renderJson(d: Diagnosis): string {
  return JSON.stringify({ blocking: d.blocking, checks: d.checks }, null, 2) + "\n";
}
