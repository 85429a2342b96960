import { sameNamesInOrder as sameNamesInOrderExport } from "./namedLists";
import { isEmptyValue as isEmptyValueExport, semanticEqual as semanticEqualExport } from "./semanticEqual";

// The walk calls these for every node. tsx compiles an imported function to a getter read through a keyed
// lookup shared by every module (slow on each call), so the walk binds them once.
const isEmptyValue = isEmptyValueExport;
const semanticEqual = semanticEqualExport;
const sameNamesInOrder = sameNamesInOrderExport;

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
  const walker: Walker = { parts: path ? [path] : [], kinds: path ? [FIELD] : [], fields: [...fields], out };
  walk(walker, before, after);
  return out;
}

/** What a path piece is: a field name, a list element's name (`[name=…]`) or its index (`[…]`). */
const FIELD = 0;
const NAME = 1;
const INDEX = 2;

/**
 * The walk's position: `parts` holds the path pieces and `kinds` what each is; the path text is built only when
 * a leaf is found. `fields` holds the field names.
 */
interface Walker {
  readonly parts: (string | number)[];
  readonly kinds: number[];
  readonly fields: string[];
  readonly out: Leaf[];
}

function pathOf(w: Walker): string {
  let path = "";
  for (let i = 0; i < w.parts.length; i++) {
    const part = w.parts[i]!;
    const kind = w.kinds[i];
    if (kind === NAME) path += `[name=${part}]`;
    else if (kind === INDEX) path += `[${part}]`;
    else path += i === 0 ? part : `.${part}`;
  }
  return path;
}

function addLeaf(w: Walker, before: unknown, after: unknown): void {
  w.out.push({ path: pathOf(w), fields: [...w.fields], before, after });
}

function walk(w: Walker, a: unknown, b: unknown): void {
  if (a === b) return;
  const aObject = isPlainObject(a);
  const bObject = isPlainObject(b);
  // two objects: field by field (whether they count as empty does not matter: two empty ones have no fields)
  if (aObject && bObject) {
    walkFields(w, a, b);
    return;
  }
  const fields = w.fields;
  const key = fields[fields.length - 1];
  const aEmpty = isEmptyValue(a, key);
  const bEmpty = isEmptyValue(b, key);
  if (aEmpty && bEmpty) return;

  if ((aObject || aEmpty) && (bObject || bEmpty) && (aObject || bObject)) {
    const ao = aObject ? a : undefined;
    const bo = bObject ? b : undefined;
    // an object appearing or disappearing where the object itself means something (a pointer in Go)
    if ((!ao && bo && Object.keys(bo).length === 0) || (!bo && ao && Object.keys(ao).length === 0)) {
      addLeaf(w, a, b);
      return;
    }
    const found = w.out.length;
    walkFields(w, ao, bo);
    // an object whose fields are all empty appearing or disappearing (e.g. `nodeSelectorTerms: []` inside a
    // new affinity) is still a change: the object itself is a non-nil pointer in Go
    if (w.out.length === found && !isEmptyValue({}, key)) addLeaf(w, a, b);
    return;
  }

  const aList = Array.isArray(a);
  const bList = Array.isArray(b);
  if ((aList || aEmpty) && (bList || bEmpty) && (aList || bList)) {
    const al: readonly unknown[] = aList ? a : [];
    const bl: readonly unknown[] = bList ? b : [];
    if (sameNamesInOrder(al, bl)) {
      // the common case (the same named elements in the same order): element by element, as the maps below would
      for (let i = 0; i < al.length; i++) {
        const x = al[i] as Record<string, unknown>;
        walkElement(w, NAME, x.name as string, x, bl[i], false);
      }
      return;
    }
    const an = namedIndex(al);
    const bn = namedIndex(bl);
    if (an && bn) {
      // every name of `a` in order, then the names only `b` has
      for (const [name, x] of an) {
        const y = bn.get(name);
        walkElement(w, NAME, name, x, y, y === undefined);
      }
      for (const [name, y] of bn) if (!an.has(name)) walkElement(w, NAME, name, undefined, y, true);
      return;
    }
    const n = Math.max(al.length, bl.length);
    for (let i = 0; i < n; i++) walkElement(w, INDEX, i, al[i], bl[i], i >= al.length || i >= bl.length);
    return;
  }

  if (semanticEqual(a, b, key, fields[fields.length - 2])) return;
  addLeaf(w, a, b);
}

/** The fields of `ao`, then those only `bo` has; fields holding the same value (the common case) are skipped here. */
function walkFields(w: Walker, ao: Record<string, unknown> | undefined, bo: Record<string, unknown> | undefined): void {
  if (ao) {
    for (const k in ao) {
      const x = ao[k];
      const y = bo ? bo[k] : undefined;
      if (x !== y) walkField(w, k, x, y);
    }
  }
  if (bo) {
    for (const k in bo) {
      if (ao && (ao[k] !== undefined || k in ao)) continue; // (a value found is the quick answer to `k in ao`)
      const y = bo[k];
      if (y !== undefined) walkField(w, k, undefined, y);
    }
  }
}

/** A list element: added or removed as a whole (one leaf), or compared field by field. */
function walkElement(
  w: Walker,
  kind: typeof NAME | typeof INDEX,
  selector: string | number,
  x: unknown,
  y: unknown,
  wholeElement: boolean,
): void {
  w.parts.push(selector);
  w.kinds.push(kind);
  if (wholeElement) addLeaf(w, x, y);
  else walk(w, x, y);
  w.parts.pop();
  w.kinds.pop();
}

function walkField(w: Walker, k: string, a: unknown, b: unknown): void {
  w.fields.push(k);
  w.parts.push(k);
  w.kinds.push(FIELD);
  walk(w, a, b);
  w.parts.pop();
  w.kinds.pop();
  w.fields.pop();
}
