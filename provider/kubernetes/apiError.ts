/**
 * An error answered by the Kubernetes API, carrying its `Status` object. The message is the API
 * server's (and so KubeVirt's admission webhook's) own message, verbatim.
 */

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface KubeStatus {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: { readonly name?: string; readonly kind?: string; readonly causes?: readonly StatusCause[] };
}

export class KubeApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: KubeStatus,
    /** what we were doing: "patch VirtualMachine default/vm1" */
    readonly operation: string,
    /** how many attempts were made (more than one when retried) */
    readonly attempts = 1,
  ) {
    super(KubeApiError.describe(code, status, operation, attempts));
    this.name = "KubeApiError";
  }

  get reason(): string {
    return this.status.reason ?? "";
  }

  get causes(): readonly StatusCause[] {
    return this.status.details?.causes ?? [];
  }

  static describe(code: number, status: KubeStatus, operation: string, attempts: number): string {
    const message = status.message || status.reason || `HTTP ${code}`;
    const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
    return `${operation}: ${message}${retried}`;
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof KubeApiError && e.code === 404;
}

export function isConflict(e: unknown): boolean {
  return e instanceof KubeApiError && e.code === 409;
}

export function isAlreadyExists(e: unknown): boolean {
  return e instanceof KubeApiError && e.code === 409 && e.reason === "AlreadyExists";
}

/** Transient answers worth retrying with back-off: throttling and server-side failures. */
export function isRetryableStatus(code: number): boolean {
  return code === 429 || code === 500 || code === 502 || code === 503 || code === 504;
}

/** Parses an error body into a Status (a non-Status body becomes its message). */
export function parseStatus(code: number, body: string): KubeStatus {
  try {
    const parsed = JSON.parse(body) as KubeStatus;
    if (parsed && typeof parsed === "object" && (parsed.kind === "Status" || parsed.message)) return parsed;
  } catch {
    // not JSON: fall through
  }
  const text = body.trim().slice(0, 500);
  return { kind: "Status", code, message: text || `HTTP ${code}` };
}
