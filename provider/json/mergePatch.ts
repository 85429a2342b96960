import { isObject, sameValue } from "./equal";

/**
 * JSON merge patches (RFC 7386), the way kubectl and pulumi-kubernetes' client-side apply compute
 * them from the last applied inputs to the new ones: removed keys become null, arrays are replaced.
 */
export function createMergePatch(from: unknown, to: unknown): unknown {
  if (!isObject(from) || !isObject(to)) return sameValue(from, to) ? undefined : to;
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) {
    if (from[key] !== undefined && (!(key in to) || to[key] === undefined)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(to)) {
    if (value === undefined) continue;
    const sub = createMergePatch(from[key], value);
    if (sub !== undefined) patch[key] = sub;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

export function applyMergePatch<T>(target: T, patch: unknown): T {
  if (!isObject(patch)) return patch as T;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out as T;
}
