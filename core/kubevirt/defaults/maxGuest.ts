import type { ClusterConfig } from "../clusterConfig";
import * as memoryValidatorModule from "../memoryValidator";
import * as quantityModule from "../quantity";
import type { QuantityInput, VmiSpec } from "../schema/common";
import type { VersionProfile } from "../versionProfile";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { validateLiveUpdateMemory } = memoryValidatorModule;
const { formatQuantity, quantityCeil, quantityFromBigInt } = quantityModule;

export type MaxGuestSource =
  /** the VMI template (VM template, or the instance type's spec.memory.maxGuest from v1.3): kept, not validated */
  | "explicit"
  /** v1.1: spec.liveUpdateFeatures.memory.maxGuest */
  | "liveUpdateFeatures"
  /** the cluster's liveUpdateConfiguration.maxGuest */
  | "cluster"
  /** guest × maxHotplugRatio */
  | "ratio"
  /** no maxGuest: memory hotplug is not available to this VMI */
  | "none";

export interface MaxGuestInput {
  /** the VMI spec after the boot defaults (architecture, memory.guest from requests/limits/hugepages) */
  readonly spec: VmiSpec;
  /** v1.2: the VM template's memory stanza before the VMI defaults (the controller computed maxGuest first) */
  readonly templateMemory?: { readonly guest?: QuantityInput | undefined } | undefined;
  /** the VMI template's maxGuest (VM template, or the instance type from v1.3) */
  readonly explicitMaxGuest?: QuantityInput;
  /** v1.1: whether liveUpdateFeatures.memory is present, and its maxGuest */
  readonly liveUpdateFeaturesMemory?: boolean;
  readonly liveUpdateFeaturesMaxGuest?: QuantityInput;
  readonly cluster: ClusterConfig;
  readonly profile: VersionProfile;
}

export interface MaxGuestResult {
  readonly maxGuest: QuantityInput | undefined;
  readonly source: MaxGuestSource;
  /** why memory hotplug is off for this VMI (KubeVirt logs "memory-hotplug disabled: <reason>") */
  readonly disabledReason?: string;
}

/**
 * The maxGuest a VMI gets when it boots (rules §3.3): VM/instance type > cluster maxGuest > guest ×
 * maxHotplugRatio, then (v1.3+) `ValidateLiveUpdateMemory`; on failure maxGuest stays nil.
 */
export function computeMaxGuest(input: MaxGuestInput): MaxGuestResult {
  const { spec, cluster, profile } = input;
  const explicit = input.explicitMaxGuest;
  const guest = spec.domain?.memory?.guest ?? undefined;
  const ratio = cluster.maxHotplugRatio;

  if (!profile.memoryHotplug) {
    return explicit !== undefined
      ? { maxGuest: explicit, source: "explicit" }
      : { maxGuest: undefined, source: "none", disabledReason: `KubeVirt ${profile.label} has no memory hotplug` };
  }

  if (profile.liveUpdateFeaturesApi) {
    // v1.1 setupMemoryHotplug (VM controller), only with liveUpdateFeatures.memory; no validation
    if (!input.liveUpdateFeaturesMemory) {
      return explicit !== undefined
        ? { maxGuest: explicit, source: "explicit" }
        : { maxGuest: undefined, source: "none", disabledReason: "spec.liveUpdateFeatures.memory is not set" };
    }
    if (input.liveUpdateFeaturesMaxGuest !== undefined) {
      return { maxGuest: input.liveUpdateFeaturesMaxGuest, source: "liveUpdateFeatures" };
    }
    if (explicit !== undefined) return { maxGuest: explicit, source: "explicit" };
    if (cluster.maxGuest !== undefined) return { maxGuest: cluster.maxGuest, source: "cluster" };
    const tGuest = input.templateMemory?.guest;
    if (tGuest === undefined) return { maxGuest: undefined, source: "none", disabledReason: "memory.guest is not set" };
    return { maxGuest: times(tGuest, ratio), source: "ratio" };
  }

  if (explicit !== undefined) return { maxGuest: explicit, source: "explicit" };
  if (!cluster.liveUpdate) {
    return { maxGuest: undefined, source: "none", disabledReason: "the VM rollout strategy is not LiveUpdate" };
  }
  if (profile.armSkipsHotplugDefaults && spec.architecture === "arm64") {
    return { maxGuest: undefined, source: "none", disabledReason: "hotplug defaults are skipped on arm64" };
  }

  if (!profile.maxGuestValidatedAtDefaults) {
    // v1.2 VM controller: needs a memory stanza in the VM template; no validation
    if (!input.templateMemory) {
      return { maxGuest: undefined, source: "none", disabledReason: "the VM template has no domain.memory" };
    }
    if (cluster.maxGuest !== undefined) return { maxGuest: cluster.maxGuest, source: "cluster" };
    const tGuest = input.templateMemory.guest;
    if (tGuest === undefined) {
      return { maxGuest: undefined, source: "none", disabledReason: "the VM template has no memory.guest" };
    }
    return { maxGuest: times(tGuest, ratio), source: "ratio" };
  }

  let candidate: QuantityInput | undefined;
  let source: MaxGuestSource = "none";
  if (cluster.maxGuest !== undefined) {
    candidate = cluster.maxGuest;
    source = "cluster";
  } else if (guest !== undefined) {
    candidate = times(guest, ratio);
    source = "ratio";
  }
  const problem = validateLiveUpdateMemory(spec, candidate, profile.version, cluster.defaultArchitecture);
  if (problem) return { maxGuest: undefined, source: "none", disabledReason: problem };
  return { maxGuest: candidate, source };
}

/** `resource.NewQuantity(guest.Value() * ratio, BinarySI)` */
function times(q: QuantityInput, ratio: number): string {
  return formatQuantity(quantityFromBigInt(quantityCeil(q) * BigInt(ratio)));
}
