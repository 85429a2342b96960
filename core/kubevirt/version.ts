/**
 * KubeVirt release versions: parsing and comparison. livevm supports v1.0.0 through v1.9.x.
 * Feature switches per version live in versionProfile.ts.
 */

export interface KubeVirtVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** the text as given, e.g. "v1.4.1" or "1.5" */
  readonly raw: string;
}

export class VersionError extends Error {
  constructor(
    readonly input: string,
    readonly why: string,
  ) {
    super(`invalid KubeVirt version ${JSON.stringify(input)}: ${why}`);
    this.name = "VersionError";
  }
}

export const OLDEST_SUPPORTED = { major: 1, minor: 0, patch: 0, raw: "v1.0.0" } as const satisfies KubeVirtVersion;
export const NEWEST_SUPPORTED = { major: 1, minor: 9, patch: 0, raw: "v1.9.0" } as const satisfies KubeVirtVersion;

const VERSION_RE = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?:[-+][0-9A-Za-z.+-]*)?$/;

/**
 * Parses "v1.4.1", "1.4.1", "1.4" (patch 0) and build suffixes such as "v1.3.0-rc.1" or
 * "v1.5.0-12+gabc" (the suffix is ignored: a pre-release is treated as its release).
 * Throws VersionError for anything else, and for versions outside v1.0–v1.9 when `supportedOnly`.
 */
export function parseKubeVirtVersion(input: string, supportedOnly = true): KubeVirtVersion {
  if (typeof input !== "string") throw new VersionError(String(input), "expected a string such as v1.4.1");
  const m = VERSION_RE.exec(input.trim());
  if (!m) throw new VersionError(input, "expected <major>.<minor>[.<patch>], e.g. v1.4.1 or 1.9");
  const version: KubeVirtVersion = {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    raw: input.trim(),
  };
  if (supportedOnly && !isSupported(version)) {
    throw new VersionError(
      input,
      `livevm supports KubeVirt ${OLDEST_SUPPORTED.raw} to v${NEWEST_SUPPORTED.major}.${NEWEST_SUPPORTED.minor}.x`,
    );
  }
  return version;
}

export function isSupported(v: KubeVirtVersion): boolean {
  return v.major === 1 && v.minor >= OLDEST_SUPPORTED.minor && v.minor <= NEWEST_SUPPORTED.minor;
}

export function compareVersions(a: KubeVirtVersion, b: KubeVirtVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when v >= "major.minor.patch". */
export function atLeast(v: KubeVirtVersion, minor: number, patch = 0, major = 1): boolean {
  return compareVersions(v, { major, minor, patch, raw: "" }) >= 0;
}

/**
 * True when v carries a fix that was released in several branches, e.g.
 * `hasBackport(v, [[1, 6, 4], [1, 7, 1], [1, 8, 0]])`: v1.6.4+ within 1.6, v1.7.1+ within 1.7, and any v1.8+.
 * Each entry is [major, minor, patch]; the last entry applies to all later minors too.
 */
export function hasBackport(v: KubeVirtVersion, fixedIn: ReadonlyArray<readonly [number, number, number]>): boolean {
  const sorted = [...fixedIn].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const first = sorted[0];
  if (!first) return false;
  const last = sorted[sorted.length - 1]!;
  if (atLeast(v, last[1], last[2], last[0])) return true;
  for (const [major, minor, patch] of sorted) {
    if (v.major === major && v.minor === minor) return v.patch >= patch;
  }
  return false;
}

export function formatVersion(v: KubeVirtVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}`;
}
