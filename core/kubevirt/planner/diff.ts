import { isEmptyValue, semanticEqual } from "./semanticEqual";

/**
 * Leaf-level differences between two manifests.
 *
 * Path scheme (documented in the README): dotted field names from the VM root; list elements are addressed
 * by name when every element of both lists is an object with a unique `name` (volumes, disks, interfaces,
 * networks, …): `spec.template.spec.volumes[name=data].persistentVolumeClaim.claimName`; other lists by
 * index: `spec.template.spec.tolerations[0].key`. A list element that is added or removed as a whole is one
 * change at the element's path. Objects are descended into, so adding `cpu: {sockets: 2}` is the change
 * `…domain.cpu.sockets` (undefined → 2); an added empty object (e.g. `cdrom: {}`) is a change at its own path.
 */
export interface Leaf {
  readonly path: string;
  /** the field names along the path, without list selectors, e.g. ["spec","template","spec","volumes","name"] */
  readonly fields: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function namedIndex(list: readonly unknown[]): Map<string, unknown> | undefined {
  const map = new Map<string, unknown>();
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.name !== "string" || map.has(item.name)) return undefined;
    map.set(item.name, item);
  }
  return map;
}

export function diffLeaves(before: unknown, after: unknown, path: string, fields: readonly string[]): Leaf[] {
  const out: Leaf[] = [];
  walk(before, after, path ? [path] : [], [...fields], out);
  return out;
}

// `parts` holds the path pieces (".key" or "[…]" after the first): joined only when a leaf is found
function pathOf(parts: readonly string[]): string {
  return parts.join("");
}

function leaf(parts: readonly string[], fields: readonly string[], before: unknown, after: unknown): Leaf {
  return { path: pathOf(parts), fields: [...fields], before, after };
}

function walk(a: unknown, b: unknown, parts: string[], fields: string[], out: Leaf[]): void {
  if (a === b) return;
  const key = fields[fields.length - 1];
  const parentKey = fields[fields.length - 2];
  const aEmpty = isEmptyValue(a, key);
  const bEmpty = isEmptyValue(b, key);
  if (aEmpty && bEmpty) return;

  if ((isPlainObject(a) || aEmpty) && (isPlainObject(b) || bEmpty) && (isPlainObject(a) || isPlainObject(b))) {
    const ao = isPlainObject(a) ? a : undefined;
    const bo = isPlainObject(b) ? b : undefined;
    // an object appearing or disappearing where the object itself means something (a pointer in Go)
    if ((!ao && bo && Object.keys(bo).length === 0) || (!bo && ao && Object.keys(ao).length === 0)) {
      out.push(leaf(parts, fields, a, b));
      return;
    }
    const found = out.length;
    if (ao) for (const k in ao) walkField(ao, bo, k, parts, fields, out);
    if (bo) for (const k in bo) if (!ao || !(k in ao)) walkField(ao, bo, k, parts, fields, out);
    // an object whose fields are all empty appearing or disappearing (e.g. `nodeSelectorTerms: []` inside a
    // new affinity) is still a change: the object itself is a non-nil pointer in Go
    if (out.length === found && (!ao || !bo) && !isEmptyValue({}, key)) out.push(leaf(parts, fields, a, b));
    return;
  }

  if ((Array.isArray(a) || aEmpty) && (Array.isArray(b) || bEmpty) && (Array.isArray(a) || Array.isArray(b))) {
    const al = Array.isArray(a) ? a : [];
    const bl = Array.isArray(b) ? b : [];
    const an = namedIndex(al);
    const bn = namedIndex(bl);
    if (an && bn) {
      const names = new Set([...an.keys(), ...bn.keys()]);
      for (const name of names) {
        const x = an.get(name);
        const y = bn.get(name);
        parts.push(`[name=${name}]`);
        if (x === undefined || y === undefined) out.push(leaf(parts, fields, x, y));
        else walk(x, y, parts, fields, out);
        parts.pop();
      }
      return;
    }
    const n = Math.max(al.length, bl.length);
    for (let i = 0; i < n; i++) {
      parts.push(`[${i}]`);
      if (i >= al.length || i >= bl.length) out.push(leaf(parts, fields, al[i], bl[i]));
      else walk(al[i], bl[i], parts, fields, out);
      parts.pop();
    }
    return;
  }

  if (semanticEqual(a, b, key, parentKey)) return;
  out.push(leaf(parts, fields, a, b));
}

function walkField(
  ao: Record<string, unknown> | undefined,
  bo: Record<string, unknown> | undefined,
  k: string,
  parts: string[],
  fields: string[],
  out: Leaf[],
): void {
  fields.push(k);
  parts.push(parts.length ? `.${k}` : k);
  walk(ao?.[k], bo?.[k], parts, fields, out);
  parts.pop();
  fields.pop();
}
