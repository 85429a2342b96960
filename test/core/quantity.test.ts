import assert from "node:assert/strict";
import {
  addQuantities,
  compareQuantities,
  formatQuantity,
  isMultipleOf,
  Mi,
  multiplyQuantity,
  parseQuantity,
  quantityMilli,
  quantityToBigInt,
  subtractQuantities,
} from "../../core/kubevirt/quantity";

describe("core/kubevirt/quantity", () => {
  const bytes: Array<[string | number, bigint]> = [
    ["1Gi", 1073741824n],
    ["1024Mi", 1073741824n],
    ["1G", 1000000000n],
    ["1e9", 1000000000n],
    ["1E9", 1000000000n],
    ["0.5Gi", 536870912n],
    [".5Gi", 536870912n],
    ["5.Gi", 5368709120n],
    ["+2Ki", 2048n],
    ["-2Ki", -2048n],
    ["128974848", 128974848n],
    ["129e6", 129000000n],
    ["123Mi", 128974848n],
    [2, 2n],
    ["1Ei", 1152921504606846976n],
    ["8E", 8000000000000000000n],
  ];
  for (const [input, expected] of bytes) {
    it(`parses ${JSON.stringify(input)} exactly`, () => assert.equal(quantityToBigInt(input), expected));
  }

  it("keeps fractions exact", () => {
    assert.equal(quantityMilli("1.5"), 1500n);
    assert.equal(quantityMilli("100m"), 100n);
    assert.equal(quantityToBigInt("1.5"), undefined);
    assert.equal(compareQuantities("0.1", "100m"), 0);
    assert.equal(compareQuantities("1.000000001", "1"), 1);
  });

  it("rounds finer than nano up, as Kubernetes does", () => {
    assert.equal(formatQuantity("0.0000000001"), "1n");
  });

  for (const bad of ["", "Gi", "1.2.3", "1GiB", "1 Gi", " 1Gi", "abc", "1e", "--1", "1ki", "0x10", "1e1.5"]) {
    it(`rejects ${JSON.stringify(bad)} with the input and the reason`, () => {
      assert.throws(
        () => parseQuantity(bad),
        (e: Error) => e.message.includes(JSON.stringify(bad)),
      );
    });
  }

  const canonical: Array<[string, string]> = [
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["1.5Gi", "1536Mi"],
    ["1.5", "1500m"],
    ["1000", "1k"],
    ["1500", "1500"],
    ["0.5Ki", "512"],
    ["12e6", "12e6"],
    ["1e3", "1e3"],
    ["0", "0"],
    ["-1Gi", "-1Gi"],
    ["2048", "2048"],
  ];
  for (const [input, expected] of canonical) {
    it(`formats ${input} canonically as ${expected}`, () => assert.equal(formatQuantity(input), expected));
  }

  it("adds, subtracts and multiplies exactly", () => {
    assert.equal(formatQuantity(addQuantities("1Gi", "512Mi")), "1536Mi");
    assert.equal(formatQuantity(subtractQuantities("2Gi", "1Gi")), "1Gi");
    assert.equal(formatQuantity(multiplyQuantity("1Gi", 4)), "4Gi");
    assert.equal(formatQuantity(addQuantities("100m", "0.9")), "1");
  });

  it("checks alignment", () => {
    assert.equal(isMultipleOf("1Gi", 2n * Mi), true);
    assert.equal(isMultipleOf("1001Mi", 2n * Mi), false);
    assert.equal(isMultipleOf("1.5", 2n * Mi), false);
  });
});
