import type { FailureCause } from "./releases";

/**
 * A failed API request: the error chain Cloud Hypervisor sends back as a JSON array of strings (top error
 * first, root cause last) and the cause that decides the status.
 */
export class ApiFailure extends Error {
  constructor(
    readonly failureCause: FailureCause,
    readonly chain: readonly string[],
  ) {
    super(chain.join(": "));
    this.name = "ApiFailure";
  }
}

/** A request the HTTP layer refuses before it reaches the VMM (bad method, bad body): 400, 404, with its body. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: readonly string[] | undefined,
    /** a body that is not an error chain (micro_http's own parse errors) */
    readonly rawBody?: string,
  ) {
    super(body?.join(": ") ?? rawBody ?? String(status));
    this.name = "HttpFailure";
  }
}

/**
 * micro_http refuses a request it cannot parse (too large, a GET with a body) before Cloud Hypervisor sees
 * it: 400 with its own body, which is not a JSON array.
 */
export function parseFailure(reason: string): HttpFailure {
  return new HttpFailure(400, undefined, `{ "error": "${reason}\nAll previous unanswered requests will be dropped." }`);
}

/** "Error from API", then the API error's text, then the VMM error chain. */
export function apiError(cause: FailureCause, apiText: string, ...vmChain: string[]): ApiFailure {
  return new ApiFailure(cause, ["Error from API", apiText, ...vmChain]);
}
