/**
 * A fast reader for the plain block YAML that Kubernetes manifests are almost always written in
 * (block mappings and sequences, plain and quoted scalars, literal block scalars, empty {} / [],
 * comments, --- documents). It returns exactly what the `yaml` package's parseAllDocuments + toJS
 * would, or undefined as soon as it meets anything outside that subset (anchors, tags, flow
 * collections, folded or multi-line scalars, unusual numbers, duplicate keys, syntax errors, ...):
 * the caller then parses the text with the `yaml` package, which also reports errors with positions.
 * It exists because the `yaml` package spends ~0.4 ms on a typical VM manifest; this takes a tenth.
 */

export interface FastDocument {
  /** 1-based number of the document in the stream, counting empty ones as the yaml package does */
  readonly index: number;
  /** 1-based line of the document's first content line */
  readonly line: number;
  readonly value: unknown;
  /** 1-based lines of the root's `items` entries (or of the root sequence's entries) */
  readonly itemLines?: readonly number[];
}

class Bail extends Error {}

/** Thrown (not declined) when block collections nest deeper than the limit: that input is refused either way. */
export class NestingTooDeep extends Error {
  constructor(readonly line: number) {
    super(`nested more than the limit at line ${line}`);
    this.name = "NestingTooDeep";
  }
}
const BAIL = new Bail();

interface Line {
  indent: number;
  /** content after the indentation, trailing whitespace kept */
  text: string;
  /** 1-based */
  no: number;
}

export function fastParseYaml(source: string, maxDepth: number): FastDocument[] | undefined {
  if (source.includes("\t") || source.includes("\r")) return undefined;
  try {
    return new FastYaml(source, maxDepth).documents();
  } catch (e) {
    if (e instanceof Bail || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * If `text` starts with a simple key followed by ":" and a space (or the end), the index of that ":";
 * else -1. Simple keys: [A-Za-z0-9_][A-Za-z0-9_./-]*. (Hand-written: this runs on every line.)
 */
function keyEnd(text: string): number {
  const first = text.charCodeAt(0);
  if (!(isAlnum(first) || first === 0x5f)) return -1;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isAlnum(c) || c === 0x5f || c === 0x2e || c === 0x2f || c === 0x2d) continue;
    if (c !== 0x3a) return -1;
    const next = text.charCodeAt(i + 1);
    return i + 1 === text.length || next === 0x20 ? i : -1;
  }
  return -1;
}

function isAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}
const NULL_RE = /^(?:~|null|Null|NULL)$/;
const TRUE_RE = /^(?:true|True|TRUE)$/;
const FALSE_RE = /^(?:false|False|FALSE)$/;
const SAFE_INT_RE = /^-?(?:0|[1-9][0-9]{0,14})$/;
const SIMPLE_FLOAT_RE = /^-?(?:0|[1-9][0-9]{0,14})\.[0-9]{1,15}$/;
/** Anything the core schema might read as a number, .inf or .nan: left to the yaml package. */
const NUMBERISH_RE = /^[-+]?(?:[0-9]|\.[0-9]|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|0o|0x)/;
const CORE_NUMBER_RE = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;
const PLAIN_START_BAD = new Set(["[", "]", "{", "}", ",", "#", "&", "*", "!", "|", ">", "%", "@", "`", "'", '"']);

class FastYaml {
  private readonly lines: Line[] = [];
  private i = 0;
  private depth = 0;
  private itemLines: number[] | undefined;

  constructor(
    source: string,
    private readonly maxDepth: number,
  ) {
    let no = 0;
    let start = 0;
    while (start <= source.length) {
      let end = source.indexOf("\n", start);
      if (end < 0) end = source.length;
      no++;
      let content = start;
      while (content < end && source.charCodeAt(content) === 0x20) content++;
      this.lines.push({ indent: content - start, text: source.slice(content, end), no });
      start = end + 1;
    }
  }

