import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { LineCounter, parseAllDocuments, stringify } from "yaml";
import { fastParseYaml } from "../../cli/plan/fastYaml";

const ROOT = join(__dirname, "..", "..");

/** What the yaml package makes of `text`: non-empty documents with number, first line and value; or "error". */
function reference(text: string): Array<{ index: number; line: number; value: unknown }> | "error" {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  if (docs.some((d) => d.errors.length)) return "error";
  return docs
    .map((d, i) => ({
      index: i + 1,
      line: d.contents ? lineCounter.linePos(d.contents.range[0]).line : 0,
      value: d.contents === null ? null : d.toJS(),
    }))
    .filter((d) => d.value !== null);
}

/** The fast reader either declines (undefined) or agrees exactly with the yaml package. */
function agrees(text: string): boolean {
  const fast = fastParseYaml(text, 100);
  if (!fast) return false;
  const ref = reference(text);
  assert.notEqual(ref, "error", `accepted invalid YAML:\n${text}`);
  assert.deepEqual(
    fast.map((d) => ({ index: d.index, line: d.line, value: d.value })),
    ref,
    text,
  );
  return true;
}

function manifestFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? manifestFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe("livevm plan: fast YAML reader", () => {
  it("reads the example and fixture manifests exactly like the yaml package", () => {
    const files = [...manifestFiles(join(ROOT, "examples/gitops")), ...manifestFiles(join(ROOT, "test/fixtures/plan"))];
    const accepted = files.filter((f) => agrees(readFileSync(f, "utf8")));
    assert.ok(
      accepted.length >= files.length - 3,
      `fast path declined too much: ${files.filter((f) => !accepted.includes(f)).join(", ")}`,
    );
  });

  it("agrees on scalars, quoting, block scalars, indentless sequences, comments and documents", () => {
    const texts = [
      "a: 1\nb: 'it''s'\nc: \"x\\ty\\u00e9\"\nd: ~\ne:\nf: -1\ng: 1.50\nh: 2Gi\ni: 1.2.3\nj: yes\nk: true\nl: 2026-10-02T09:14:00Z\nm: Null\n",
      "list:\n- a\n- b: 1\n  c: 2\n-\n  d: 3\n- \nend: x\n",
      "s: |\n  line1\n    indented\n\n  line3\n\nt: |-\n  x\n\n\nu: |+\n  y\n\nv: 1\n",
      "# c\n---\na: 1 # c\n---\n---\nb: [] # x\nc: {}\n",
      "apiVersion: v1\nkind: List\nitems:\n  - a: 1\n  - b: 2\n    c:\n      - 1\n",
      "a: :x\nb: -x\nc: ?x\nd: a#b\ne: http://x:80/y\nf: \"\"\ng: ''\n",
      "s: |\n  #not a comment\n  ---x\nx: 1\n",
      "a:\n  - - x\n    - - y\n      - z\n  - w\n",
    ];
    for (const text of texts) assert.ok(agrees(text), `declined:\n${text}`);
  });

  it("declines what it does not handle, so the yaml package decides (and reports errors)", () => {
    const texts = [
      "a: b\n  continued\n",
      "a: &x 1\nb: *x\n",
      'k: "multi\n  line"\n',
      "a: 1\na: 2\n",
      "key with space: 1\n",
      "a: 0o17\n",
      "a: 0x1f\n",
      "a: .inf\n",
      "a: 1e3\n",
      "a: 007\n",
      "a: +1\n",
      "a: [1, 2]\n",
      "a: !!str 1\n",
      "a: >\n  folded\n",
      "a:\tb\n",
      "%YAML 1.2\n---\na: 1\n",
      "plain scalar document\n",
      "a: b: c\n",
      "1: one\n",
    ];
    for (const text of texts) assert.equal(fastParseYaml(text, 100), undefined, text);
  });

  const documents = (key: fc.Arbitrary<string>, scalar: fc.Arbitrary<unknown>) =>
    fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("array"), tie("object")),
      array: fc.array(tie("node"), { maxLength: 4 }),
      object: fc.dictionary(key, tie("node"), { minKeys: 1, maxKeys: 5 }),
    })).object;
  const render = (docs: unknown[], indentSeq: boolean, defaultStringType: "PLAIN" | "QUOTE_DOUBLE" | "QUOTE_SINGLE") =>
    docs.map((d) => stringify(d, { indentSeq, defaultStringType, lineWidth: 0 })).join("---\n");
  const options = [
    fc.boolean(),
    fc.constantFrom("PLAIN" as const, "QUOTE_DOUBLE" as const, "QUOTE_SINGLE" as const),
  ] as const;

  it("never disagrees with the yaml package on generated manifests, and takes most of them", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9./-]{0,8}$/);
    const scalar = fc.oneof(
      fc.stringMatching(/^[a-z][a-z0-9.:/ -]{0,12}$/),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.boolean(),
      fc.constant(null),
    );
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.array(documents(key, scalar), { minLength: 1, maxLength: 3 }),
        ...options,
        (docs, indentSeq, quoting) => {
          if (agrees(render(docs, indentSeq, quoting))) accepted++;
        },
      ),
      { numRuns: 300 },
    );
    assert.ok(accepted > 60, `the fast path should take most plain-keyed manifests (took ${accepted}/300)`);
  });

  it("never disagrees with the yaml package on hostile scalars and keys", () => {
    const key = fc.oneof(
      fc.constantFrom(
        "name",
        "kubevirt.io/domain",
        "true",
        "null",
        "1",
        "items",
        "<<",
        "__proto__",
        "a b",
        "a:b",
        "#",
        "-",
      ),
      fc.string({ maxLength: 6 }),
    );
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "2Gi",
        "1.5",
        "007",
        "yes",
        "~",
        "-",
        "- x",
        "a: b",
        "#x",
        "x #y",
        "'q'",
        '"d"',
        "1e3",
        ".5",
        "0x1F",
        "",
        " lead",
        "trail ",
        "multi\nline",
        "tab\there",
        "é✓",
        "\\",
        ".inf",
        "-.5",
        "1_000",
        "2026-10-02T09:14:00Z",
      ),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.array(documents(key, scalar), { minLength: 1, maxLength: 3 }),
        ...options,
        (docs, indentSeq, quoting) => {
          agrees(render(docs, indentSeq, quoting));
        },
      ),
      { numRuns: 400 },
    );
  });
});
