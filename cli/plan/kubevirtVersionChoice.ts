import type { KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import {
  formatVersion,
  NEWEST_SUPPORTED,
  parseKubeVirtVersion,
  VersionError,
  type KubeVirtVersion,
} from "../../core/kubevirt/version";
import { InputError } from "./inputError";

export type VersionSource = "flag" | "kubevirt" | "default";

export interface VersionChoice {
  readonly version: KubeVirtVersion;
  /** v1.9.0 */
  readonly text: string;
  readonly source: VersionSource;
  /** a sentence for the output, e.g. why the newest version was assumed */
  readonly note: string;
}

/**
 * Which KubeVirt version to plan for: --kubevirt-version, else the CR's status.observedKubeVirtVersion,
 * else the newest supported one (and the note says it was assumed).
 */
export function chooseKubeVirtVersion(
  flag: KubeVirtVersion | undefined,
  cr: { kubevirt: KubeVirt; location: string } | undefined,
): VersionChoice {
  if (flag) {
    return {
      version: flag,
      text: formatVersion(flag),
      source: "flag",
      note: `KubeVirt ${formatVersion(flag)} (from --kubevirt-version)`,
    };
  }
  const observed = cr?.kubevirt.status?.observedKubeVirtVersion;
  if (cr && observed !== undefined) {
    let version: KubeVirtVersion;
    try {
      version = parseKubeVirtVersion(observed);
    } catch (e) {
      if (e instanceof VersionError) {
        throw new InputError(
          `${cr.location}: KubeVirt status.observedKubeVirtVersion: ${e.message} (or give --kubevirt-version)`,
        );
      }
      throw e;
    }
    return {
      version,
      text: formatVersion(version),
      source: "kubevirt",
      note: `KubeVirt ${formatVersion(version)} (status.observedKubeVirtVersion of ${cr.location})`,
    };
  }
  const newest = NEWEST_SUPPORTED;
  const why = cr
    ? `${cr.location} has no status.observedKubeVirtVersion and no --kubevirt-version was given`
    : "neither --kubevirt nor --kubevirt-version was given";
  return {
    version: newest,
    text: formatVersion(newest),
    source: "default",
    note: `KubeVirt ${formatVersion(newest)} assumed, the newest supported version: ${why}`,
  };
}
