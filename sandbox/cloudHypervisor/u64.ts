/** Cloud Hypervisor's sizes are u64: the API codec (exact integers) is core/cloudhypervisor/apiJson.ts. */

/** A JSON integer (number or bigint) as a bigint, or undefined when it is not an integer. */
export function asU64(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value >= 0n ? value : undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}
