/**
 * Field ownership for server-side apply: each manager owns a set of leaf field paths (maps are walked,
 * lists and scalars are atomic leaves), encoded in `metadata.managedFields` as FieldsV1. Apply conflicts
 * when it would change a value another manager owns (409 with one cause per field, unless force=true);
 * updates silently take ownership of what they change.
 */
import { ApiError } from "./status";
import { clone, now } from "./store";
import { deepEqual } from "./patch";

type Path = readonly string[];
type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

const IGNORED_TOP = new Set(["apiVersion", "kind", "status"]);
const IGNORED_META = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "managedFields",
  "selfLink",
]);

/** Leaf paths of an object as a client wrote it, status excluded (it has its own subresource). */
export function leafPaths(obj: unknown, includeStatus = false): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string[]) => {
    if (isObject(v)) {
      // maps are walked; an empty map owns nothing
      for (const [k, child] of Object.entries(v)) {
        if (path.length === 0 && IGNORED_TOP.has(k) && !(includeStatus && k === "status")) continue;
        if (path.length === 1 && path[0] === "metadata" && IGNORED_META.has(k)) continue;
        walk(child, [...path, k]);
      }
    } else if (path.length > 0) out.push(JSON.stringify(path));
  };
  walk(obj, []);
  return out;
}

export function valueAt(obj: unknown, path: Path): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

function deleteAt(obj: Obj, path: Path): void {
  const stack: Obj[] = [];
  let cur: unknown = obj;
  for (const seg of path.slice(0, -1)) {
    if (!isObject(cur)) return;
    stack.push(cur);
    cur = cur[seg];
  }
  if (!isObject(cur)) return;
  delete cur[path[path.length - 1]!];
  // prune emptied maps bottom-up
  for (let i = path.length - 2; i >= 0; i--) {
    const holder = stack[i]!;
    const child = holder[path[i]!];
    if (isObject(child) && Object.keys(child).length === 0) delete holder[path[i]!];
    else break;
  }
}

function toFieldsV1(paths: Iterable<string>): Obj {
  const root: Obj = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of JSON.parse(p) as string[]) {
      const key = `f:${seg}`;
      cur[key] = (cur[key] as Obj | undefined) ?? {};
      cur = cur[key] as Obj;
    }
  }
  return root;
}

function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node).filter((k) => k.startsWith("f:"));
    if (keys.length === 0 && path.length > 0) out.add(JSON.stringify(path));
    for (const k of keys) walk(node[k], [...path, k.slice(2)]);
  };
  walk(fields, []);
  return out;
}

export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  subresource?: string;
  fields: Set<string>;
}

export function readManagers(meta: Obj): ManagerEntry[] {
  const list = Array.isArray(meta.managedFields) ? meta.managedFields : [];
  return list.filter(isObject).map((e) => ({
    manager: String(e.manager ?? ""),
    operation: e.operation === "Apply" ? "Apply" : "Update",
    apiVersion: String(e.apiVersion ?? ""),
    ...(typeof e.subresource === "string" ? { subresource: e.subresource } : {}),
    fields: fromFieldsV1(e.fieldsV1),
  }));
}

export function writeManagers(meta: Obj, managers: ManagerEntry[]): void {
  const kept = managers.filter((m) => m.fields.size > 0);
  if (kept.length === 0) {
    delete meta.managedFields;
    return;
  }
  meta.managedFields = kept.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    time: now(),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1([...m.fields].sort()),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

function sameSlot(m: ManagerEntry, manager: string, operation: string, subresource?: string): boolean {
  return m.manager === manager && m.operation === operation && (m.subresource ?? "") === (subresource ?? "");
}

function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = JSON.parse(a) as string[];
  const pb = JSON.parse(b) as string[];
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) if (pa[i] !== pb[i]) return false;
  return true;
}

