import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCloudHypervisorPlan } from "../../cli/plan/cloudHypervisorPlan";

const before = {
  payload: { kernel: "/vmlinux" },
  cpus: { boot_vcpus: 2, max_vcpus: 8 },
  memory: { size: "1G", hotplug_size: "2G" },
  disks: [{ id: "root", path: "/img/root.raw" }],
};

describe("livevm plan --cloud-hypervisor", () => {
  let dir: string;
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
  async function run(argv: string[], stdin = "") {
    let stdout = "";
    let stderr = "";
    const code = await runCloudHypervisorPlan(argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      readStdin: async () => stdin,
    });
    return { code, stdout, stderr };
  }
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "lvchcli-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("exit 0 and a table for live changes", async () => {
    const after = file(
      "after.yaml",
      "payload: {kernel: /vmlinux}\ncpus: {boot_vcpus: 4, max_vcpus: 8}\nmemory: {size: 1536M, hotplug_size: 2G}\ndisks:\n  - {id: root, path: /img/root.raw}\n  - {id: data, path: /img/data.raw}\n",
    );
    const r = await run(["--cloud-hypervisor", "--before", file("before.json", before), "--after", after]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Cloud Hypervisor VM: live/);
    assert.match(r.stdout, /cpus\.boot_vcpus\s+2\s+4\s+live/);
    assert.match(r.stdout, /memory\.size\s+1G\s+1536M\s+live/);
    assert.match(
      r.stdout,
      /PUT \/api\/v1\/vm\.resize \{"desired_ram":1610612736\}\n {2}PUT \/api\/v1\/vm\.resize \{"desired_vcpus":4\}\n {2}PUT \/api\/v1\/vm\.add-disk/,
    );
  });

  it("exit 3 for a recreate, 4 for a refusal, lowered by --fail-on", async () => {
    const b = file("before.json", before);
    const recreate = file("recreate.json", { ...before, cpus: { boot_vcpus: 2, max_vcpus: 16 } });
    assert.equal((await run(["--before", b, "--after", recreate])).code, 3);
    assert.equal((await run(["--before", b, "--after", recreate, "--fail-on", "rejected"])).code, 0);
    const refused = file("refused.json", { ...before, memory: { size: "1100M", hotplug_size: "2G" } });
    const r = await run(["--before", b, "--after", refused, "-o", "json"]);
    assert.equal(r.code, 4);
    const json = JSON.parse(r.stdout);
    assert.equal(json.outcome, "rejected");
    assert.match(json.changes[0].reason, /not a valid size/);
    assert.deepEqual(json.calls, []);
    assert.equal((await run(["--before", b, "--after", refused, "--fail-on", "never"])).code, 0);
  });

  it("reads vm.info output as --before, with its state, from stdin", async () => {
    const info = JSON.stringify({
      config: { ...before, memory: { size: 1073741824, hotplug_size: 2147483648, hotplugged_size: null } },
      state: "Created",
      memory_actual_size: 1073741824,
    });
    const after = file("after.json", { ...before, cpus: { boot_vcpus: 6, max_vcpus: 8 } });
    const r = await run(["--before", "-", "--after", after, "--output", "markdown"], info);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^### Cloud Hypervisor VM: staged/);
    assert.match(r.stdout, /\| `cpus.boot_vcpus` \| `2` \| `6` \| staged \|/);
  });

  it("explains the aarch64 vCPU restart", async () => {
    const after = file("after.json", { ...before, cpus: { boot_vcpus: 4, max_vcpus: 8 } });
    const r = await run(["--before", file("b.json", before), "--after", after, "--arch", "aarch64"]);
    assert.equal(r.code, 3);
    assert.match(r.stdout, /x86_64-only/);
    assert.match(
      r.stdout,
      /then: PUT \/api\/v1\/vm\.shutdown\n {2}PUT \/api\/v1\/vm\.resize \{"desired_vcpus":4\}\n {2}PUT \/api\/v1\/vm\.boot/,
    );
  });

  it("exit 1 for bad input, naming the file and the path", async () => {
    const b = file("before.json", before);
    const badSize = await run(["--before", b, "--after", file("a.json", { ...before, memory: { size: "1g" } })]);
    assert.equal(badSize.code, 1);
    assert.match(badSize.stderr, /--after .*a\.json: memory\.size: invalid size "1g"/);
    const noId = await run(["--before", b, "--after", file("n.json", { ...before, disks: [{ path: "/x" }] })]);
    assert.match(noId.stderr, /disks\[0\]\.id: every disk needs an id/);
    const missing = await run(["--before", join(dir, "nope.json"), "--after", b]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--before .*nope\.json: cannot read it: ENOENT/);
    const broken = await run(["--before", file("broken.json", "{ cpus: [1, 2"), "--after", b]);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken\.json \(line \d+, column \d+\): not valid JSON or YAML/);
  });

  it("exit 2 for usage errors, 0 for --help", async () => {
    assert.equal((await run(["--after", "x"])).code, 2);
    assert.equal((await run(["--before", "x", "--after", "y", "--output", "xml"])).code, 2);
    assert.equal((await run(["--before", "-", "--after", "-"])).code, 2);
    assert.equal((await run(["--bogus"])).code, 2);
    const help = await run(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: livevm plan --cloud-hypervisor/);
  });
});
