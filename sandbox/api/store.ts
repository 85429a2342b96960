/**
 * The object store behind the sandbox's API: one global resourceVersion counter (like etcd's revision),
 * uid/generation/creationTimestamp bookkeeping, finalizers, and a bounded event log that watches replay
 * from a resourceVersion (older than the log means 410 Gone, as with a compacted etcd).
 */
import { randomUUID } from "node:crypto";
import { alreadyExists, conflict, notFound } from "./status";
import { apiVersionOf, resourceKey, type ResourceType } from "./resources";

export type KObject = Record<string, unknown> & { metadata: ObjectMeta; apiVersion: string; kind: string };

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  generateName?: string;
  ownerReferences?: Record<string, unknown>[];
  managedFields?: Record<string, unknown>[];
  [key: string]: unknown;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  readonly rv: number;
  readonly type: WatchEventType;
  readonly resource: string; // resourceKey
  readonly object: KObject;
  readonly previous?: KObject;
}

export type StoreListener = (event: StoreEvent) => void;

/** Deep copy of plain JSON data (much faster than structuredClone for API objects). */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, "Z");
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/** Fields whose change bumps metadata.generation (everything but metadata and status). */
function specChanged(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return JSON.stringify(rest);
  };
  return strip(a) !== strip(b);
}

