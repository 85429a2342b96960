/**
 * Bounds how many API requests run at once across every resource the provider is working on, so a
 * 500-VM update does not flood the API server (client-go's QPS/burst, as a concurrency cap).
 */
export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly queued: number;
  /** the most requests ever in flight at once */
  readonly peak: number;
}

export function createLimiter(max: number): Limiter {
  if (!(max >= 1)) throw new Error(`concurrency limit must be at least 1, got ${max}`);
  let active = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];
  // A finished request hands its slot straight to the next waiter, so no newcomer can slip past the cap.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      else active++;
      peak = Math.max(peak, active);
      try {
        return await fn();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
    get peak() {
      return peak;
    },
  };
}