/** Records that `manager` (an Update) wrote `next` over `previous`: it takes the fields it changed. */
export function recordUpdate(
  previous: Obj | undefined,
  next: Obj,
  manager: string,
  apiVersion: string,
  subresource?: string,
): void {
  const meta = next.metadata as Obj;
  const managers = readManagers((previous?.metadata as Obj | undefined) ?? {});
  const forStatus = subresource === "status";
  const changed = leafPaths(next, forStatus).filter((p) => {
    const path = JSON.parse(p) as string[];
    if (forStatus !== (path[0] === "status")) return false;
    return !previous || !deepEqual(valueAt(previous, path), valueAt(next, path));
  });
  // fields that disappeared stop being owned by anyone
  const present = new Set(leafPaths(next, true));
  for (const m of managers) for (const f of [...m.fields]) if (!present.has(f)) m.fields.delete(f);
  if (changed.length > 0) {
    for (const m of managers)
      for (const f of [...m.fields]) if (changed.some((c) => overlaps(c, f))) m.fields.delete(f);
    let mine = managers.find((m) => sameSlot(m, manager, "Update", subresource));
    if (!mine) {
      mine = { manager, operation: "Update", apiVersion, ...(subresource ? { subresource } : {}), fields: new Set() };
      managers.push(mine);
    }
    for (const c of changed) mine.fields.add(c);
  }
  writeManagers(meta, managers);
}

function deepMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch) || !isObject(target)) return clone(patch);
  const out: Obj = clone(target);
  for (const [k, v] of Object.entries(patch)) out[k] = deepMerge(out[k], v);
  return out;
}

/**
 * Server-side apply of `applied` onto `live` (undefined when creating) by `manager`. Returns the merged
 * object with managedFields updated, or throws a 409 listing the conflicting fields.
 */
export function serverSideApply(
  live: Obj | undefined,
  applied: Obj,
  manager: string,
  force: boolean,
  apiVersion: string,
): Obj {
  const managers = readManagers((live?.metadata as Obj | undefined) ?? {});
  const appliedFields = new Set(leafPaths(applied));
  const conflicts: { manager: string; apiVersion: string; field: string }[] = [];
  for (const p of appliedFields) {
    const path = JSON.parse(p) as string[];
    if (live && deepEqual(valueAt(live, path), valueAt(applied, path))) continue;
    for (const m of managers) {
      if (sameSlot(m, manager, "Apply")) continue;
      for (const f of m.fields) {
        if (!overlaps(f, p)) continue;
        if (force) m.fields.delete(f);
        else conflicts.push({ manager: m.manager, apiVersion: m.apiVersion, field: p });
      }
    }
  }
  if (conflicts.length > 0) {
    const causes = conflicts.map((c) => ({
      type: "FieldManagerConflict",
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: "." + (JSON.parse(c.field) as string[]).join("."),
    }));
    const lines = causes.map((c) => `- ${c.message}: ${c.field}`);
    throw new ApiError(
      409,
      "Conflict",
      `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}: ${
        conflicts.length === 1 ? `${causes[0]!.message}: ${causes[0]!.field}` : `\n${lines.join("\n")}`
      }`,
      { causes },
    );
  }
  let mine = managers.find((m) => sameSlot(m, manager, "Apply"));
  const result = deepMerge(live ?? {}, applied) as Obj;
  if (mine) {
    for (const f of mine.fields) {
      if (appliedFields.has(f)) continue;
      const ownedElsewhere = managers.some((m) => m !== mine && [...m.fields].some((g) => overlaps(g, f)));
      if (!ownedElsewhere) deleteAt(result, JSON.parse(f) as string[]);
    }
    mine.fields = new Set(appliedFields);
    mine.apiVersion = apiVersion;
  } else {
    mine = { manager, operation: "Apply", apiVersion, fields: new Set(appliedFields) };
    managers.push(mine);
  }
  const meta = (result.metadata as Obj | undefined) ?? {};
  result.metadata = meta;
  writeManagers(meta, managers);
  return result;
}
