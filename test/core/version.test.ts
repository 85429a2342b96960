import assert from "node:assert/strict";
import { atLeast, hasBackport, parseKubeVirtVersion } from "../../core/kubevirt/version";

describe("core/kubevirt/version", () => {
  it("parses release, short and build forms", () => {
    assert.deepEqual(
      [parseKubeVirtVersion("v1.4.1"), parseKubeVirtVersion("1.5"), parseKubeVirtVersion("v1.3.0-rc.1")].map((v) => [
        v.minor,
        v.patch,
      ]),
      [
        [4, 1],
        [5, 0],
        [3, 0],
      ],
    );
  });
  it("rejects unsupported and malformed versions, naming them", () => {
    assert.throws(() => parseKubeVirtVersion("v0.59.0"), /v0\.59\.0.*supports KubeVirt v1\.0\.0 to v1\.9\.x/);
    assert.throws(() => parseKubeVirtVersion("v2.0.0"), /v2\.0\.0/);
    assert.throws(() => parseKubeVirtVersion("latest"), /"latest".*expected/);
  });
  it("compares with backports", () => {
    const fixed = [
      [1, 6, 4],
      [1, 7, 1],
      [1, 8, 0],
    ] as const;
    const check = (v: string) => hasBackport(parseKubeVirtVersion(v), fixed);
    assert.deepEqual(["v1.5.9", "v1.6.3", "v1.6.4", "v1.7.0", "v1.7.1", "v1.8.0", "v1.9.2"].map(check), [
      false,
      false,
      true,
      false,
      true,
      true,
      true,
    ]);
    assert.equal(atLeast(parseKubeVirtVersion("v1.4.1"), 4, 1), true);
    assert.equal(atLeast(parseKubeVirtVersion("v1.4.0"), 4, 1), false);
  });
});
