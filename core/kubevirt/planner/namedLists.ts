/**
 * True when both lists hold plain objects with the same unique string `name`s at the same positions: the common
 * shape of volumes, disks, interfaces and networks before and after an update. Callers then pair elements by
 * position instead of building name maps. Only short, non-empty lists qualify (the uniqueness test is quadratic);
 * longer ones go the map way.
 */
export function sameNamesInOrder(al: readonly unknown[], bl: readonly unknown[]): boolean {
  if (al.length !== bl.length || al.length === 0 || al.length > 16) return false;
  for (let i = 0; i < al.length; i++) {
    const x = al[i];
    const y = bl[i];
    if (!isPlainObject(x) || !isPlainObject(y)) return false;
    const name = x.name;
    if (typeof name !== "string" || name !== y.name) return false;
    for (let j = 0; j < i; j++) if ((al[j] as Record<string, unknown>).name === name) return false;
  }
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
