/**
 * `livevm doctor` against the sandbox (a loopback Kubernetes API that behaves like KubeVirt): the
 * release-manifest KubeVirt CR of v1.5 (Stage, no LiveMigrate), a hotplug-ready v1.9 cluster, an
 * outstanding RestartRequired set by the sandbox's own controller, and a non-migratable VMI.
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runDoctor } from "../../../cli/doctor/command";
import { EXIT } from "../../../cli/run";
import { hotplugReadyKubeVirtSpec, SANDBOX_ANNOTATIONS } from "../../../sandbox/index";
import { T } from "../../../sandbox/kubevirt/context";
import { Harness } from "../../sandbox/harness";

interface Report {
  blocking: boolean;
  checks: Array<{ scope: string; code: string; severity: string; message: string }>;
}

describe("livevm doctor against the sandbox", function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "livevm-doctor-sandbox-"));
  });
  afterEach(async () => {
    await h?.close();
    h = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function doctor(args: string[] = []) {
    const kubeconfig = path.join(dir, "kubeconfig");
    fs.writeFileSync(kubeconfig, h!.sb.kubeconfig);
    let stdout = "";
    let stderr = "";
    const code = await runDoctor(["--kubeconfig", kubeconfig, "-o", "json", ...args], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    assert.equal(stderr, "");
    return { code, report: JSON.parse(stdout) as Report };
  }

  const blocking = (r: Report) =>
    r.checks
      .filter((c) => c.severity === "blocking")
      .map((c) => `${c.scope}:${c.code}`)
      .sort();

  /** What the guest agent would report: the sandbox has no guest, so the test writes it into the VMI status. */
  function reportGuestKernel(name: string, kernelRelease: string) {
    const vmi = h!.sb.store.get(T.vmi, "default", name)!;
    const status = (vmi as unknown as { status: Record<string, unknown> }).status;
    h!.sb.store.update(T.vmi, { ...vmi, status: { ...status, guestOSInfo: { kernelRelease } } } as typeof vmi);
  }

  it("a v1.5 cluster from the release manifest: Stage and no LiveMigrate block, and the VM booted without hotplug", async () => {
    h = await Harness.start({ kubevirtVersion: "v1.5.0" });
    await h.createVm("web");
    await h.settle();
    const { code, report } = await doctor();
    assert.equal(code, EXIT.restart);
    assert.deepEqual(blocking(report), [
      "cluster:livemigrate-missing",
      "cluster:rollout-stage",
      "default/web:cpu-no-max",
      "default/web:memory-no-max",
    ]);
    assert.ok(report.checks.some((c) => c.code === "kubevirt-version" && /v1\.5\.0/.test(c.message)));
  });

  it("a hotplug-ready v1.9 cluster and a freshly booted VM: nothing blocks; then RestartRequired from the controller does", async () => {
    h = await Harness.start({ kubevirtVersion: "v1.9.0", kubevirt: hotplugReadyKubeVirtSpec("v1.9.0") });
    await h.createVm("web");
    await h.settle();
    reportGuestKernel("web", "6.1.0-56-amd64");
    const ready = await doctor(["web"]);
    assert.equal(ready.code, EXIT.ok, JSON.stringify(blocking(ready.report)));
    const headroom = ready.report.checks.find((c) => c.code === "cpu-headroom")!;
    assert.match(headroom.message, /1 of max 4 sockets/);
    assert.match(ready.report.checks.find((c) => c.code === "memory-headroom")!.message, /guest 2Gi of max 8Gi/);

    // a non-live-updatable change: the sandbox's VM controller sets RestartRequired
    await h.patchTemplate("web", { domain: { cpu: { sockets: 2, cores: 2 } } });
    await h.settle();
    const rr = await doctor();
    assert.equal(rr.code, EXIT.restart);
    const c = rr.report.checks.find((x) => x.code === "restart-required")!;
    assert.match(c.message, /a non-live-updatable field was changed in the template spec/);
  });

  it("an old guest kernel and a non-migratable VMI are named per VM", async () => {
    h = await Harness.start({ kubevirtVersion: "v1.9.0", kubevirt: hotplugReadyKubeVirtSpec("v1.9.0") });
    await h.createVm("old");
    await h.createVm("pinned", (m) => (m.metadata.annotations = { [SANDBOX_ANNOTATIONS.nonMigratable]: "true" }));
    await h.settle();
    reportGuestKernel("old", "5.4.0-150-generic");
    reportGuestKernel("pinned", "6.8.0-45-generic");
    const { code, report } = await doctor();
    assert.equal(code, EXIT.restart);
    assert.deepEqual(blocking(report), [
      "default/old:kernel-too-old-for-memory-hotplug",
      "default/pinned:not-migratable",
    ]);
  });
});
