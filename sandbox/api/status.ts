/** Kubernetes `Status` errors, shaped like the API server's (`k8s.io/apimachinery/pkg/api/errors`). */

export interface StatusCause {
  type?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** "virtualmachines.kubevirt.io" or "nodes". */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(group: string, plural: string, name: string): ApiError {
  return new ApiError(404, "NotFound", `${qualifiedResource(group, plural)} "${name}" not found`, {
    name,
    ...(group ? { group } : {}),
    kind: plural,
  });
}

export function alreadyExists(group: string, plural: string, name: string): ApiError {
  return new ApiError(409, "AlreadyExists", `${qualifiedResource(group, plural)} "${name}" already exists`, {
    name,
    ...(group ? { group } : {}),
    kind: plural,
  });
}

export function conflict(group: string, plural: string, name: string, why: string): ApiError {
  return new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`,
    { name, ...(group ? { group } : {}), kind: plural },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, "BadRequest", message);
}

/** A field-level validation failure (HTTP 422), as the API server reports schema errors. */
export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const summary = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
  return new ApiError(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes,
  });
}

/** A denial from a validating admission webhook: the API server wraps the webhook's Status. */
export function webhookDenied(webhook: string, causes: StatusCause[]): ApiError {
  const message = causes.map((c) => c.message).join(", ");
  return new ApiError(422, "Invalid", `admission webhook "${webhook}" denied the request: ${message}`, { causes });
}

export function methodNotAllowed(method: string): ApiError {
  return new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`, {
    causes: [{ message: `method ${method} is not supported here` }],
  });
}

export function unsupportedMediaType(contentType: string, supported: string[]): ApiError {
  return new ApiError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${supported.join(", ")}`,
    { causes: [{ message: `content type ${JSON.stringify(contentType)} is not accepted` }] },
  );
}

export function internalError(message: string): ApiError {
  return new ApiError(500, "InternalError", `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function gone(message: string): ApiError {
  return new ApiError(410, "Expired", message);
}
