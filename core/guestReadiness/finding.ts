/**
 * A finding about a guest's readiness for hot-plugged CPUs and memory: what was checked, how bad
 * it is, and what to do. `blocking` means hot-plugged resources cannot be used until it is fixed.
 */

export type FindingSeverity = "ok" | "info" | "warning" | "blocking";

export interface Finding {
  readonly severity: FindingSeverity;
  /** stable identifier, e.g. "nr_cpus-below-max" */
  readonly code: string;
  /** what the finding is about, e.g. "kernel parameter nr_cpus" or "guest kernel 5.4.0" */
  readonly subject: string;
  readonly message: string;
  /** what to change, when there is something to change */
  readonly fix?: string;
}

const ORDER: Record<FindingSeverity, number> = { ok: 0, info: 1, warning: 2, blocking: 3 };

export function worstSeverity(findings: readonly Finding[]): FindingSeverity {
  let worst: FindingSeverity = "ok";
  for (const f of findings) if (ORDER[f.severity] > ORDER[worst]) worst = f.severity;
  return worst;
}

export function isBlocking(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "blocking");
}
