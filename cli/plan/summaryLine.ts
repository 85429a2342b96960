import { OUTCOMES } from "../../core/kubevirt/plan";
import type { PlanSummary } from "./planReport";

/** "5 VMs: 1 live, 2 restart, 1 rejected, 1 unchanged; 2 added, 1 removed; 3 non-VM documents skipped" */
export function summaryLine(summary: PlanSummary): string {
  const outcomes = OUTCOMES.filter((o) => summary.outcomes[o] > 0).map((o) => `${summary.outcomes[o]} ${o}`);
  const parts = [
    `${summary.vms} VM${summary.vms === 1 ? "" : "s"}${outcomes.length ? ": " + outcomes.join(", ") : ""}`,
  ];
  const manifest = [
    summary.added ? `${summary.added} added` : "",
    summary.removed ? `${summary.removed} removed` : "",
    summary.modified ? `${summary.modified} modified` : "",
    summary.unchanged ? `${summary.unchanged} unchanged` : "",
  ].filter(Boolean);
  if (manifest.length) parts.push(manifest.join(", "));
  if (summary.skippedDocuments) {
    parts.push(`${summary.skippedDocuments} non-VM document${summary.skippedDocuments === 1 ? "" : "s"} skipped`);
  }
  return parts.join("; ");
}
