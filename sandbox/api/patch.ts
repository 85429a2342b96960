/**
 * The PATCH flavours the API server accepts: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and
 * strategic merge patch (built-in types only; custom resources answer 415 like CRDs do).
 */
import { clone } from "./store";
import { ApiError, badRequest } from "./status";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The API server's 422 for a patch that cannot be applied (`NewGenericServerResponse`). */
function unprocessable(detail: string): ApiError {
  return new ApiError(422, "Invalid", "the server rejected our request due to an error in our request", {
    causes: [{ type: "UnexpectedServerResponse", message: detail }],
  });
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw badRequest(`JSON pointer ${JSON.stringify(pointer)} must start with "/"`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parent(doc: unknown, segments: string[], path: string): { container: unknown; key: string } {
  let cur: unknown = doc;
  for (const seg of segments.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(seg);
      if (!/^\d+$/.test(seg) || i >= cur.length) throw unprocessable(`doc is missing path: "${path}": missing value`);
      cur = cur[i];
    } else if (isObject(cur)) {
      if (!(seg in cur)) throw unprocessable(`doc is missing path: "${path}": missing value`);
      cur = cur[seg];
    } else throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return { container: cur, key: segments[segments.length - 1]! };
}

function getAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const seg of decodePointer(path)) {
    if (Array.isArray(cur) && /^\d+$/.test(seg) && Number(seg) < cur.length) cur = cur[Number(seg)];
    else if (isObject(cur) && seg in cur) cur = cur[seg];
    else throw unprocessable(`doc is missing path: "${path}": missing value`);
  }
  return cur;
}

function removeAt(doc: unknown, path: string): unknown {
  const segs = decodePointer(path);
  if (segs.length === 0) throw unprocessable(`cannot remove the whole document`);
  const { container, key } = parent(doc, segs, path);
  if (Array.isArray(container)) {
    const i = Number(key);
    if (!/^\d+$/.test(key) || i >= container.length)
      throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    return container.splice(i, 1)[0];
  }
  if (isObject(container)) {
    if (!(key in container)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
    const v = container[key];
    delete container[key];
    return v;
  }
  throw unprocessable(`doc is missing path: "${path}": missing value`);
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const segs = decodePointer(path);
  if (segs.length === 0) return value;
  const { container, key } = parent(doc, segs, path);
  if (Array.isArray(container)) {
    if (replace) {
      const i = Number(key);
      if (!/^\d+$/.test(key) || i >= container.length)
        throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      container[i] = value;
    } else if (key === "-") container.push(value);
    else {
      const i = Number(key);
      if (!/^\d+$/.test(key) || i > container.length) throw unprocessable(`Unable to access invalid index: ${key}`);
      container.splice(i, 0, value);
    }
  } else if (isObject(container)) {
    if (replace && !(key in container))
      throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    container[key] = value;
  } else throw unprocessable(`doc is missing path: "${path}": missing value`);
  return doc;
}

export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw badRequest(`json: cannot unmarshal ${typeof patch} into Go value of type jsonpatch.Patch`);
  let doc = clone(document);
  for (const [i, op] of patch.entries()) {
    if (!isObject(op)) throw badRequest(`json patch operation ${i} is not an object`);
    const kind = op.op;
    const path = op.path;
    if (typeof path !== "string") throw badRequest(`json patch operation ${i} has no string "path"`);
    switch (kind) {
      case "add":
        if (!("value" in op)) throw unprocessable(`missing value for add operation at ${path}`);
        doc = addAt(doc, path, clone(op.value), false);
        break;
      case "replace":
        if (!("value" in op)) throw unprocessable(`missing value for replace operation at ${path}`);
        doc = addAt(doc, path, clone(op.value), true);
        break;
      case "remove":
        removeAt(doc, path);
        break;
      case "move":
      case "copy": {
        if (typeof op.from !== "string") throw badRequest(`json patch operation ${i} (${kind}) has no string "from"`);
        const v = kind === "move" ? removeAt(doc, op.from) : clone(getAt(doc, op.from));
        doc = addAt(doc, path, v, false);
        break;
      }
      case "test": {
        const actual = getAt(doc, path);
        if (!deepEqual(actual, op.value)) throw unprocessable(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${String(kind)}`);
    }
  }
  return doc;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of the list fields a strategic merge patch merges by key in the built-in types we serve. */
const MERGE_KEYS: Record<string, string> = {
  conditions: "type",
  addresses: "type",
  ownerReferences: "uid",
  taints: "key",
  images: "",
};

/** Strategic merge patch for built-in types: maps merge, keyed lists merge by key, `$patch` directives. */
export function applyStrategicMergePatch(target: unknown, patch: unknown, field = ""): unknown {
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$setElementOrder/") || k === "$retainKeys" || k === "$patch") continue;
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const name = k.slice("$deleteFromPrimitiveList/".length);
      if (Array.isArray(out[name]) && Array.isArray(v))
        out[name] = (out[name] as unknown[]).filter((x) => !v.includes(x as never));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const key = MERGE_KEYS[k];
    if (Array.isArray(v) && key && Array.isArray(out[k])) {
      const merged = [...(out[k] as unknown[])].map((x) => clone(x));
      for (const item of v) {
        if (!isObject(item)) continue;
        const idx = merged.findIndex((m) => isObject(m) && m[key] === item[key]);
        if (item.$patch === "delete") {
          if (idx >= 0) merged.splice(idx, 1);
        } else if (idx >= 0) merged[idx] = applyStrategicMergePatch(merged[idx], item, k);
        else merged.push(applyStrategicMergePatch(undefined, item, k));
      }
      out[k] = merged;
      continue;
    }
    const next = applyStrategicMergePatch(out[k], v, k);
    if (next === undefined) delete out[k];
    else out[k] = next;
  }
  void field;
  return out;
}

export type { Json };