  documents(): FastDocument[] {
    const docs: FastDocument[] = [];
    // Numbered like the yaml package's documents: each "---" opens one; content before any opens one.
    let index = 0;
    let markerOpen = false;
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line) break;
      if (line.indent === 0 && isDocumentStart(line.text)) {
        if (line.text.trimEnd() !== "---" && !/^--- +#/.test(line.text)) throw BAIL;
        this.i++;
        index++;
        markerOpen = true;
        continue;
      }
      if (line.indent === 0 && (line.text.startsWith("...") || line.text.startsWith("%"))) throw BAIL;
      if (!markerOpen) index++;
      markerOpen = false;
      this.itemLines = undefined;
      const value = this.block(line.indent, true);
      this.skipBlank();
      const next = this.lines[this.i];
      if (next && !(next.indent === 0 && isDocumentStart(next.text))) throw BAIL;
      docs.push({ index, line: line.no, value, ...(this.itemLines ? { itemLines: this.itemLines } : {}) });
    }
    return docs;
  }

  /** Skips blank and comment-only lines. */
  private skipBlank(): void {
    for (;;) {
      const line = this.lines[this.i];
      if (!line || (line.text !== "" && !line.text.startsWith("#"))) return;
      this.i++;
    }
  }

  /** A block node whose first line is the current one, at exactly `indent`. */
  private block(indent: number, root = false): unknown {
    const line = this.lines[this.i]!;
    if (++this.depth > this.maxDepth) throw new NestingTooDeep(line.no);
    let value: unknown;
    if (isSeqItem(line.text)) value = this.sequence(indent, root);
    else if (keyEnd(line.text) >= 0) value = this.mapping(indent, root);
    else throw BAIL; // a lone scalar or something exotic
    this.depth--;
    return value;
  }

  private mapping(indent: number, root: boolean): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.indent < indent || (line.indent === 0 && isDocumentStart(line.text))) return map;
      if (line.indent > indent) throw BAIL;
      const colon = keyEnd(line.text);
      if (colon < 0) {
        if (isSeqItem(line.text)) return map; // an indentless sequence ends at its parent's next key
        throw BAIL;
      }
      const key = line.text.slice(0, colon);
      if (
        key === "__proto__" ||
        key === "<<" ||
        Object.prototype.hasOwnProperty.call(map, key) ||
        isNonStringKey(key)
      ) {
        throw BAIL;
      }
      let restStart = colon + 1;
      while (line.text.charCodeAt(restStart) === 0x20) restStart++;
      const rest = line.text.slice(restStart);
      this.i++;
      if (rest === "" || rest.startsWith("#")) {
        this.skipBlank();
        const next = this.lines[this.i];
        const isMarker = next !== undefined && next.indent === 0 && isDocumentStart(next.text);
        if (next && !isMarker && next.indent > indent) map[key] = this.block(next.indent);
        else if (next && !isMarker && next.indent === indent && isSeqItem(next.text))
          map[key] = this.sequenceAt(indent);
        else map[key] = null;
        if (root && key === "items" && Array.isArray(map[key])) this.itemLines = this.lastItemLines;
      } else {
        map[key] = this.inlineValue(rest, indent);
      }
    }
  }

  private lastItemLines: number[] = [];

  private sequence(indent: number, root: boolean): unknown[] {
    const seq = this.sequenceAt(indent);
    if (root) this.itemLines = this.lastItemLines;
    return seq;
  }

  /** A block sequence whose "- " entries sit at `indent`. */
  private sequenceAt(indent: number): unknown[] {
    const seq: unknown[] = [];
    const lines: number[] = [];
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.indent < indent || (line.indent === 0 && isDocumentStart(line.text))) break;
      if (line.indent > indent) throw BAIL;
      if (!isSeqItem(line.text)) break;
      lines.push(line.no);
      let offset = 1;
      while (line.text.charCodeAt(offset) === 0x20) offset++;
      const rest = line.text.slice(offset);
      if (rest === "" || rest.startsWith("#")) {
        this.i++;
        this.skipBlank();
        const next = this.lines[this.i];
        if (next && next.indent > indent && !(next.indent === 0 && isDocumentStart(next.text)))
          seq.push(this.block(next.indent));
        else seq.push(null);
      } else if (isSeqItem(rest) || keyEnd(rest) >= 0) {
        // "- key: value" / "- - x": a compact mapping or sequence, indented to the column where it starts
        line.indent += offset;
        line.text = rest;
        seq.push(this.block(line.indent));
      } else {
        this.i++;
        seq.push(this.inlineValue(rest, indent));
      }
    }
    this.lastItemLines = lines;
    return seq;
  }

  /** The value after "key: " or "- " on the current (already consumed) line. */
  private inlineValue(rest: string, parentIndent: number): unknown {
    const c = rest[0]!;
    let value: unknown;
    if (c === '"') value = this.doubleQuoted(rest);
    else if (c === "'") value = this.singleQuoted(rest);
    else if (c === "|") return this.literal(rest, parentIndent);
    else if (rest.startsWith("{}") || rest.startsWith("[]")) {
      if (!isEndOfValue(rest.slice(2))) throw BAIL;
      value = c === "{" ? {} : [];
    } else value = plainScalar(rest);
    this.noContinuation(parentIndent);
    return value;
  }

  /** A scalar value must not continue on a more indented line (multi-line plain scalars are left to yaml). */
  private noContinuation(parentIndent: number): void {
    this.skipBlank();
    const next = this.lines[this.i];
    if (next && next.indent > parentIndent) throw BAIL;
  }

  private doubleQuoted(rest: string): string {
    let out = "";
    let j = 1;
    for (;;) {
      const q = rest.indexOf('"', j);
      const b = rest.indexOf("\\", j);
      if (q < 0) throw BAIL; // multi-line
      if (b >= 0 && b < q) {
        out += rest.slice(j, b);
        const e = rest[b + 1];
        if (e === "u") {
          const hex = rest.slice(b + 2, b + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
          const code = parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) throw BAIL;
          out += String.fromCharCode(code);
          j = b + 6;
          continue;
        }
        const simple = e === undefined ? undefined : DOUBLE_ESCAPES[e];
        if (simple === undefined) throw BAIL;
        out += simple;
        j = b + 2;
        continue;
      }
      out += rest.slice(j, q);
      if (!isEndOfValue(rest.slice(q + 1))) throw BAIL;
      return out;
    }
  }

  private singleQuoted(rest: string): string {
    let out = "";
    let j = 1;
    for (;;) {
      const q = rest.indexOf("'", j);
      if (q < 0) throw BAIL;
      out += rest.slice(j, q);
      if (rest[q + 1] === "'") {
        out += "'";
        j = q + 2;
        continue;
      }
      if (!isEndOfValue(rest.slice(q + 1))) throw BAIL;
      return out;
    }
  }

  /** A literal block scalar: "|", "|-" or "|+" (indentation indicators are left to yaml). */
  private literal(header: string, parentIndent: number): string {
    const m = /^\|([-+]?)(?: +#.*)? *$/.exec(header);
    if (!m) throw BAIL;
    const chomp = m[1];
    // content: following lines that are blank or indented more than the parent
    const start = this.i;
    let blockIndent = -1;
    let end = start;
    for (let k = start; k < this.lines.length; k++) {
      const line = this.lines[k]!;
      if (line.text === "") {
        end = k + 1;
        continue;
      }
      if (line.indent <= parentIndent) break;
      if (blockIndent < 0) blockIndent = line.indent;
      if (line.indent < blockIndent) throw BAIL;
      end = k + 1;
    }
    if (blockIndent < 0) throw BAIL; // no content at all: leave the edge cases to yaml
    const parts: string[] = [];
    for (let k = start; k < end; k++) {
      const line = this.lines[k]!;
      if (line.text === "") {
        if (line.indent > blockIndent) parts.push(" ".repeat(line.indent - blockIndent));
        else parts.push("");
      } else parts.push(" ".repeat(line.indent - blockIndent) + line.text);
    }
    this.i = end;
    let body = parts.join("\n");
    const trailing = /\n*$/.exec(body)![0].length;
    if (parts.some((p) => p !== "" && p.trim() === "")) throw BAIL; // whitespace-only lines: leave to yaml
    body = body.slice(0, body.length - trailing);
    if (chomp === "-") return body;
    if (chomp === "+") return body + "\n".repeat(trailing) + "\n";
    return body + "\n";
  }
}

const DOUBLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  '"': '"',
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  b: "\b",
  f: "\f",
};

function isDocumentStart(text: string): boolean {
  return text.startsWith("---") && (text.length === 3 || text[3] === " ");
}

function isSeqItem(text: string): boolean {
  return text.charCodeAt(0) === 0x2d /* - */ && (text.length === 1 || text.charCodeAt(1) === 0x20);
}

/** Nothing but spaces and an optional comment. */
function isEndOfValue(after: string): boolean {
  const t = after.trimStart();
  return t === "" || (t.startsWith("#") && after.length > t.length);
}

function isNonStringKey(key: string): boolean {
  const c = key.charCodeAt(0);
  // most keys start with a lowercase letter that cannot begin null/true/false or a number
  if (c >= 0x61 && c <= 0x7a && c !== 0x6e /* n */ && c !== 0x74 /* t */ && c !== 0x66 /* f */) return false;
  return NULL_RE.test(key) || TRUE_RE.test(key) || FALSE_RE.test(key) || NUMBERISH_RE.test(key);
}

function plainScalar(rest: string): unknown {
  let text = rest;
  const hash = text.indexOf(" #");
  if (hash >= 0) text = text.slice(0, hash);
  text = text.trimEnd();
  const c = text[0];
  if (c === undefined || PLAIN_START_BAD.has(c)) throw BAIL;
  if ((c === "-" || c === "?" || c === ":") && (text.length === 1 || text[1] === " ")) throw BAIL;
  if (text.includes(": ") || text.endsWith(":") || text.includes(" #")) throw BAIL;
  const first = text.charCodeAt(0);
  // a lowercase letter other than n/t/f cannot start null, a boolean or a number: a string
  if (first >= 0x61 && first <= 0x7a && first !== 0x6e && first !== 0x74 && first !== 0x66) return text;
  if (NULL_RE.test(text)) return null;
  if (TRUE_RE.test(text)) return true;
  if (FALSE_RE.test(text)) return false;
  if (NUMBERISH_RE.test(text)) {
    if (SAFE_INT_RE.test(text) || SIMPLE_FLOAT_RE.test(text)) return Number(text);
    // starts with a digit but is no number under the core schema, e.g. "2Gi", "1.2.3", a date: a string
    if (/^[0-9]/.test(text) && !CORE_NUMBER_RE.test(text) && !/^0[ox]/.test(text)) return text;
    throw BAIL;
  }
  return text;
}
