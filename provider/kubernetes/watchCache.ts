import { KubeApiError } from "./apiError";
import { backoffDelay, type BackoffPolicy } from "./backoff";
import type { KubeClient, WatchEvent } from "./client";
import { collectionPath, type ResourceKind } from "./kinds";

/**
 * One shared watch per (kind, namespace), like client-go's informers: a LIST, then a WATCH from the
 * list's resourceVersion; every resource waiting on an object of that kind in that namespace subscribes
 * to it instead of opening its own watch. A dropped watch resumes from the last resourceVersion seen; a
 * 410 Gone (history compacted) re-lists and replays the differences to subscribers as events. The watch
 * closes when nobody has subscribed for a while.
 */

export type KubeObject = Record<string, unknown> & {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
};

export interface CacheEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED";
  readonly object: KubeObject;
}

/** Which objects a subscriber wants: one by name, or all with a label value. */
export type Selector = { readonly name: string } | { readonly label: string; readonly value: string };

export interface Subscription {
  /** the matching objects as the cache has them now (after the initial list) */
  readonly current: readonly KubeObject[];
  unsubscribe(): void;
}

export interface SubscribeOptions {
  /** called when the watch fails for good (e.g. 403 Forbidden): waiters fail with this error */
  readonly onError?: (error: Error) => void;
}

export interface WatchCacheMetrics {
  lists: number;
  relists: number;
  resumes: number;
  openInformers: number;
}

export interface WatchCache {
  subscribe(
    kind: ResourceKind,
    namespace: string,
    selector: Selector,
    listener: (event: CacheEvent) => void,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
  /**
   * When an informer for the kind and namespace is running and synced: `{ object }` (undefined object:
   * it does not exist). Otherwise undefined: the cache cannot tell.
   */
  peek(kind: ResourceKind, namespace: string, name: string): { readonly object: KubeObject | undefined } | undefined;
  readonly metrics: WatchCacheMetrics;
  close(): void;
}

export interface WatchCacheOptions {
  /** close an informer this long after its last subscriber left (ms, default 30 s) */
  readonly idleMs?: number;
  /** server-side watch timeout (seconds, default 300); the watch is then resumed */
  readonly watchTimeoutSeconds?: number;
  readonly backoff?: BackoffPolicy;
}

interface Listener {
  readonly selector: Selector;
  readonly fn: (event: CacheEvent) => void;
  readonly onError?: (error: Error) => void;
}

function matches(selector: Selector, obj: KubeObject): boolean {
  if ("name" in selector) return obj.metadata?.name === selector.name;
  return obj.metadata?.labels?.[selector.label] === selector.value;
}

function rvOf(obj: KubeObject): string | undefined {
  return obj.metadata?.resourceVersion;
}

class Informer {
  readonly store = new Map<string, KubeObject>();
  private readonly listeners = new Set<Listener>();
  private resourceVersion = "";
  private synced: Promise<void> | undefined;
  private stream: { stop(): void } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private failures = 0;
  private isSynced = false;

  constructor(
    private readonly client: KubeClient,
    private readonly kind: ResourceKind,
    private readonly namespace: string,
    private readonly options: Required<WatchCacheOptions>,
    private readonly metrics: WatchCacheMetrics,
    private readonly onIdle: () => void,
  ) {}

  get ready(): boolean {
    return this.isSynced && !this.closed;
  }

  async add(listener: Listener): Promise<KubeObject[]> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.listeners.add(listener);
    try {
      this.synced ??= this.list(false);
      await this.synced;
    } catch (e) {
      this.listeners.delete(listener);
      this.synced = undefined;
      throw e;
    }
    return [...this.store.values()].filter((o) => matches(listener.selector, o));
  }

