import { formatPropertyPath, isUnknown, type PropertyPathSegments } from "../properties";
import { isObject, sameValue } from "./equal";

/** One leaf-level difference between two JSON values. */
export interface ValueDiff {
  readonly path: PropertyPathSegments;
  readonly kind: "add" | "delete" | "update";
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * The leaf-level differences from `before` to `after`: objects recursively, arrays element by element
 * (an element added or removed is reported at its index), quantities compared by value, unknowns
 * (preview) always reported as updates.
 */
export function diffValues(before: unknown, after: unknown, path: PropertyPathSegments = []): ValueDiff[] {
  if (isUnknown(after))
    return before === undefined ? [{ path, kind: "add", before, after }] : [{ path, kind: "update", before, after }];
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, kind: "add", before, after }];
  if (after === undefined) return [{ path, kind: "delete", before, after }];
  if (isObject(before) && isObject(after)) {
    const out: ValueDiff[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
      out.push(...diffValues(before[key], after[key], [...path, key]));
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: ValueDiff[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++)
      out.push(...diffValues(before[i], after[i], [...path, i]));
    return out;
  }
  return sameValue(before, after) ? [] : [{ path, kind: "update", before, after }];
}

export function pathString(path: PropertyPathSegments): string {
  return formatPropertyPath(path);
}
