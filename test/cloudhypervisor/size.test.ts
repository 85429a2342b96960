import assert from "node:assert/strict";
import fc from "fast-check";
import { formatSize, GiB, MiB, parseSize, SizeError } from "../../core/cloudhypervisor/size";
import { parseApiJson, stringifyApiJson } from "../../core/cloudhypervisor/apiJson";

describe("cloudhypervisor size syntax (ByteSized)", () => {
  const ok: [unknown, bigint][] = [
    [0, 0n],
    [1073741824, GiB],
    ["1073741824", GiB],
    ["512M", 512n * MiB],
    ["2G", 2n * GiB],
    ["4K", 4096n],
    [123n, 123n],
    ["9223372036854775807", (1n << 63n) - 1n],
  ];
  for (const [input, bytes] of ok) {
    it(`parses ${String(input)} as ${bytes} bytes`, () => assert.equal(parseSize(input), bytes));
  }
  const bad: [unknown, RegExp][] = [
    ["1g", /upper case/],
    ["1T", /K, M or G/],
    ["1GB", /K, M or G/],
    ["1.5G", /K, M or G/],
    ["-1", /K, M or G/],
    [-1, /negative/],
    [1.5, /whole number/],
    [2 ** 60, /too large to be exact/],
    ["9223372036854775808", /2\^63/],
    [true, /got boolean/],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(String(input))}`, () =>
      assert.throws(
        () => parseSize(input),
        (e: unknown) => e instanceof SizeError && message.test(e.message),
      ));
  }
  it("formats the shortest exact form and round-trips", () => {
    assert.equal(formatSize(1536n * MiB), "1536M");
    assert.equal(formatSize(2n * GiB), "2G");
    assert.equal(formatSize(1000n), "1000");
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), (n) => parseSize(formatSize(n)) === n));
  });
  it("writes and reads sizes beyond 2^53 exactly in API JSON", () => {
    const text = stringifyApiJson({ desired_ram: (1n << 62n) + 1n, id: "x" });
    assert.equal(text, '{"desired_ram":4611686018427387905,"id":"x"}');
    assert.deepEqual(parseApiJson(text), { desired_ram: (1n << 62n) + 1n, id: "x" });
  });
});
