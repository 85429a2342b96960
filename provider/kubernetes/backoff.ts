/**
 * Exponential back-off with full jitter and a retry budget, as client-go's wait.Backoff does it.
 */
export interface BackoffPolicy {
  /** total attempts including the first */
  readonly attempts: number;
  /** first delay in ms */
  readonly baseMs: number;
  /** largest delay in ms */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { attempts: 8, baseMs: 100, maxMs: 5000 };

/** Delay before attempt `attempt` (1-based retry count), honoring a server's Retry-After in seconds. */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  retryAfterSeconds?: number,
  random = Math.random,
): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0)
    return Math.min(retryAfterSeconds * 1000, policy.maxMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
