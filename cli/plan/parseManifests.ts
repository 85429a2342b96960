import { LineCounter, parseAllDocuments, type YAMLError, type Document } from "yaml";
import { fastParseYaml, NestingTooDeep } from "./fastYaml";
import { InputError } from "./inputError";
import { jsonErrorOffset } from "./jsonErrorOffset";
import type { InputLimits } from "./inputLimits";
import type { ManifestDocument } from "./manifestDocument";
import { assertNestingWithin, lineAndColumn, nestedDeeperThan } from "./nestingGuard";
import type { SourceText } from "./sourceText";

/**
 * Parses one input into its Kubernetes objects: every YAML document (---) or the JSON value, with
 * lists unrolled (kind: List / *List with items, or a top-level array). Empty documents are dropped.
 * Throws InputError naming file:line:column for syntax errors, and for input over the nesting or
 * alias limits.
 */
export function parseManifests(source: SourceText, limits: InputLimits): ManifestDocument[] {
  const format = source.format === "auto" ? sniffFormat(source.text) : source.format;
  const out: ManifestDocument[] = [];
  if (format === "json") {
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(source.text);
    } catch (e) {
      // Standard input that merely starts like JSON may be YAML ({a: 1}); a .json file must be JSON.
      if (source.format !== "auto") throw jsonSyntaxError(source, e as Error);
      parsed = false;
    }
    if (parsed) {
      checkDepth(source.name, 0, value, limits);
      unroll(source, 1, 0, value, out, () => 0);
      return out;
    }
  }
  let fast;
  try {
    fast = fastParseYaml(source.text, limits.maxDepth);
  } catch (e) {
    if (!(e instanceof NestingTooDeep)) throw e;
    throw new InputError(
      `${source.name}:${e.line}: nested more than ${limits.maxDepth} levels deep; refusing to read it`,
    );
  }
  if (fast) {
    for (const doc of fast) {
      unroll(source, doc.index, doc.line, doc.value, out, (i) => doc.itemLines?.[i] ?? 0);
    }
    return out;
  }
  assertNestingWithin(source.name, source.text, limits.maxDepth);
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    // merge: "<<" merge keys, which kubectl (go-yaml) also expands
    docs = parseAllDocuments(source.text, { lineCounter, prettyErrors: true, merge: true }) as Document.Parsed[];
  } catch (e) {
    throw new InputError(`${source.name}: cannot parse as YAML: ${(e as Error).message}`);
  }
  docs.forEach((doc, i) => {
    const error = doc.errors[0];
    if (error) throw yamlSyntaxError(source.name, error);
    if (doc.contents === null) return;
    const line = lineCounter.linePos(doc.contents.range?.[0] ?? doc.range[0]).line;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      if (e instanceof ReferenceError && /alias/i.test(e.message)) {
        throw new InputError(
          `${source.name}:${line}: YAML aliases expand more than ${limits.maxAliasCount} times in one document; refusing to expand them (a "billion laughs" input?)`,
        );
      }
      if (e instanceof RangeError) throw new InputError(`${source.name}:${line}: nested too deeply to read`);
      throw new InputError(`${source.name}:${line}: ${(e as Error).message}`);
    }
    checkDepth(source.name, line, value, limits);
    unroll(source, i + 1, line, value, out, (item) => {
      const path = Array.isArray(value) ? [item] : ["items", item];
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : 0;
    });
  });
  return out;
}

function sniffFormat(text: string): "json" | "yaml" {
  const first = /\S/.exec(text)?.[0];
  return first === "{" || first === "[" ? "json" : "yaml";
}

function checkDepth(name: string, line: number, value: unknown, limits: InputLimits): void {
  if (nestedDeeperThan(value, limits.maxDepth)) {
    throw new InputError(
      `${name}${line ? `:${line}` : ""}: nested more than ${limits.maxDepth} levels deep; refusing to read it`,
    );
  }
}

function unroll(
  source: SourceText,
  document: number,
  line: number,
  value: unknown,
  out: ManifestDocument[],
  itemLine: (index: number) => number,
): void {
  if (value === null || value === undefined) return;
  const label = `document ${document}`;
  const items = listItems(value);
  if (!items) {
    out.push({ source: source.name, line, label, value, origin: { text: source.text, document, within: [] } });
    return;
  }
  const prefix = Array.isArray(value) ? [] : ["items"];
  items.forEach((item, i) => {
    if (item === null || item === undefined) return;
    out.push({
      source: source.name,
      line: itemLine(i),
      label: `${label}, items[${i}]`,
      value: item,
      origin: { text: source.text, document, within: [...prefix, i] },
    });
  });
}

/** The objects of a list: a top-level array, or kind List / <Kind>List with an items array. */
function listItems(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as { kind?: unknown; items?: unknown };
  if (typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items)) return v.items;
  return undefined;
}

function yamlSyntaxError(name: string, error: YAMLError): InputError {
  const pos = error.linePos?.[0];
  const [headline = error.message, frame] = error.message.split(/\n\n/, 2);
  const what = headline.replace(/ at line \d+, column \d+:?$/, "");
  const where = pos ? `${name}:${pos.line}:${pos.col}` : name;
  const why = /Maximum call stack/.test(what) ? "nested too deeply to parse" : `YAML syntax error: ${what}`;
  const context = frame ? "\n" + frame.replace(/\n$/, "").replace(/^/gm, "  ") : "";
  return new InputError(`${where}: ${why}${context}`);
}

function jsonSyntaxError(source: SourceText, error: Error): InputError {
  const m = /\(line (\d+) column (\d+)\)/.exec(error.message) ?? undefined;
  const at = /at position (\d+)/.exec(error.message);
  let where = source.name;
  if (m) where = `${source.name}:${m[1]}:${m[2]}`;
  else if (at) {
    const { line, col } = lineAndColumn(source.text, Number(at[1]));
    where = `${source.name}:${line}:${col}`;
  } else {
    // V8 does not always say where ("Unexpected token '}'"): find the spot ourselves.
    const offset = jsonErrorOffset(source.text);
    if (offset >= 0) {
      const { line, col } = lineAndColumn(source.text, offset);
      where = `${source.name}:${line}:${col}`;
    }
  }
  const message = error.message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/, "[\s\S]*" is not valid JSON$/, "");
  return new InputError(`${where}: JSON syntax error: ${message}`);
}
