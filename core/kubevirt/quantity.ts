/**
 * Kubernetes resource quantities, exact (no floating point).
 *
 * Grammar (k8s.io/apimachinery/pkg/api/resource/quantity.go):
 *   quantity ::= [sign] number suffix
 *   number   ::= digits | digits "." digits | digits "." | "." digits
 *   suffix   ::= binarySI (Ki Mi Gi Ti Pi Ei) | decimalSI (n u m "" k M G T P E) | ("e"|"E") [sign] digits
 *
 * A value is held as `mantissa * 10^exponent` with a bigint mantissa, so every accepted form is exact.
 * Like Kubernetes, values finer than nano (1e-9) are rounded up to the next nano.
 */

export type QuantityFormat = "BinarySI" | "DecimalSI" | "DecimalExponent";

export interface Quantity {
  /** value = mantissa * 10^exponent */
  readonly mantissa: bigint;
  readonly exponent: number;
  /** the format of the input, used to choose the canonical suffix family */
  readonly format: QuantityFormat;
}

export class QuantityError extends Error {
  constructor(
    readonly input: string,
    readonly why: string,
  ) {
    super(`invalid quantity ${JSON.stringify(input)}: ${why}`);
    this.name = "QuantityError";
  }
}

const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL).map(([s, e]) => [e, s] as const));
const BINARY_SUFFIX_BY_POWER = new Map(Object.entries(BINARY).map(([s, p]) => [p, s] as const));

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;
const MAX_INPUT_LENGTH = 256;
const MIN_EXPONENT = -9;

// 10^n for the exponents quantities use, computed once (bigint exponentiation is slow on every comparison)
const POWERS_OF_TEN: readonly bigint[] = Array.from({ length: 64 }, (_, n) => 10n ** BigInt(n));

/** 10^n as a bigint, n >= 0. */
function pow10(n: number): bigint {
  return POWERS_OF_TEN[n] ?? 10n ** BigInt(n);
}

// Manifests repeat the same few quantities ("2Gi", "500m"): parsed values are immutable, so they are memoised.
const PARSED = new Map<string | number, Quantity>();
const PARSED_LIMIT = 4096;

/** Parses a quantity string or number; throws QuantityError naming the input and the reason. */
export function parseQuantity(input: string | number): Quantity {
  const known = PARSED.get(input);
  if (known) return known;
  const parsed = parseQuantityUncached(input);
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(input, parsed);
  return parsed;
}

function parseQuantityUncached(input: string | number): Quantity {
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new QuantityError(String(input), "not a finite number");
    input = numberToPlainString(input);
  }
  if (typeof input !== "string") throw new QuantityError(String(input), "expected a string or a number");
  if (input.length === 0) throw new QuantityError(input, "empty string");
  if (input.length > MAX_INPUT_LENGTH) throw new QuantityError(input.slice(0, 32) + "…", "too long");
  if (input.trim() !== input) throw new QuantityError(input, "leading or trailing whitespace");
  const m = NUMBER_RE.exec(input);
  if (!m) throw new QuantityError(input, "expected a number followed by an optional suffix");
  const [, sign = "", intDigits = "", fracDigitsRaw, suffix = ""] = m;
  const fracDigits = fracDigitsRaw ?? "";
  if (intDigits === "" && fracDigits === "") {
    throw new QuantityError(input, "expected digits before the suffix, e.g. 1Gi, 500m, 1.5");
  }
  let mantissa = BigInt((intDigits || "0") + fracDigits);
  let exponent = -fracDigits.length;
  let format: QuantityFormat;
  if (suffix in BINARY) {
    format = "BinarySI";
    mantissa *= 1024n ** BigInt(BINARY[suffix]!);
  } else if (suffix in DECIMAL) {
    format = "DecimalSI";
    exponent += DECIMAL[suffix]!;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = "DecimalExponent";
    const e = Number(suffix.slice(1));
    if (!Number.isSafeInteger(e) || Math.abs(e) > 1000) throw new QuantityError(input, "exponent out of range");
    exponent += e;
  } else {
    throw new QuantityError(
      input,
      `unknown suffix ${JSON.stringify(suffix)}: expected one of Ki Mi Gi Ti Pi Ei, n u m k M G T P E, or e<exponent>`,
    );
  }
  if (sign === "-") mantissa = -mantissa;
  return normalize({ mantissa, exponent, format });
}

/** True when the input parses as a quantity. */
export function isQuantity(input: unknown): input is string | number {
  if (typeof input !== "string" && typeof input !== "number") return false;
  try {
    parseQuantity(input);
    return true;
  } catch {
    return false;
  }
}

function numberToPlainString(n: number): string {
  // Numbers in manifests (e.g. `cpu: 2`) are exact decimals in their shortest round-trip form.
  const s = String(n);
  return s.replace(/e\+?/, "e");
}

/** Removes trailing zeros from the mantissa and rounds finer-than-nano values up, as Kubernetes does. */
function normalize(q: Quantity): Quantity {
  let { mantissa, exponent } = q;
  if (exponent < MIN_EXPONENT) {
    const div = pow10(MIN_EXPONENT - exponent);
    const quotient = mantissa / div;
    const rem = mantissa % div;
    mantissa = rem === 0n ? quotient : mantissa > 0n ? quotient + 1n : quotient;
    exponent = MIN_EXPONENT;
  }
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0, format: q.format };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  return { mantissa, exponent, format: q.format };
}

