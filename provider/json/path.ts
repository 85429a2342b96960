import type { PropertyPathSegments } from "../properties";
import { isObject } from "./equal";

/** Parses a dotted JSON path with [n] indices and ["quoted keys"]: spec.template.spec.volumes[0].name */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3]}"`) as string);
  }
  return out;
}

export function getAt(value: unknown, path: PropertyPathSegments): unknown {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A copy of `target` with the value at `path` replaced (or removed, for undefined). */
export function setAt(target: unknown, path: PropertyPathSegments, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === "number") {
    const arr = Array.isArray(target) ? [...(target as unknown[])] : [];
    const next = setAt(arr[head], rest, value);
    if (next === undefined && rest.length === 0) arr.splice(head, 1);
    else arr[head] = next;
    return arr;
  }
  const obj: Record<string, unknown> = isObject(target) ? { ...target } : {};
  const next = setAt(obj[head], rest, value);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}
