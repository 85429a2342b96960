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
  walk(before, after, path, fields as string[], out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, fields: string[], out: Leaf[]): void {
  const key = fields[fields.length - 1];
  const parentKey = fields[fields.length - 2];
  if (a === b) return;
  const aEmpty = isEmptyValue(a, key);
  const bEmpty = isEmptyValue(b, key);
  if (aEmpty && bEmpty) return;

  if ((isPlainObject(a) || aEmpty) && (isPlainObject(b) || bEmpty) && (isPlainObject(a) || isPlainObject(b))) {
    const ao = isPlainObject(a) ? a : undefined;
    const bo = isPlainObject(b) ? b : undefined;
    // an object appearing or disappearing where the object itself means something (a pointer in Go)
    if ((!ao && bo && Object.keys(bo).length === 0) || (!bo && ao && Object.keys(ao).length === 0)) {
      out.push({ path, fields: [...fields], before: a, after: b });
      return;
    }
    const keys = new Set([...(ao ? Object.keys(ao) : []), ...(bo ? Object.keys(bo) : [])]);
    const found = out.length;
    for (const k of keys) {
      fields.push(k);
      walk(ao?.[k], bo?.[k], path ? `${path}.${k}` : k, fields, out);
      fields.pop();
    }
    // an object whose fields are all empty appearing or disappearing (e.g. `nodeSelectorTerms: []` inside a
    // new affinity) is still a change: the object itself is a non-nil pointer in Go
    if (out.length === found && (!ao || !bo) && !isEmptyValue({}, key)) {
      out.push({ path, fields: [...fields], before: a, after: b });
    }
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
        const p = `${path}[name=${name}]`;
        if (x === undefined || y === undefined) {
          out.push({ path: p, fields: [...fields], before: x, after: y });
        } else {
          walk(x, y, p, fields, out);
        }
      }
      return;
    }
    const n = Math.max(al.length, bl.length);
    for (let i = 0; i < n; i++) {
      const p = `${path}[${i}]`;
      if (i >= al.length || i >= bl.length) out.push({ path: p, fields: [...fields], before: al[i], after: bl[i] });
      else walk(al[i], bl[i], p, fields, out);
    }
    return;
  }

  if (semanticEqual(a, b, key, parentKey)) return;
  out.push({ path, fields: [...fields], before: a, after: b });
}
