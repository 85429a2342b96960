import { isNode, LineCounter, parseAllDocuments } from "yaml";
import type { ManifestDocument } from "./manifestDocument";

/**
 * Line and column of the field at a dotted schema path (spec.template.spec.volumes[0].name) in the
 * document's source, or of its nearest existing parent when the field is missing. Only used to point
 * at a schema error, so it re-parses the input with the yaml package (which also reads JSON).
 */
export function fieldPosition(doc: ManifestDocument, path: string): { line: number; col: number } | undefined {
  if (!doc.origin) return undefined;
  const keys = resolvePath(doc.value, path);
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(doc.origin.text, { lineCounter })[doc.origin.document - 1];
  if (!parsed || !("getIn" in parsed)) return undefined;
  for (let n = keys.length; n >= 0; n--) {
    const node = parsed.getIn([...doc.origin.within, ...keys.slice(0, n)], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]);
  }
  return undefined;
}

/**
 * The keys of a dotted path, matched against the object so that keys containing dots (labels such as
 * kubevirt.io/domain) stay whole: at each object the longest dotted run that is one of its keys wins.
 */
export function resolvePath(root: unknown, path: string): Array<string | number> {
  const tokens: Array<string | number> = [];
  for (const part of path.split(".")) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      tokens.push(part);
      continue;
    }
    if (m[1]) tokens.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) tokens.push(Number(index[1]));
  }
  const keys: Array<string | number> = [];
  let value: unknown = root;
  for (let i = 0; i < tokens.length;) {
    const token = tokens[i]!;
    if (typeof token === "number" || typeof value !== "object" || value === null || Array.isArray(value)) {
      keys.push(token);
      value =
        value !== null && typeof value === "object" ? (value as Record<string | number, unknown>)[token] : undefined;
      i++;
      continue;
    }
    let taken = 1;
    for (let j = tokens.length; j > i + 1; j--) {
      const run = tokens.slice(i, j);
      if (run.every((t) => typeof t === "string") && run.join(".") in value) {
        taken = j - i;
        break;
      }
    }
    const key = tokens.slice(i, i + taken).join(".");
    keys.push(key);
    value = (value as Record<string, unknown>)[key];
    i += taken;
  }
  return keys;
}
