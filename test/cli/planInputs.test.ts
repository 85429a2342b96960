import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePlanArguments } from "../../cli/plan/planArguments";
import { DEFAULT_INPUT_LIMITS } from "../../cli/plan/inputLimits";
import { parseManifests } from "../../cli/plan/parseManifests";
import { runPlan, type PlanIo } from "../../cli/plan/runPlan";
import { UsageError } from "../../cli/plan/usageError";
import { fakePlanner } from "./fakePlanner";

const ROOT = join(__dirname, "..", "..");
const BAD = "test/fixtures/plan/bad";
const RESTART = "test/fixtures/plan/restart";

function io(): PlanIo & { out: string; err: string } {
  const captured = {
    out: "",
    err: "",
    stdout: { write: (t: string) => (captured.out += t) },
    stderr: { write: (t: string) => (captured.err += t) },
    env: {},
    cwd: ROOT,
  };
  return captured;
}

async function plan(...argv: string[]) {
  const captured = io();
  const code = await runPlan(argv, fakePlanner, captured);
  return { code, out: captured.out, err: captured.err };
}

function yamlSource(text: string, name = "t.yaml") {
  return { name, text, format: "yaml" as const };
}

describe("livevm plan: arguments", () => {
  it("accepts both forms and repeatable inputs", () => {
    const a = parsePlanArguments(["--before", "b", "--after=a", "--after", "c", "-o", "json", "--fail-on", "never"]);
    assert.deepEqual(a.sources, { mode: "files", before: ["b"], after: ["a", "c"] });
    assert.equal(a.output, "json");
    assert.equal(a.failOn, "never");
    const g = parsePlanArguments(["--git", "origin/main", "vms", "more", "--kubevirt-version", "1.5"]);
    assert.deepEqual(g.sources, { mode: "git", rev: "origin/main", paths: ["vms", "more"] });
    assert.equal(g.kubevirtVersion?.minor, 5);
    assert.deepEqual(parsePlanArguments(["--git", "HEAD"]).sources, { mode: "git", rev: "HEAD", paths: ["."] });
    assert.equal(
      parsePlanArguments(["--before", "-", "--after", "x", "--max-file-bytes", "1Mi"]).limits.maxFileBytes,
      1 << 20,
    );
  });

  const usage: Array<[string[], RegExp]> = [
    [[], /give --before and --after, or --git/],
    [["--before", "x"], /--after is missing/],
    [["--after", "x"], /--before is missing/],
    [["--before", "x", "--after", "y", "--frobnicate"], /unknown option --frobnicate/],
    [["--before", "x", "--after"], /--after needs a value/],
    [["--before", "x", "--after", "y", "--output", "yaml"], /--output must be one of table, json, markdown/],
    [["--before", "x", "--after", "y", "--fail-on", "sometimes"], /--fail-on must be one of restart, rejected, never/],
    [["--before", "x", "--after", "y", "--kubevirt-version", "0.59"], /supports KubeVirt v1.0.0 to v1.9.x/],
    [["--before", "x", "--after", "y", "--kubevirt-version", "latest"], /expected <major>.<minor>/],
    [["--git", "HEAD", "--before", "x"], /drop --before\/--after/],
    [["--before", "-", "--after", "-"], /standard input .* only once/],
    [["--before", "x", "--after", "y", "extra"], /unexpected argument "extra"/],
    [["--before", "x", "--after", "y", "--max-file-bytes", "lots"], /expected a byte count/],
    [["--before", "x", "--after", "y", "--output", "json", "--output", "table"], /only once/],
  ];
  for (const [argv, message] of usage) {
    it(`usage error: ${argv.join(" ") || "(nothing)"}`, () => {
      assert.throws(
        () => parsePlanArguments(argv),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      );
    });
  }

  it("prints the usage text and exits 2 on a usage error, 0 on --help", async () => {
    const bad = await plan("--before", "x");
    assert.equal(bad.code, 2);
    assert.equal(bad.out, "");
    assert.match(bad.err, /--after is missing[\s\S]*usage: livevm plan --before/);
    const help = await plan("--help");
    assert.equal(help.code, 0);
    assert.match(help.out, /exit codes:/);
  });
});