function align(a: Quantity, b: Quantity): [bigint, bigint, number] {
  if (a.exponent === b.exponent) return [a.mantissa, b.mantissa, a.exponent]; // the common case, without scaling
  const e = Math.min(a.exponent, b.exponent);
  return [a.mantissa * pow10(a.exponent - e), b.mantissa * pow10(b.exponent - e), e];
}

function toQuantity(q: Quantity | string | number): Quantity {
  return typeof q === "object" ? q : parseQuantity(q);
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity | string | number, b: Quantity | string | number): -1 | 0 | 1 {
  const [x, y] = align(toQuantity(a), toQuantity(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function quantitiesEqual(a: Quantity | string | number, b: Quantity | string | number): boolean {
  return compareQuantities(a, b) === 0;
}

export function addQuantities(a: Quantity | string | number, b: Quantity | string | number): Quantity {
  const qa = toQuantity(a);
  const qb = toQuantity(b);
  const [x, y, e] = align(qa, qb);
  return normalize({ mantissa: x + y, exponent: e, format: qa.format });
}

export function subtractQuantities(a: Quantity | string | number, b: Quantity | string | number): Quantity {
  const qb = toQuantity(b);
  return addQuantities(a, { ...qb, mantissa: -qb.mantissa });
}

/** Multiplies by an integer factor (e.g. maxHotplugRatio). */
export function multiplyQuantity(a: Quantity | string | number, factor: number | bigint): Quantity {
  const q = toQuantity(a);
  return normalize({ ...q, mantissa: q.mantissa * BigInt(factor) });
}

/** The value in bytes (or base units) when it is a whole number, else undefined. */
export function quantityToBigInt(a: Quantity | string | number): bigint | undefined {
  const q = toQuantity(a);
  if (q.exponent >= 0) return q.mantissa * pow10(q.exponent);
  const div = pow10(-q.exponent);
  return q.mantissa % div === 0n ? q.mantissa / div : undefined;
}

/** The value rounded up to a whole number of base units (Kubernetes' Value()). */
export function quantityCeil(a: Quantity | string | number): bigint {
  const q = toQuantity(a);
  if (q.exponent === 0) return q.mantissa; // the common case (byte counts), without scaling
  if (q.exponent > 0) return q.mantissa * pow10(q.exponent);
  const div = pow10(-q.exponent);
  const quotient = q.mantissa / div;
  return q.mantissa % div !== 0n && q.mantissa > 0n ? quotient + 1n : quotient;
}

/** The value in thousandths, rounded up (Kubernetes' MilliValue()). */
export function quantityMilli(a: Quantity | string | number): bigint {
  const q = toQuantity(a);
  return quantityCeil({ ...q, exponent: q.exponent + 3 });
}

/** True when a is a whole multiple of `unit` base units (e.g. 2Mi alignment). */
export function isMultipleOf(a: Quantity | string | number, unit: bigint): boolean {
  const v = quantityToBigInt(a);
  return v !== undefined && v % unit === 0n;
}

export function quantityFromBigInt(value: bigint, format: QuantityFormat = "BinarySI"): Quantity {
  return normalize({ mantissa: value, exponent: 0, format });
}

/** Canonical string form, as Kubernetes serializes a quantity. */
export function formatQuantity(a: Quantity | string | number): string {
  const q = toQuantity(a);
  if (q.mantissa === 0n) return "0";
  const negative = q.mantissa < 0n;
  const abs: Quantity = { ...q, mantissa: negative ? -q.mantissa : q.mantissa };
  const body = formatPositive(abs);
  return negative ? "-" + body : body;
}

function formatPositive(q: Quantity): string {
  if (q.format === "BinarySI") {
    const whole = quantityToBigInt(q);
    if (whole !== undefined && whole >= 1024n) {
      let power = 0;
      let v = whole;
      while (power < 6 && v % 1024n === 0n) {
        v /= 1024n;
        power += 1;
      }
      return v.toString() + (power === 0 ? "" : BINARY_SUFFIX_BY_POWER.get(power)!);
    }
    return formatDecimal(q, "DecimalSI");
  }
  return formatDecimal(q, q.format);
}

function formatDecimal(q: Quantity, format: "DecimalSI" | "DecimalExponent"): string {
  // exponent rounded down to a multiple of 3, so that the mantissa stays a whole number
  let e = Math.floor(q.exponent / 3) * 3;
  let mantissa = q.mantissa * pow10(q.exponent - e);
  if (format === "DecimalSI") {
    if (e > 18) {
      mantissa *= pow10(e - 18);
      e = 18;
    }
    return mantissa.toString() + DECIMAL_SUFFIX_BY_EXPONENT.get(e)!;
  }
  return mantissa.toString() + (e === 0 ? "" : `e${e}`);
}

/** Describes why a value is not a quantity, or undefined when it is one. */
export function quantityProblem(input: unknown): string | undefined {
  if (typeof input !== "string" && typeof input !== "number") return `expected a quantity string, got ${typeof input}`;
  try {
    parseQuantity(input);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export const Ki = 1024n;
export const Mi = 1024n * Ki;
export const Gi = 1024n * Mi;
