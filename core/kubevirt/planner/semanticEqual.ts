import * as quantityModule from "../quantity";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { compareQuantities } = quantityModule;

/**
 * Equality as KubeVirt sees two specs after a JSON round trip into Go structs (`equality.Semantic.DeepEqual`):
 * - an absent field equals its zero value (false, 0, "", [], and {} for the struct/map fields that are not
 *   pointers: resources, devices, requests, limits, nodeSelector, labels, annotations);
 * - nil and empty lists are equal;
 * - quantities compare by value ("1Gi" equals "1024Mi", 2 equals "2") under resources and memory fields.
 * `key` is the field name holding the values (the last path segment), used for those field-specific rules.
 */
const NON_POINTER_OBJECT_KEYS = new Set([
  "resources",
  "devices",
  "requests",
  "limits",
  "nodeSelector",
  "labels",
  "annotations",
  "metadata",
]);
const QUANTITY_PARENT_KEYS = new Set(["requests", "limits", "memory", "guestAtBoot", "guestCurrent", "guestRequested"]);
const QUANTITY_KEYS = new Set(["guest", "maxGuest", "guestAtBoot", "guestCurrent", "guestRequested", "memoryOverhead"]);

export function isEmptyValue(value: unknown, key: string | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") {
    return key !== undefined && NON_POINTER_OBJECT_KEYS.has(key) && !hasOwnEnumerableKey(value);
  }
  return false;
}

/** `Object.keys(o).length > 0`, without building the list. */
function hasOwnEnumerableKey(o: object): boolean {
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) return true;
  return false;
}

/** True when `a` and `b` are quantities under a quantity field and have the same value. */
export function quantitiesMatch(
  a: unknown,
  b: unknown,
  key: string | undefined,
  parentKey: string | undefined,
): boolean {
  if (key === undefined) return false;
  if (!QUANTITY_KEYS.has(key) && !(parentKey !== undefined && QUANTITY_PARENT_KEYS.has(parentKey))) return false;
  if ((typeof a !== "string" && typeof a !== "number") || (typeof b !== "string" && typeof b !== "number"))
    return false;
  try {
    return compareQuantities(a, b) === 0;
  } catch {
    return false; // not quantities: compared as plain values
  }
}

export function semanticEqual(a: unknown, b: unknown, key?: string, parentKey?: string): boolean {
  if (a === b) return true;
  const aEmpty = isEmptyValue(a, key);
  const bEmpty = isEmptyValue(b, key);
  if (aEmpty && bEmpty) return true;
  if (aEmpty !== bEmpty) return false;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return quantitiesMatch(a, b, key, parentKey);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!semanticEqual(a[i], b[i], key, parentKey)) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // (manifests are plain objects: for-in visits their own fields, without building key lists)
  for (const k in ao) if (!semanticEqual(ao[k], bo[k], k, key)) return false;
  for (const k in bo) if (!(k in ao) && !semanticEqual(undefined, bo[k], k, key)) return false;
  return true;
}
