import * as memoryValidatorModule from "../memoryValidator";
import * as quantityModule from "../quantity";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import type { Verdict } from "./verdict";
import * as verdictModule from "./verdict";
import * as vmiStateModule from "./vmiState";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { validateLiveUpdateMemory } = memoryValidatorModule;
const { compareQuantities } = quantityModule;
const { restartRequired } = verdictModule;
const { conditionStatus, isLiveMigratable, isMigrating } = vmiStateModule;

const NOOP_STAGED =
  "KubeVirt's memory handler does nothing for this VM/VMI (no guest memory or memory status on one side) and sets no RestartRequired: the new guest memory applies at the next restart";

/**
 * `handleMemoryHotplugRequest` (vm.go, rules §1.4): v1.3+ checks in order, and the v1.2 subset
 * (no migratable check, no maxGuest-nil check, no validator). `defaultArchitecture` stands for an absent
 * template architecture.
 */
export function memoryHandler(
  desired: VmiSpec,
  vmi: VirtualMachineInstance,
  profile: VersionProfile,
  defaultArchitecture: string,
  predicted: boolean,
): Verdict {
  const vmGuest = desired.domain?.memory?.guest;
  const vmiMemory = vmi.spec.domain?.memory;
  const vmiGuest = vmiMemory?.guest;
  const status = vmi.status?.memory;
  if (vmGuest == null || vmiGuest == null || !status || status.guestCurrent == null) {
    return { outcome: "restart", reason: NOOP_STAGED };
  }
  const conditions = vmi.status?.conditions;
  if (profile.memoryHandlerFailedConditionRestart && conditionStatus(conditions, "HotMemoryChange") === "False") {
    return restartRequired(
      "memory updated in template spec. Memory-hotplug failed and is not available for this VM configuration",
    );
  }
  if (compareQuantities(vmGuest, vmiGuest) === 0) {
    return { outcome: "none", reason: `the running VMI already has guest memory ${String(vmiGuest)}` };
  }
  const maxGuest = vmiMemory?.maxGuest ?? undefined;
  if (profile.memoryHandlerChecksMigratable) {
    if (!isLiveMigratable(vmi)) {
      return restartRequired("memory updated in template spec. Memory-hotplug is only available for migratable VMs");
    }
    if (maxGuest === undefined) {
      return restartRequired(
        "memory updated in template spec. Memory-hotplug is not available for this VM configuration",
        predicted
          ? "the predicted VMI has no maxGuest: it booted under Stage, or its configuration failed the memory-hotplug validator"
          : "the VMI has no maxGuest",
      );
    }
  }
  let retry: string | undefined;
  if (conditionStatus(conditions, "HotMemoryChange") === "True") retry = "another memory hotplug is in progress";
  else if (isMigrating(vmi)) retry = "memory hotplug is not allowed while VMI is migrating";

  if (profile.memoryValidatorGeneration === "v1.3") {
    const problem = validateLiveUpdateMemory(desired, maxGuest, profile.version, defaultArchitecture);
    if (problem) return withRetry(restartRequired(`memory hotplug not supported, ${problem}`), retry);
  }
  const atBoot = status.guestAtBoot ?? undefined;
  if (atBoot !== undefined && compareQuantities(vmGuest, atBoot) < 0) {
    return withRetry(
      restartRequired(
        "memory updated in template spec to a value lower than what the VM started with",
        `booted with ${String(atBoot)}`,
      ),
      retry,
    );
  }
  if (maxGuest !== undefined && compareQuantities(vmGuest, maxGuest) > 0) {
    return withRetry(
      restartRequired(
        "memory updated in template spec to a value higher than what's available",
        `maxGuest ${String(maxGuest)}`,
      ),
      retry,
    );
  }
  const unplug = compareQuantities(vmGuest, vmiGuest) < 0 ? " (a hot-unplug through virtio-mem)" : "";
  if (maxGuest === undefined) {
    // v1.2: patched, but the VMI controller only raises HotMemoryChange when maxGuest is set
    return {
      outcome: "stuck",
      reason: `the VM controller patches the VMI's guest memory ${String(vmiGuest)} → ${String(vmGuest)}, but the VMI has no maxGuest (it started without memory hotplug), so no HotMemoryChange is raised and the memory never changes until a restart`,
      ...(retry ? { retry } : {}),
    };
  }
  return {
    outcome: "live",
    reason: `memory hotplug: the VM controller patches the VMI's guest memory ${String(vmiGuest)} → ${String(vmGuest)}${unplug}; the VMI gets HotMemoryChange`,
    needsMigration: "hotplug",
    ...(retry ? { retry } : {}),
  };
}

function withRetry(v: Verdict, retry: string | undefined): Verdict {
  return retry ? { ...v, retry } : v;
}
