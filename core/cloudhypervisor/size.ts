/**
 * Cloud Hypervisor's size syntax (option_parser::ByteSized), exact as bigint.
 *
 *   size ::= digits [ "K" | "M" | "G" ]      (binary: K = 2^10, M = 2^20, G = 2^30)
 *
 * No lower case, no "T", no "B" suffix, no fraction, no sign. In VmConfig JSON a size is a plain integer
 * number of bytes; livevm also accepts the suffixed string form there, and bigints.
 */

export const KiB = 1n << 10n;
export const MiB = 1n << 20n;
export const GiB = 1n << 30n;

/** Sizes are u64 in Cloud Hypervisor, int64 in its OpenAPI file: the largest accepted value. */
export const MAX_SIZE = (1n << 63n) - 1n;

const SUFFIX: Record<string, bigint> = { "": 1n, K: KiB, M: MiB, G: GiB };
const SIZE_RE = /^(\d+)([KMG]?)$/;

export class SizeError extends Error {
  constructor(
    readonly input: unknown,
    readonly why: string,
  ) {
    super(`invalid size ${describe(input)}: ${why}`);
    this.name = "SizeError";
  }
}

function describe(input: unknown): string {
  if (typeof input === "bigint") return `${input}n`;
  if (typeof input === "string") return JSON.stringify(input.length > 40 ? input.slice(0, 40) + "…" : input);
  return String(input);
}

/** Parses a size (bytes as number or bigint, or "512M"/"2G"/"1048576"); throws SizeError saying what is expected. */
export function parseSize(input: unknown): bigint {
  let value: bigint;
  if (typeof input === "bigint") {
    value = input;
  } else if (typeof input === "number") {
    if (!Number.isInteger(input)) throw new SizeError(input, "expected a whole number of bytes");
    if (!Number.isSafeInteger(input)) {
      throw new SizeError(input, 'number too large to be exact: write it as a string, e.g. "64G"');
    }
    value = BigInt(input);
  } else if (typeof input === "string") {
    const m = SIZE_RE.exec(input);
    if (!m) {
      throw new SizeError(
        input,
        'expected bytes, or a whole number followed by K, M or G (binary, upper case), e.g. "512M" or "2G"',
      );
    }
    value = BigInt(m[1]!) * SUFFIX[m[2]!]!;
  } else {
    throw new SizeError(input, `expected a number of bytes or a size string such as "2G", got ${typeof input}`);
  }
  if (value < 0n) throw new SizeError(input, "must not be negative");
  if (value > MAX_SIZE) throw new SizeError(input, "larger than 2^63-1 bytes");
  return value;
}

/** The shortest exact form: "2G", "1536M", "4K" or plain bytes. */
export function formatSize(bytes: bigint): string {
  if (bytes !== 0n) {
    if (bytes % GiB === 0n) return `${bytes / GiB}G`;
    if (bytes % MiB === 0n) return `${bytes / MiB}M`;
    if (bytes % KiB === 0n) return `${bytes / KiB}K`;
  }
  return bytes.toString();
}

/** A readable form for messages: "2G (2147483648 bytes)". */
export function describeSize(bytes: bigint): string {
  const short = formatSize(bytes);
  return short === bytes.toString() ? `${bytes} bytes` : `${short} (${bytes} bytes)`;
}