describe("livevm plan: reading manifests", () => {
  it("splits multi-document YAML, unrolls Lists and top-level arrays, drops empty documents", () => {
    const docs = parseManifests(
      yamlSource("---\n---\nkind: A\n---\nkind: List\nitems:\n  - kind: B\n  - kind: C\n---\n- kind: D\n"),
      DEFAULT_INPUT_LIMITS,
    );
    assert.deepEqual(
      docs.map((d) => [(d.value as { kind: string }).kind, d.line, d.label]),
      [
        ["A", 3, "document 2"],
        ["B", 7, "document 3, items[0]"],
        ["C", 8, "document 3, items[1]"],
        ["D", 10, "document 4, items[0]"],
      ],
    );
  });

  it("reads JSON, and sniffs JSON on standard input", () => {
    const docs = parseManifests(
      { name: "<stdin>", text: ' {"kind":"List","items":[{"kind":"X"}]}', format: "auto" },
      DEFAULT_INPUT_LIMITS,
    );
    assert.deepEqual(
      docs.map((d) => d.label),
      ["document 1, items[0]"],
    );
  });

  it("falls back to YAML for standard input that only looks like JSON, and expands merge keys like kubectl", () => {
    const flow = parseManifests(
      { name: "<stdin>", text: "{kind: A, b: [1, 2]}", format: "auto" },
      DEFAULT_INPUT_LIMITS,
    );
    assert.deepEqual(flow[0]!.value, { kind: "A", b: [1, 2] });
    const merged = parseManifests(yamlSource("base: &b {x: 1, y: 2}\nvm:\n  <<: *b\n  y: 3\n"), DEFAULT_INPUT_LIMITS);
    assert.deepEqual(merged[0]!.value, { base: { x: 1, y: 2 }, vm: { x: 1, y: 3 } });
  });

  it("names file:line:column for YAML and JSON syntax errors", () => {
    assert.throws(
      () => parseManifests(yamlSource("a: 1\nb: [1, 2\nc: 3\n", "x.yaml"), DEFAULT_INPUT_LIMITS),
      /^InputError: x\.yaml:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented/,
    );
    assert.throws(
      () => parseManifests(yamlSource("a: 1\na: 2\n", "dup.yaml"), DEFAULT_INPUT_LIMITS),
      /dup\.yaml:2:1: YAML syntax error: Map keys must be unique/,
    );
    assert.throws(
      () => parseManifests({ name: "x.json", text: '{\n  "a": 1,\n  "b": }', format: "json" }, DEFAULT_INPUT_LIMITS),
      /^InputError: x\.json:3:\d+: JSON syntax error/,
    );
  });

  it("refuses billion-laughs aliases, deep flow nesting, deep compact sequences and deep JSON quickly", () => {
    const started = Date.now();
    const laughs =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\n' +
      "bcdefghi"
        .split("")
        .map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefgh"[i]}`).join(",")}]`)
        .join("\n");
    assert.throws(
      () => parseManifests(yamlSource(laughs, "l.yaml"), DEFAULT_INPUT_LIMITS),
      /l\.yaml:1: YAML aliases expand more than 100 times/,
    );
    assert.throws(
      () => parseManifests(yamlSource("a: " + "[".repeat(5_000_000), "f.yaml"), DEFAULT_INPUT_LIMITS),
      /f\.yaml:1:\d+: nested more than 100 levels deep/,
    );
    assert.throws(
      () => parseManifests(yamlSource("- ".repeat(1_000_000) + "x", "s.yaml"), DEFAULT_INPUT_LIMITS),
      /s\.yaml:1: nested more than 100 levels/,
    );
    assert.throws(
      () =>
        parseManifests(
          { name: "d.json", text: "[".repeat(200) + "]".repeat(200), format: "json" },
          DEFAULT_INPUT_LIMITS,
        ),
      /d\.json: nested more than 100 levels deep/,
    );
    const block = "a:\n" + Array.from({ length: 3000 }, (_, i) => " ".repeat(i + 1) + "b:\n").join("");
    assert.throws(
      () => parseManifests(yamlSource(block, "b.yaml"), DEFAULT_INPUT_LIMITS),
      /b\.yaml:101: nested more than 100 levels deep/,
    );
    assert.ok(Date.now() - started < 5000, "hostile input must fail fast");
  });

  it("does not mistake brackets in scalars and block text for nesting", () => {
    const text = `kind: ConfigMap\ndata:\n  script: |\n    if [ -f x ]; then echo {a}; fi\n    arr[1][2]=3\n  q: "[[[[[[[["\n  k: it's {\n${"  x: [a, [b, [c]]]\n".slice(0, 0)}`;
    assert.equal(parseManifests(yamlSource(text), DEFAULT_INPUT_LIMITS).length, 1);
  });
});

