import { isObject, sameValue } from "./equal";

/**
 * The live object cut down to the shape of what the user declared, for refresh: every path the old
 * inputs set takes its live value (so out-of-band edits show as drift), paths the user never set
 * (server defaults, status) are left out (so they never show as drift), and values equal in meaning
 * ("1Gi" vs "1024Mi") keep the user's spelling.
 */
export function pruneToShape(declared: unknown, live: unknown): unknown {
  if (live === undefined) return undefined;
  if (sameValue(declared, live)) return declared;
  if (isObject(declared) && isObject(live)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(declared)) {
      const v = pruneToShape(declared[key], live[key]);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (Array.isArray(declared) && Array.isArray(live)) {
    return live.map((x, i) => (i < declared.length ? pruneToShape(declared[i], x) : x));
  }
  return live;
}
