import { compareQuantities, isQuantity } from "../quantity";

/**
 * Go's `equality.Semantic.DeepEqual` for JSON-shaped values: objects key by key (order ignored, absent and
 * undefined alike), arrays element by element, and two quantities equal when their values are ("1Gi" == "1024Mi").
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => semanticEqual(item, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    // every key either side has (its own enumerable keys)
    for (const key of Object.keys(ao)) if (!semanticEqual(ao[key], bo[key])) return false;
    for (const key of Object.keys(bo)) {
      if (!Object.prototype.propertyIsEnumerable.call(ao, key) && !semanticEqual(ao[key], bo[key])) return false;
    }
    return true;
  }
  if ((typeof a === "string" || typeof a === "number") && (typeof b === "string" || typeof b === "number")) {
    return isQuantity(a) && isQuantity(b) && compareQuantities(a, b) === 0;
  }
  return false;
}
