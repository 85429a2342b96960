import assert from "node:assert/strict";
import { checkMemoryHotplugKernel, parseKernelRelease } from "../../../core/guestReadiness/kernelRelease";

describe("core/guestReadiness/kernelRelease", () => {
  it("parses distribution kernel releases", () => {
    assert.deepEqual(parseKernelRelease("6.1.0-56-amd64"), { major: 6, minor: 1, patch: 0, raw: "6.1.0-56-amd64" });
    assert.deepEqual(parseKernelRelease("5.14.0-427.13.1.el9_4.x86_64")?.minor, 14);
    assert.equal(parseKernelRelease("4.18")?.patch, 0);
    assert.equal(parseKernelRelease("Windows 10"), undefined);
  });

  it("needs Linux 5.8 or newer for memory hotplug", () => {
    assert.deepEqual(
      [
        "4.18.0-553.el8_10.x86_64",
        "5.4.0-150-generic",
        "5.7.19",
        "5.8.0",
        "5.15.0-91-generic",
        "6.1.0-56-amd64",
        "10.0.1",
      ].map((r) => checkMemoryHotplugKernel(r).severity),
      ["blocking", "blocking", "blocking", "ok", "ok", "ok", "ok"],
    );
    assert.match(
      checkMemoryHotplugKernel("5.4.0-150-generic").message,
      /Linux 5\.4 is older than 5\.8, where the virtio-mem driver arrived/,
    );
  });

  it("warns when the release is unknown or not Linux", () => {
    assert.equal(checkMemoryHotplugKernel(undefined).code, "kernel-unknown");
    assert.equal(checkMemoryHotplugKernel("").code, "kernel-unknown");
    assert.equal(checkMemoryHotplugKernel("NT").code, "kernel-unparseable");
  });
});