export class Store {
  private revision = 0;
  private readonly objects = new Map<string, Map<string, KObject>>();
  private readonly log: StoreEvent[] = [];
  private compactedRv = 0;
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly logCapacity = 20000) {}

  get currentRevision(): number {
    return this.revision;
  }

  /** The newest resourceVersion no longer replayable: watches from before it get 410 Gone. */
  get oldestReplayableRevision(): number {
    return this.compactedRv;
  }

  private bucket(t: ResourceType): Map<string, KObject> {
    const key = resourceKey(t);
    let b = this.objects.get(key);
    if (!b) {
      b = new Map();
      this.objects.set(key, b);
    }
    return b;
  }

  get(t: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const o = this.bucket(t).get(objectKey(t.namespaced ? namespace : undefined, name));
    return o ? clone(o) : undefined;
  }

  /** Read-only view without copying, for hot paths (list/watch filtering). Do not mutate. */
  peekAll(t: ResourceType, namespace?: string): KObject[] {
    const out: KObject[] = [];
    for (const o of this.bucket(t).values()) {
      if (namespace === undefined || !t.namespaced || o.metadata.namespace === namespace) out.push(o);
    }
    return out;
  }

  list(t: ResourceType, namespace?: string): KObject[] {
    return this.peekAll(t, namespace).map(clone);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `rv` for one resource type, or undefined when `rv` is older than the log keeps. */
  eventsSince(t: ResourceType, rv: number): StoreEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    const key = resourceKey(t);
    // binary search the first event with rv > given rv
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo).filter((e) => e.resource === key);
  }

  private emit(type: WatchEventType, t: ResourceType, object: KObject, previous?: KObject): void {
    const event: StoreEvent = { rv: this.revision, type, resource: resourceKey(t), object, previous };
    this.log.push(event);
    if (this.log.length > this.logCapacity) {
      const dropped = this.log.splice(0, this.log.length - this.logCapacity);
      this.compactedRv = dropped[dropped.length - 1]!.rv;
    }
    for (const l of [...this.listeners]) l(event);
  }

  /** Stores a new object; metadata.name must be set (generateName is resolved by the caller). */
  create(t: ResourceType, input: KObject): KObject {
    const b = this.bucket(t);
    const ns = t.namespaced ? input.metadata.namespace : undefined;
    const key = objectKey(ns, input.metadata.name);
    if (b.has(key)) throw alreadyExists(t.group, t.plural, input.metadata.name);
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(t);
    obj.kind = t.kind;
    this.revision += 1;
    const {
      uid: _u,
      resourceVersion: _r,
      creationTimestamp: _c,
      deletionTimestamp: _d,
      generation: _g,
      ...rest
    } = obj.metadata;
    obj.metadata = {
      ...rest,
      name: input.metadata.name,
      ...(ns ? { namespace: ns } : {}),
      uid: randomUUID(),
      resourceVersion: String(this.revision),
      ...(t.custom ? { generation: 1 } : {}),
      creationTimestamp: now(),
    } as ObjectMeta;
    if (!ns) delete obj.metadata.namespace;
    b.set(key, obj);
    this.emit("ADDED", t, obj); // stored objects are never mutated in place: events can share them
    return clone(obj);
  }

  /**
   * Replaces an object. With `expectRv` (the client's resourceVersion) a stale write is a 409, as on a
   * real API server. Keeps uid/creationTimestamp; bumps generation on spec changes for custom resources.
   * Removing the last finalizer of an object being deleted deletes it.
   */
  update(t: ResourceType, input: KObject, expectRv?: string): KObject {
    const b = this.bucket(t);
    const ns = t.namespaced ? input.metadata.namespace : undefined;
    const key = objectKey(ns, input.metadata.name);
    const current = b.get(key);
    if (!current) throw notFound(t.group, t.plural, input.metadata.name);
    if (expectRv !== undefined && expectRv !== "" && expectRv !== current.metadata.resourceVersion) {
      throw conflict(
        t.group,
        t.plural,
        input.metadata.name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(t);
    obj.kind = t.kind;
    obj.metadata = {
      ...obj.metadata,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
    };
    if (current.metadata.deletionTimestamp) obj.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    else delete obj.metadata.deletionTimestamp;
    if (ns) obj.metadata.namespace = ns;
    else delete obj.metadata.namespace;
    if (t.custom) {
      const gen = current.metadata.generation ?? 1;
      obj.metadata.generation = specChanged(current, obj) ? gen + 1 : gen;
    } else delete obj.metadata.generation;
    if (JSON.stringify(obj) === JSON.stringify(current)) return clone(current); // no-op writes keep the RV
    this.revision += 1;
    obj.metadata.resourceVersion = String(this.revision);
    if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers?.length ?? 0)) {
      b.delete(key);
      this.emit("DELETED", t, obj, current);
      return clone(obj);
    }
    b.set(key, obj);
    this.emit("MODIFIED", t, obj, current);
    return clone(obj);
  }

  /** Deletes an object, or marks it with deletionTimestamp while finalizers remain. */
  delete(t: ResourceType, namespace: string | undefined, name: string, expectRv?: string, expectUid?: string): KObject {
    const b = this.bucket(t);
    const key = objectKey(t.namespaced ? namespace : undefined, name);
    const current = b.get(key);
    if (!current) throw notFound(t.group, t.plural, name);
    if (expectRv && expectRv !== current.metadata.resourceVersion) {
      throw conflict(
        t.group,
        t.plural,
        name,
        `the ResourceVersion in the precondition (${expectRv}) does not match the ResourceVersion in record (${current.metadata.resourceVersion}). The object might have been modified`,
      );
    }
    if (expectUid && expectUid !== current.metadata.uid) {
      throw conflict(
        t.group,
        t.plural,
        name,
        `the UID in the precondition (${expectUid}) does not match the UID in record (${current.metadata.uid}). The object might have been deleted and then recreated`,
      );
    }
    this.revision += 1;
    if (current.metadata.finalizers?.length) {
      if (current.metadata.deletionTimestamp) {
        this.revision -= 1;
        return clone(current);
      }
      const obj = clone(current);
      obj.metadata.deletionTimestamp = now();
      obj.metadata.resourceVersion = String(this.revision);
      b.set(key, obj);
      this.emit("MODIFIED", t, obj, current);
      return clone(obj);
    }
    b.delete(key);
    const obj = clone(current);
    obj.metadata.resourceVersion = String(this.revision);
    this.emit("DELETED", t, obj, current);
    return clone(obj);
  }
}