  remove(listener: Listener): void {
    this.listeners.delete(listener);
    if (this.listeners.size === 0 && !this.closed) {
      this.idleTimer = setTimeout(() => this.close(), this.options.idleMs);
      this.idleTimer.unref();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.stream?.stop();
    this.metrics.openInformers--;
    this.onIdle();
  }

  private dispatch(event: CacheEvent): void {
    for (const l of this.listeners) {
      if (matches(l.selector, event.object)) l.fn(event);
    }
  }

  private fail(error: Error): void {
    for (const l of [...this.listeners]) l.onError?.(error);
  }

  /** LIST, replaying differences from the previous store as events when this is a re-list. */
  private async list(relist: boolean): Promise<void> {
    if (relist) this.metrics.relists++;
    else {
      this.metrics.lists++;
      this.metrics.openInformers++;
    }
    const list = await this.client.request<{ metadata?: { resourceVersion?: string }; items?: KubeObject[] }>({
      method: "GET",
      list: true,
      path: collectionPath(this.kind, this.namespace),
      operation: `list ${this.kind.kind} in ${this.namespace}`,
    });
    const fresh = new Map<string, KubeObject>();
    for (const item of list.items ?? []) {
      // Items of a list carry no kind; waiters and outputs want it.
      const obj = { apiVersion: `${this.kind.group}/${this.kind.version}`, kind: this.kind.kind, ...item };
      fresh.set(obj.metadata?.name ?? "", obj);
    }
    if (relist) {
      for (const [name, old] of this.store) if (!fresh.has(name)) this.dispatch({ type: "DELETED", object: old });
      for (const [name, obj] of fresh) {
        const old = this.store.get(name);
        if (!old) this.dispatch({ type: "ADDED", object: obj });
        else if (rvOf(old) !== rvOf(obj)) this.dispatch({ type: "MODIFIED", object: obj });
      }
    }
    this.store.clear();
    for (const [k, v] of fresh) this.store.set(k, v);
    this.resourceVersion = list.metadata?.resourceVersion ?? "";
    this.isSynced = true;
    this.startWatch();
  }

  private startWatch(): void {
    if (this.closed) return;
    const query: Record<string, string> = {
      allowWatchBookmarks: "true",
      timeoutSeconds: String(this.options.watchTimeoutSeconds),
    };
    if (this.resourceVersion) query["resourceVersion"] = this.resourceVersion;
    let gone = false;
    this.stream = this.client.watch(
      collectionPath(this.kind, this.namespace),
      query,
      (event: WatchEvent) => {
        this.failures = 0;
        if (event.type === "ERROR") {
          const code = Number((event.object as { code?: number }).code);
          if (code === 410) gone = true;
          return;
        }
        const obj = {
          apiVersion: `${this.kind.group}/${this.kind.version}`,
          kind: this.kind.kind,
          ...event.object,
        } as KubeObject;
        const rv = rvOf(obj);
        if (rv) this.resourceVersion = rv;
        if (event.type === "BOOKMARK") return;
        const name = obj.metadata?.name ?? "";
        if (event.type === "DELETED") this.store.delete(name);
        else this.store.set(name, obj);
        this.dispatch({ type: event.type, object: obj });
      },
      (error) => this.reconnect(error, gone),
    );
  }

  /** The watch ended: resume from the last resourceVersion, or re-list after 410 Gone. */
  private reconnect(error: Error | undefined, gone: boolean): void {
    if (this.closed) return;
    if (error instanceof KubeApiError && error.code === 410) gone = true;
    if (error instanceof KubeApiError && (error.code === 401 || error.code === 403 || error.code === 404)) {
      this.fail(error);
      this.close();
      return;
    }
    this.failures = error ? this.failures + 1 : 0;
    if (this.failures >= this.options.backoff.attempts) {
      this.fail(
        new Error(`the watch on ${this.kind.kind} in ${this.namespace} kept failing: ${error?.message ?? "closed"}`),
      );
      this.failures = 0;
    }
    const delay = this.failures === 0 ? 0 : backoffDelay(this.options.backoff, this.failures);
    const timer = setTimeout(() => {
      if (this.closed) return;
      if (gone) {
        this.list(true).catch((e: Error) => this.reconnect(e, true));
      } else {
        this.metrics.resumes++;
        this.startWatch();
      }
    }, delay);
    timer.unref();
  }
}

export function createWatchCache(client: KubeClient, options: WatchCacheOptions = {}): WatchCache {
  const opts: Required<WatchCacheOptions> = {
    idleMs: options.idleMs ?? 30_000,
    watchTimeoutSeconds: options.watchTimeoutSeconds ?? 300,
    backoff: options.backoff ?? { attempts: 8, baseMs: 100, maxMs: 5000 },
  };
  const informers = new Map<string, Informer>();
  const metrics: WatchCacheMetrics = { lists: 0, relists: 0, resumes: 0, openInformers: 0 };
  const keyOf = (kind: ResourceKind, namespace: string): string => `${kind.group}/${kind.plural}/${namespace}`;
  return {
    metrics,
    async subscribe(kind, namespace, selector, fn, subscribeOptions = {}) {
      const key = keyOf(kind, namespace);
      let informer = informers.get(key);
      if (!informer) {
        const created: Informer = new Informer(client, kind, namespace, opts, metrics, () => {
          if (informers.get(key) === created) informers.delete(key);
        });
        informer = created;
        informers.set(key, informer);
      }
      const listener: Listener = {
        selector,
        fn,
        ...(subscribeOptions.onError ? { onError: subscribeOptions.onError } : {}),
      };
      const current = await informer.add(listener);
      const owner = informer;
      return { current, unsubscribe: () => owner.remove(listener) };
    },
    peek(kind, namespace, name) {
      const informer = informers.get(keyOf(kind, namespace));
      return informer?.ready ? { object: informer.store.get(name) } : undefined;
    },
    close() {
      for (const i of [...informers.values()]) i.close();
      informers.clear();
    },
  };
}
