import { formatSize } from "./size";

/**
 * Comparing and showing VmConfig values: sizes are bigints after parsing, so equality is structural with
 * exact integers, and plans show sizes in Cloud Hypervisor's own form ("2G", "1536M").
 */

export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") {
    const x = toBigInt(a);
    const y = toBigInt(b);
    return x !== undefined && y !== undefined && x === y;
  }
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!sameValue(ra[key], rb[key])) return false;
  return true;
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  return undefined;
}

/** A value as a plan shows it: bigints (sizes) as "2G"-style strings, everything else as it is. */
export function displayValue(value: unknown): unknown {
  if (typeof value === "bigint") return formatSize(value);
  if (Array.isArray(value)) return value.map(displayValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, displayValue(v)]));
  }
  return value;
}

/**
 * Keys of `after` whose value differs from `before`. A key left out of `after` keeps its value (Cloud
 * Hypervisor fills its defaults into the config it reports, so an absent key is not a change).
 */
export function changedKeys(
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
  skip: ReadonlySet<string>,
): string[] {
  if (!after) return [];
  return Object.keys(after).filter(
    (key) => !skip.has(key) && after[key] !== undefined && !sameValue(before?.[key], after[key]),
  );
}

/**
 * A config as Cloud Hypervisor reports it, without its nulls: serde writes every unset Option as null
 * (hotplug_size, balloon, vsock, ...), which livevm's schema reads as "absent".
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  }
  return value;
}
