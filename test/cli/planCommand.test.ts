import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** These tests run the real `./bin/livevm plan` process: arguments, exit codes, stdout/stderr. */
const ROOT = join(__dirname, "..", "..");
const LIVEVM = join(ROOT, "bin", "livevm");
const EXAMPLE = [
  "--before",
  "examples/gitops/before",
  "--after",
  "examples/gitops/after",
  "--kubevirt",
  "examples/gitops/kubevirt.yaml",
  "--vmi",
  "examples/gitops/vmis",
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function livevm(args: string[], options: { cwd?: string; stdin?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(LIVEVM, ["plan", ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, NO_COLOR: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

function outcomesByName(json: string): Record<string, string> {
  const report = JSON.parse(json) as { vms: Array<{ name: string; outcome: string }> };
  return Object.fromEntries(report.vms.map((v) => [v.name, v.outcome]));
}

describe("livevm plan (the process)", function () {
  this.timeout(60_000);

  it("--cloud-hypervisor plans two Cloud Hypervisor VmConfig files through the same command", async () => {
    const ch = ["--cloud-hypervisor", "--before", "examples/cloud-hypervisor/before.json", "--after"];
    const r = await livevm([...ch, "examples/cloud-hypervisor/after.json", "--output", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { outcome: string; changes: Array<{ path: string; outcome: string }> };
    assert.equal(report.outcome, "live");
    assert.ok(report.changes.some((c) => c.path === "cpus.boot_vcpus" && c.outcome === "live"));
    const missing = await livevm([...ch, "examples/cloud-hypervisor/missing.json"]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /missing\.json/);
  });

  it("examples/gitops shows every outcome; the table is the default, without colour off a terminal; exit 4 for rejected", async () => {
    const r = await livevm(EXAMPLE);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stderr, "");
    assert.ok(!r.stdout.includes("\u001b["), "no ANSI escapes when stdout is not a TTY");
    assert.match(
      r.stdout,
      /shop\/api-server: live\n {2}FIELD +BEFORE +AFTER +OUTCOME +REASON\n {2}spec\.template\.spec\.domain\.cpu\.sockets +2 +4 +live +CPU hotplug/,
    );
    assert.match(
      r.stdout,
      /7 VMs: 1 none, 2 staged, 1 live, 1 stuck, 1 restart, 1 rejected; 1 added, 6 modified; 2 non-VM documents skipped/,
    );
    assert.match(
      r.stdout,
      /KubeVirt v1\.9\.0 \(status\.observedKubeVirtVersion of examples\/gitops\/kubevirt\.yaml:3\)/,
    );
  });

  it("--output json prints one document with the expected outcome per example VM", async () => {
    const r = await livevm([...EXAMPLE, "--output", "json", "--fail-on", "never"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(outcomesByName(r.stdout), {
      "dev-sandbox": "staged",
      "batch-worker": "rejected",
      "api-server": "live",
      database: "restart",
      "legacy-app": "stuck",
      reporting: "staged",
      "web-frontend": "none",
    });
    const report = JSON.parse(r.stdout);
    assert.equal(report.summary.predicted, false);
    assert.equal(report.summary.skippedDocuments, 2);
    const sockets = report.vms.find((v: { name: string }) => v.name === "api-server").changes[0];
    assert.deepEqual(Object.keys(sockets), ["path", "before", "after", "outcome", "reason"]);
    assert.equal(sockets.path, "spec.template.spec.domain.cpu.sockets");
  });

  it("exit 3 for a restart, 0 with --fail-on rejected; markdown output", async () => {
    const restart = await livevm([
      "--before",
      "test/fixtures/plan/restart/before",
      "--after",
      "test/fixtures/plan/restart/after/database.json",
      "-o",
      "json",
    ]);
    assert.equal(restart.code, 3, restart.stderr);
    assert.equal(outcomesByName(restart.stdout).database, "restart");
    const md = await livevm([
      "--before",
      "test/fixtures/plan/restart/before",
      "--after",
      "test/fixtures/plan/restart/after",
      "--output",
      "markdown",
      "--fail-on",
      "rejected",
    ]);
    assert.equal(md.code, 0, md.stderr);
    assert.match(md.stdout, /^## livevm plan: 🟡 restart\n/);
    assert.match(
      md.stdout,
      /\| `spec\.template\.spec\.domain\.cpu\.cores` \| `2` \| `4` \| 🟡 restart \| RestartRequired: "a non-live-updatable field was changed in the template spec" \|/,
    );
    assert.match(md.stdout, /> predicted: no VMIs given \(--vmi\)/);
    assert.match(md.stdout, /> KubeVirt v1\.9\.0 assumed, the newest supported version/);
  });

  it("reads --before from standard input", async () => {
    const stdin = readFileSync(join(ROOT, "examples/gitops/before/virtualmachines.yaml"), "utf8");
    const r = await livevm(
      [
        "--before",
        "-",
        "--after",
        "examples/gitops/after",
        "--kubevirt",
        "examples/gitops/kubevirt.yaml",
        "--vmi",
        "examples/gitops/vmis",
        "-o",
        "json",
      ],
      { stdin },
    );
    assert.equal(r.code, 4, r.stderr);
    assert.equal(outcomesByName(r.stdout)["legacy-app"], "stuck");
  });

  it("usage errors exit 2 with the usage text", async () => {
    const r = await livevm(["--before", "x", "--after", "y", "--output", "yaml"]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, "");
    assert.match(
      r.stderr,
      /^livevm plan: --output must be one of table, json, markdown, got "yaml"\n\nusage: livevm plan/,
    );
  });

  describe("bad input: exit 1, a message naming the place, no plan on stdout", () => {
    const cases: Array<[string, string, RegExp]> = [
      [
        "YAML syntax",
        "test/fixtures/plan/bad/syntax.yaml",
        /^livevm plan: test\/fixtures\/plan\/bad\/syntax\.yaml:10:9: YAML syntax error: /,
      ],
      [
        "schema",
        "test/fixtures/plan/bad/schema.yaml",
        /schema\.yaml:1: VirtualMachine shop\/web does not match the schema:\n {2}spec\.template\.spec\.domain\.cpu\.sockets \(line 12, column 20\): /,
      ],
      [
        "quantity",
        "test/fixtures/plan/bad/quantity.yaml",
        /spec\.template\.spec\.domain\.memory\.guest \(line 12, column 18\): invalid quantity "2Gx": /,
      ],
      [
        "duplicate",
        "test/fixtures/plan/bad/duplicate.yaml",
        /VirtualMachine default\/web is defined twice: .*duplicate\.yaml:1 and .*duplicate\.yaml:8/,
      ],
      [
        "billion laughs",
        "test/fixtures/plan/bad/aliases.yaml",
        /aliases\.yaml:1: YAML aliases expand more than 100 times/,
      ],
    ];
    for (const [what, file, message] of cases) {
      it(what, async () => {
        const r = await livevm(["--before", "test/fixtures/plan/restart/before", "--after", file]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, message);
      });
    }

    it("a 100 MB file is refused without reading it", async () => {
      const dir = mkdtempSync(join(tmpdir(), "livevm-plan-"));
      try {
        const big = join(dir, "huge.yaml");
        writeFileSync(big, "");
        truncateSync(big, 100_000_000);
        const r = await livevm(["--before", "test/fixtures/plan/restart/before", "--after", big]);
        assert.equal(r.code, 1);
        assert.equal(r.stdout, "");
        assert.match(r.stderr, /huge\.yaml: larger than the limit of 64Mi per input/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("--git", () => {
    let repo: string;
    before(() => {
      repo = mkdtempSync(join(tmpdir(), "livevm-plan-git-"));
      const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" });
      git("init", "-q", "-b", "main");
      git("config", "user.email", "t@example.com");
      git("config", "user.name", "t");
      const vm = (name: string, sockets: number, cores = 1) =>
        `apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  runStrategy: Always\n  template:\n    spec:\n      architecture: amd64\n      domain:\n        cpu:\n          sockets: ${sockets}\n          cores: ${cores}\n        memory:\n          guest: 2Gi\n`;
      execFileSync("mkdir", ["-p", join(repo, "vms"), join(repo, "other")]);
      writeFileSync(join(repo, "vms", "web.yaml"), vm("web", 1));
      writeFileSync(join(repo, "vms", "db.yaml"), vm("db", 1, 2));
      writeFileSync(join(repo, "vms", "old.yaml"), vm("old", 1));
      writeFileSync(join(repo, "other", "ignored.yaml"), "{{{ not even YAML");
      git("add", ".");
      git("commit", "-q", "-m", "vms");
      writeFileSync(join(repo, "vms", "web.yaml"), vm("web", 2));
      writeFileSync(join(repo, "vms", "db.yaml"), vm("db", 1, 4));
      unlinkSync(join(repo, "vms", "old.yaml"));
      writeFileSync(join(repo, "vms", "new.yaml"), vm("new", 1)); // untracked: part of the working tree
    });
    after(() => rmSync(repo, { recursive: true, force: true }));

    it("plans the manifests at <rev> against the working tree", async () => {
      const kubevirt = join(ROOT, "examples/gitops/kubevirt.yaml");
      const r = await livevm(["--git", "HEAD", "vms", "--kubevirt", kubevirt, "-o", "json"], { cwd: repo });
      assert.equal(r.code, 3, r.stderr);
      const report = JSON.parse(r.stdout) as { vms: Array<{ name: string; manifest: string; outcome: string }> };
      assert.deepEqual(
        report.vms.map((v) => [v.name, v.manifest, v.outcome]),
        [
          ["db", "modified", "restart"],
          ["new", "added", "staged"],
          ["old", "removed", report.vms.find((v) => v.name === "old")!.outcome],
          ["web", "modified", "live"],
        ],
      );
    });

    it("an unknown revision is bad input", async () => {
      const r = await livevm(["--git", "no-such-branch"], { cwd: repo });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /--git: unknown revision "no-such-branch"/);
    });
  });
});