describe("livevm plan: bad input (exit 1, nothing planned)", () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["YAML syntax", [`${BAD}/syntax.yaml`], /bad\/syntax\.yaml:10:9: YAML syntax error: .*\n.*cpu: \[1, 2\n.*memory:/],
    ["JSON syntax", [`${BAD}/syntax.json`], /bad\/syntax\.json:4:\d+: JSON syntax error/],
    [
      "schema",
      [`${BAD}/schema.yaml`],
      /bad\/schema\.yaml:1: VirtualMachine shop\/web does not match the schema:\n {2}spec\.template\.spec\.domain\.cpu\.sockets \(line 12, column 20\): .*expected number.* \(got "two"\)/,
    ],
    [
      "quantity",
      [`${BAD}/quantity.yaml`],
      /bad\/quantity\.yaml:1: VirtualMachine shop\/web .*\n {2}spec\.template\.spec\.domain\.memory\.guest \(line 12, column 18\): invalid quantity "2Gx": unknown suffix "Gx"/,
    ],
    [
      "duplicate",
      [`${BAD}/duplicate.yaml`],
      /--after: VirtualMachine default\/web is defined twice: .*duplicate\.yaml:1 and .*duplicate\.yaml:8/,
    ],
    ["no name", [`${BAD}/no-name.yaml`], /no-name\.yaml:1: VirtualMachine without metadata\.name/],
    ["aliases", [`${BAD}/aliases.yaml`], /aliases\.yaml:1: YAML aliases expand more than 100 times/],
    ["missing file", [`${BAD}/nothing-here.yaml`], /--after .*nothing-here\.yaml: no such file or directory/],
  ];
  for (const [what, after, message] of cases) {
    it(what, async () => {
      const r = await plan("--before", `${RESTART}/before`, ...after.flatMap((a) => ["--after", a]));
      assert.equal(r.code, 1, r.err);
      assert.equal(r.out, "");
      assert.match(r.err, message);
    });
  }

  it("schema errors in JSON lists point at the field, keeping dotted label keys whole", async () => {
    const dir = mkdtempSync(join(tmpdir(), "livevm-plan-"));
    try {
      const file = join(dir, "vms.json");
      const vm = {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: { name: "x", labels: { "kubevirt.io/domain": 5 } },
        spec: {},
      };
      writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: [vm] }, null, 2));
      const r = await plan("--before", file, "--after", `${RESTART}/after`);
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /vms\.json \(document 1, items\[0\]\): VirtualMachine default\/x does not match the schema:\n {2}metadata\.labels\.kubevirt\.io\/domain \(line 11, column 33\): .*expected string, received number \(got 5\)\n {2}spec\.template \(line 14, column 15\): .*expected object/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("duplicates across files name both files", async () => {
    const r = await plan(
      "--before",
      `${RESTART}/before`,
      "--before",
      `${RESTART}/before/database.yaml`,
      "--after",
      `${RESTART}/after`,
    );
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /--before: VirtualMachine shop\/database is defined twice: test\/fixtures\/plan\/restart\/before\/database\.yaml:1 and test\/fixtures\/plan\/restart\/before\/database\.yaml:1/,
    );
  });

  it("an unusable KubeVirt version in the CR names the file and field", async () => {
    const r = await plan(
      "--before",
      `${RESTART}/before`,
      "--after",
      `${RESTART}/after`,
      "--kubevirt",
      `${BAD}/kubevirt-version.yaml`,
    );
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /kubevirt-version\.yaml:1: KubeVirt status\.observedKubeVirtVersion: invalid KubeVirt version "v0\.59\.0"/,
    );
  });

  it("--kubevirt without a KubeVirt object, --vmi without VMIs", async () => {
    const r = await plan(
      "--before",
      `${RESTART}/before`,
      "--after",
      `${RESTART}/after`,
      "--kubevirt",
      `${RESTART}/after/database.json`,
    );
    assert.match(r.err, /no KubeVirt object/);
    const v = await plan("--before", `${RESTART}/before`, "--after", `${RESTART}/after`, "--vmi", `${RESTART}/after`);
    assert.match(v.err, /--vmi .*: no VirtualMachineInstance objects in it/);
  });

  describe("size limits", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "livevm-plan-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("refuses a 100 MB file before reading it", async () => {
      const big = join(dir, "big.yaml");
      writeFileSync(big, "");
      truncateSync(big, 100 * 1000 * 1000); // sparse: costs no disk
      const started = Date.now();
      const r = await plan("--before", `${RESTART}/before`, "--after", big);
      assert.equal(r.code, 1);
      assert.match(
        r.err,
        /big\.yaml: larger than the limit of 64Mi per input; refusing to read it \(raise --max-file-bytes/,
      );
      assert.ok(Date.now() - started < 2000);
    });

    it("limits all inputs together, and honours the flags", async () => {
      mkdirSync(join(dir, "many"));
      for (let i = 0; i < 5; i++)
        writeFileSync(join(dir, "many", `f${i}.yaml`), "kind: ConfigMap\n" + "#".repeat(1000) + "\n");
      const r = await plan("--before", `${RESTART}/before`, "--after", join(dir, "many"), "--max-total-bytes", "4k");
      assert.equal(r.code, 1);
      assert.match(r.err, /all inputs together are larger than the limit of 4000 bytes/);
      const f = await plan("--before", `${RESTART}/before`, "--after", join(dir, "many"), "--max-file-bytes", "1Ki");
      assert.equal(f.err, "");
      const g = await plan("--before", `${RESTART}/before`, "--after", join(dir, "many"), "--max-file-bytes", "1000");
      assert.match(g.err, /f0\.yaml: larger than the limit of 1000 bytes per input/);
    });
  });
});

