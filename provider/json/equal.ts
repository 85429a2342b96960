import { quantitiesEqual } from "../../core/kubevirt/quantity";
import { isUnknown } from "../properties";

/** Values compared as Kubernetes would store them: "1Gi" equals "1024Mi", 2 equals "2". */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  if (a === b) return true;
  if ((typeof a === "string" || typeof a === "number") && (typeof b === "string" || typeof b === "number")) {
    if (typeof a === "string" && typeof b === "string" && !/^[+-]?[\d.]/.test(a)) return false;
    try {
      return quantitiesEqual(a, b);
    } catch {
      return false;
    }
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const x = a[k];
      const y = b[k];
      if (x === undefined && y === undefined) continue;
      if (!sameValue(x, y)) return false;
    }
    return true;
  }
  return false;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v);
}
