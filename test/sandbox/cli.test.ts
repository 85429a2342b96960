/** `livevm sandbox` as a user runs it: usage errors exit 2; it prints the address, writes a kubeconfig, stops on SIGTERM. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { run, tempDir, waitFor } from "./helpers";

const LIVEVM = join(__dirname, "..", "..", "bin", "livevm");

describe("livevm sandbox (CLI)", () => {
  it("exits 2 with the usage on bad flags", async () => {
    for (const args of [
      ["--nodes", "0"],
      ["--bogus"],
      ["--kubevirt-version", "2.0"],
      ["--migration-seconds", "x"],
      ["extra"],
    ]) {
      const r = await run(LIVEVM, ["sandbox", ...args]);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, /usage: livevm sandbox/);
    }
    const help = await run(LIVEVM, ["sandbox", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--migration-seconds/);
  });

  it("serves until SIGTERM, with a kubeconfig that points at it", async () => {
    const dir = tempDir("livevm-cli-");
    const kubeconfig = join(dir, "kc.yaml");
    const child = spawn(
      LIVEVM,
      ["sandbox", "--kubeconfig", kubeconfig, "--kubevirt-version", "1.4.1", "--hotplug-ready"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = await waitFor("the address", () => /API server at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1], 15000);
      assert.match(out, /KubeVirt v1\.4\.1/);
      const cfg = YAML.parse(readFileSync(kubeconfig, "utf8"));
      assert.equal(cfg.clusters[0].cluster.server, url);
      const kv = (await (
        await fetch(`${url}/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt`)
      ).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      assert.deepEqual(kv.spec.configuration.developerConfiguration.featureGates, ["VMLiveUpdateFeatures"]);
      assert.equal(kv.spec.configuration.vmRolloutStrategy, "LiveUpdate");
      assert.equal(kv.status.observedKubeVirtVersion, "v1.4.1");
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.match(out, /livevm sandbox: stopped/);
  });
});
