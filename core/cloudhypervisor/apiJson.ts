/**
 * JSON for Cloud Hypervisor's API with exact integers: sizes are u64 in Cloud Hypervisor, so bigints are
 * written as plain JSON integers, and integers beyond 2^53 in a response are read back as bigints.
 */

/** JSON.stringify that writes bigints as JSON integers (never as strings or floats). */
export function stringifyApiJson(value: unknown): string {
  const marker = "\u0000bigint:";
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${marker}${v}` : v));
  if (text === undefined) throw new Error("value has no JSON form");
  // the marker can only appear inside a JSON string we produced: "\u0000bigint:123" -> 123
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, "$1");
}

interface ReviverContext {
  readonly source?: string;
}

/** JSON.parse keeping integers beyond Number.MAX_SAFE_INTEGER exact, as bigints. */
export function parseApiJson(text: string): unknown {
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