describe("livevm plan: matching", () => {
  it("matches by namespace/name, reads directories recursively, counts skipped documents, reports added and removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "livevm-plan-"));
    try {
      const vm = (name: string, ns: string | undefined, sockets: number) =>
        `apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ""}spec:\n  runStrategy: Always\n  template:\n    spec:\n      domain:\n        cpu:\n          sockets: ${sockets}\n`;
      mkdirSync(join(dir, "before"));
      mkdirSync(join(dir, "after", "nested", "deeper"), { recursive: true });
      mkdirSync(join(dir, "after", ".hidden"));
      writeFileSync(
        join(dir, "before", "all.yaml"),
        [vm("a", undefined, 1), vm("gone", "x", 1), vm("same", "x", 2)].join("---\n"),
      );
      writeFileSync(join(dir, "after", "a.yml"), vm("a", "default", 2));
      writeFileSync(
        join(dir, "after", "nested", "deeper", "b.json"),
        JSON.stringify({
          apiVersion: "kubevirt.io/v1",
          kind: "VirtualMachine",
          metadata: { name: "new", namespace: "x" },
          spec: { template: {} },
        }),
      );
      writeFileSync(
        join(dir, "after", "nested", "same.yaml"),
        vm("same", "x", 2) + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n",
      );
      writeFileSync(join(dir, "after", "notes.txt"), "not a manifest: [[[");
      writeFileSync(join(dir, "after", ".hidden", "x.yaml"), "{{{ broken");
      writeFileSync(
        join(dir, "after", "other.yaml"),
        "apiVersion: example.com/v1\nkind: VirtualMachine\nmetadata:\n  name: a\n",
      );
      const r = await plan("--before", join(dir, "before"), "--after", join(dir, "after"), "--output", "json");
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out);
      assert.deepEqual(
        report.vms.map((v: { namespace: string; name: string; manifest: string; outcome: string }) => [
          v.namespace,
          v.name,
          v.manifest,
          v.outcome,
        ]),
        [
          ["default", "a", "modified", "live"],
          ["x", "gone", "removed", "none"],
          ["x", "new", "added", "none"],
          ["x", "same", "unchanged", "none"],
        ],
      );
      assert.equal(report.summary.skippedDocuments, 2);
      assert.equal(report.summary.added, 1);
      assert.equal(report.summary.removed, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("matches VMIs to VMs and says when the plan is predicted, and which version was assumed", async () => {
    const r = await plan("--before", `${RESTART}/before`, "--after", `${RESTART}/after`, "--output", "json");
    const report = JSON.parse(r.out);
    assert.equal(r.code, 3);
    assert.equal(report.summary.predicted, true);
    assert.equal(report.summary.version, "v1.9.0");
    assert.equal(report.summary.versionSource, "default");
    assert.match(
      report.summary.messages.join("\n"),
      /v1\.9\.0 assumed, the newest supported version: neither --kubevirt nor --kubevirt-version/,
    );
    assert.match(report.summary.messages.join("\n"), /predicted: no VMIs given \(--vmi\)/);

    const e = await plan(
      "--before",
      "examples/gitops/before",
      "--after",
      "examples/gitops/after",
      "--vmi",
      "examples/gitops/vmis",
      "--kubevirt",
      "examples/gitops/kubevirt.yaml",
      "-o",
      "json",
    );
    const ex = JSON.parse(e.out);
    assert.equal(ex.summary.versionSource, "kubevirt");
    assert.equal(ex.summary.version, "v1.9.0");
    const byName = new Map(ex.vms.map((v: { name: string; predicted: boolean }) => [v.name, v.predicted]));
    assert.equal(byName.get("api-server"), false, "VMIs from --vmi are matched by namespace/name");
    const pinned = await plan(
      "--before",
      `${RESTART}/before`,
      "--after",
      `${RESTART}/after`,
      "--kubevirt",
      "examples/gitops/kubevirt.yaml",
      "--kubevirt-version",
      "v1.4.1",
      "-o",
      "json",
    );
    assert.equal(JSON.parse(pinned.out).summary.version, "v1.4.1");
  });
});
