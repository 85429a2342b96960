/** JSON with exact u64 integers, as Cloud Hypervisor's serde_json reads and writes them. */

export function toJson(value: unknown): string {
  const marker = "\u0000u64:";
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${marker}${v}` : v)) ?? "null";
  return text.replace(/"\\u0000u64:(-?\d+)"/g, "$1");
}

interface ReviverContext {
  readonly source?: string;
}

export function fromJson(text: string): unknown {
  return JSON.parse(text, function (this: unknown, _key: string, value: unknown, context?: ReviverContext) {
    if (
      typeof value === "number" &&
      !Number.isSafeInteger(value) &&
      context?.source &&
      /^-?\d+$/.test(context.source)
    ) {
      return BigInt(context.source);
    }
    return value;
  } as (this: unknown, key: string, value: unknown) => unknown);
}

/** A JSON integer (number or bigint) as a bigint, or undefined when it is not an integer. */
export function asU64(value: unknown): bigint | undefined {
  if (typeof value === "bigint") return value >= 0n ? value : undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}
