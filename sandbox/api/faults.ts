/**
 * Server-wide API fault injection with a seeded PRNG (mulberry32), so a test that sets a seed sees the
 * same faults in the same order on every run. Discovery (/version, /api, /apis, /openapi) is never faulted.
 */

export interface ApiFaults {
  /** PRNG seed; the same seed and request sequence give the same faults. Default 1. */
  readonly seed?: number;
  /** Probability (0..1) that a resource request is answered with a 500 InternalError. */
  readonly errorRate?: number;
  /** Probability (0..1) that a write (POST/PUT/PATCH/DELETE) is answered with a 409 Conflict. */
  readonly conflictRate?: number;
  /** Extra latency per resource request: a fixed number of milliseconds, or [min, max]. */
  readonly latencyMs?: number | readonly [number, number];
  /** Probability (0..1), per delivered watch event, that the watch connection is dropped after it. */
  readonly dropWatchRate?: number;
}

export class FaultInjector {
  private state: number;

  constructor(readonly faults: ApiFaults = {}) {
    this.state = (faults.seed ?? 1) >>> 0;
    for (const [name, rate] of [
      ["errorRate", faults.errorRate],
      ["conflictRate", faults.conflictRate],
      ["dropWatchRate", faults.dropWatchRate],
    ] as const) {
      if (rate !== undefined && !(rate >= 0 && rate <= 1))
        throw new Error(`sandbox faults.${name} must be between 0 and 1, got ${rate}`);
    }
  }

  /** Next number in [0, 1). */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private roll(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.random() < rate;
  }

  latency(): number {
    const l = this.faults.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === "number") return l;
    return l[0] + this.random() * (l[1] - l[0]);
  }

  serverError(): boolean {
    return this.roll(this.faults.errorRate);
  }

  writeConflict(): boolean {
    return this.roll(this.faults.conflictRate);
  }

  dropWatch(): boolean {
    return this.roll(this.faults.dropWatchRate);
  }
}
