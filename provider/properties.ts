/**
 * Pulumi property values on the wire (google.protobuf.Struct as JSON) versus the plain data handlers see.
 *
 * On the wire: unknowns (preview) are the string UNKNOWN_WIRE; secrets are
 * `{ [SIG]: SECRET_SIG, value }`; output values (only if acceptOutputs) are `{ [SIG]: OUTPUT_SIG, value?, secret? }`.
 * For handlers: unknowns are the `UNKNOWN` sentinel; secrets are unwrapped and their paths remembered so
 * the same paths can be marked secret again in outputs.
 */

export const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

class Unknown {
  toString(): string {
    return "<unknown>";
  }
  toJSON(): string {
    return UNKNOWN_WIRE;
  }
}

/** The one value standing for "not known until apply" (preview). */
export const UNKNOWN: unknown = Object.freeze(new Unknown());

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** A path into a property value: object keys and array indices. */
export type PropertyPathSegments = readonly (string | number)[];

export interface DecodedProperties {
  readonly value: Record<string, unknown>;
  /** paths of values that were secret on the wire */
  readonly secretPaths: readonly PropertyPathSegments[];
}

/** True when a decoded value contains UNKNOWN anywhere. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Wire JSON (Struct.toJavaScript()) to handler data. */
export function decodeProperties(wire: Record<string, unknown> | undefined): DecodedProperties {
  const secretPaths: PropertyPathSegments[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (v === UNKNOWN_WIRE) return UNKNOWN;
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (isPlainObject(v)) {
      const sig = v[SIG_KEY];
      if (sig === SECRET_SIG) {
        secretPaths.push(path);
        return walk(v["value"], path);
      }
      if (sig === OUTPUT_SIG) {
        if (v["secret"] === true) secretPaths.push(path);
        return "value" in v ? walk(v["value"], path) : UNKNOWN;
      }
      if (sig === RESOURCE_SIG) {
        return "id" in v ? walk(v["id"], path) : walk(v["urn"], path);
      }
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, [...path, k]);
      return out;
    }
    return v;
  };
  const value = (wire ? walk(wire, []) : {}) as Record<string, unknown>;
  return { value, secretPaths };
}

function pathKey(path: PropertyPathSegments): string {
  return JSON.stringify(path);
}

/**
 * Handler data to wire JSON: UNKNOWN becomes the unknown sentinel, and the value at each of
 * `secretPaths` (when present) is wrapped as a secret.
 */
export function encodeProperties(
  value: Record<string, unknown>,
  secretPaths: readonly PropertyPathSegments[] = [],
): Record<string, unknown> {
  const secrets = new Set(secretPaths.map(pathKey));
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    let out: unknown;
    if (v === UNKNOWN) out = UNKNOWN_WIRE;
    else if (Array.isArray(v)) out = v.map((x, i) => walk(x, [...path, i]));
    else if (isPlainObject(v)) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = walk(x, [...path, k]);
      out = o;
    } else out = v === undefined ? null : v;
    if (path.length > 0 && secrets.has(pathKey(path))) return { [SIG_KEY]: SECRET_SIG, value: out };
    return out;
  };
  return walk(value, []) as Record<string, unknown>;
}

/** True when `value` has something at `path` (so a secret mark there means something). */
export function hasPath(value: unknown, path: PropertyPathSegments): boolean {
  let cur: unknown = value;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return false;
    if (!(seg in (cur as object))) return false;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return true;
}

/**
 * Formats a path the way Pulumi's detailed diff and property paths expect:
 * `spec.template.spec.volumes[0].name`, `metadata.labels["app.kubernetes.io/name"]`.
 */
export function formatPropertyPath(path: PropertyPathSegments): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += (out ? "." : "") + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
