/**
 * One line of `livevm doctor`'s report: a guest-readiness Finding (same severities: ok, info,
 * warning, blocking) with the scope it is about ("cluster", "node", or a VM "ns/name") and a short
 * check name.
 */

import { type Finding, type FindingSeverity } from "../../core/guestReadiness/finding";

export interface DoctorCheck extends Finding {
  readonly scope: string;
  readonly check: string;
}

export function check(
  scope: string,
  checkName: string,
  severity: FindingSeverity,
  code: string,
  message: string,
  fix?: string,
): DoctorCheck {
  return { scope, check: checkName, severity, code, subject: checkName, message, ...(fix ? { fix } : {}) };
}

export function fromFinding(scope: string, checkName: string, f: Finding): DoctorCheck {
  return { ...f, scope, check: checkName };
}
