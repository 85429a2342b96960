import type { ResourceKind } from "../kubernetes/kinds";
import type { CacheEvent, KubeObject, Selector, WatchCache } from "../kubernetes/watchCache";
import type { Satisfier } from "./condition/satisfier";

/**
 * Waits, event-driven, until a Satisfier is satisfied for one object of the shared watch cache: no
 * polling; the current cached state is replayed first, so an already-satisfied wait returns at once.
 */

export interface AwaitOptions {
  readonly cache: WatchCache;
  readonly kind: ResourceKind;
  readonly namespace: string;
  readonly name: string;
  readonly satisfier: Satisfier;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** called with satisfier.describe() whenever it changes (status messages) */
  readonly onProgress?: (description: string) => void;
  /** extra observers fed the same events (e.g. a migration reporter) */
  readonly onEvent?: (event: CacheEvent) => void;
  /** the error message for a timeout, given what is still awaited */
  readonly timeoutMessage: (pending: string) => string;
}

export class AwaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AwaitTimeoutError";
  }
}

export async function awaitObject(options: AwaitOptions): Promise<KubeObject | undefined> {
  const { satisfier } = options;
  let last: KubeObject | undefined;
  let lastDescription = "";
  let settle: ((error?: Error) => void) | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve());
  });
  const check = (): void => {
    const failure = satisfier.failure();
    if (failure) return settle!(failure);
    if (satisfier.satisfied()) return settle!();
    const description = satisfier.describe();
    if (description !== lastDescription) {
      lastDescription = description;
      options.onProgress?.(description);
    }
  };
  const onEvent = (event: CacheEvent): void => {
    last = event.type === "DELETED" ? undefined : event.object;
    satisfier.observe(event);
    options.onEvent?.(event);
    check();
  };
  const selector: Selector = { name: options.name };
  const subscription = await options.cache.subscribe(options.kind, options.namespace, selector, onEvent, {
    onError: (e) => settle!(e),
  });
  const timer = setTimeout(
    () => settle!(new AwaitTimeoutError(options.timeoutMessage(satisfier.describe()))),
    options.timeoutMs,
  );
  const onAbort = (): void => settle!(options.signal!.reason as Error);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (const obj of subscription.current) onEvent({ type: "ADDED", object: obj });
    // Absent from the synced cache: tell the conditions (deleted() is satisfied by this).
    if (subscription.current.length === 0)
      onEvent({ type: "DELETED", object: { metadata: { name: options.name, namespace: options.namespace } } });
    if (options.signal?.aborted) onAbort();
    check();
    await done;
    return last;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    subscription.unsubscribe();
  }
}
