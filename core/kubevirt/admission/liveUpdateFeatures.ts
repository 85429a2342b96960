import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { AdmissionContext } from "./admissionContext";
import * as admissionContextModule from "./admissionContext";
import * as causeModule from "./cause";
import * as cpuHotplugModule from "./cpuHotplug";
import * as instancetypeModule from "./instancetype";
import * as legacyLiveUpdateMemoryModule from "./legacyLiveUpdateMemory";
import * as resourcesModule from "./resources";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { admissionSwitches } = admissionContextModule;
const { invalid, notSupported } = causeModule;
const { SOCKETS_ABOVE_MAX, validateLiveUpdateCpu } = cpuHotplugModule;
const { validateInstancetypeUnderLiveUpdate, validateLiveUpdateFeaturesWithInstancetype } = instancetypeModule;
const { validateLegacyLiveUpdateMemory } = legacyLiveUpdateMemoryModule;
const { hasResource } = resourcesModule;

const CPU_RESOURCES_NOT_ALLOWED =
  "Configuration of CPU resource requirements is not allowed when CPU live update is enabled";

/** hasCPURequestsOrLimits: a cpu key in requests or limits (after the defaults step), whatever its value. */
function hasCpuRequestsOrLimits(spec: VmiSpec): boolean {
  return hasResource(spec, "requests", "cpu") || hasResource(spec, "limits", "cpu");
}

/**
 * The VM-level live-update rules of vms-admitter.go, version by version. `vm` is the submitted VM and `spec` its
 * defaulted template spec (the copy KubeVirt validates).
 *
 * - v1.0–v1.1 (`spec.liveUpdateFeatures`): the VMLiveUpdateFeatures gate, no explicit maxSockets (v1.1: maxGuest)
 *   in the template, no instance type, sockets ≤ liveUpdateFeatures.cpu.maxSockets, no CPU requests/limits,
 *   and (v1.1) the memory-hotplug rules for liveUpdateFeatures.memory.maxGuest.
 * - v1.2+ (`validateLiveUpdateFeatures`, only when the rollout strategy is LiveUpdate): sockets ≤ explicit
 *   maxSockets; an explicit maxGuest must pass the memory validator; plus the v1.2.0–v1.2.1 extras and the
 *   v1.3–v1.4 updateVolumesStrategy gates.
 */
export function validateLiveUpdateFeatures(vm: VirtualMachine, spec: VmiSpec, ctx: AdmissionContext): AdmissionCause[] {
  const switches = admissionSwitches(ctx.version);
  return switches.liveUpdateFeaturesApi
    ? validateLiveUpdateFeaturesApi(vm, spec, ctx)
    : validateRolloutLiveUpdate(vm, spec, ctx);
}

function validateLiveUpdateFeaturesApi(vm: VirtualMachine, spec: VmiSpec, ctx: AdmissionContext): AdmissionCause[] {
  const switches = admissionSwitches(ctx.version);
  const features = vm.spec.liveUpdateFeatures;
  const causes: AdmissionCause[] = [];
  if (features !== undefined && !ctx.isFeatureGateEnabled("VMLiveUpdateFeatures")) {
    causes.push(
      invalid("spec.liveUpdateFeatures", "VMLiveUpdateFeatures feature gate is not enabled in kubevirt-config"),
    );
  }
  if ((spec.domain?.cpu?.maxSockets ?? 0) !== 0) {
    causes.push(
      notSupported(
        "spec.template.spec.domain.cpu.maxSockets",
        "CPU topology maxSockets cannot be set directy in VM template",
      ),
    );
  }
  // v1.0 checked the instance type only with liveUpdateFeatures.cpu, v1.1 with any liveUpdateFeatures
  const instancetypeApplies = switches.liveUpdateFeaturesMemory ? features !== undefined : features?.cpu !== undefined;
  if (instancetypeApplies) causes.push(...validateLiveUpdateFeaturesWithInstancetype(vm));
  if (features?.cpu !== undefined) {
    const sockets = spec.domain?.cpu?.sockets ?? 0;
    const maxSockets = features.cpu.maxSockets;
    if (sockets !== 0 && maxSockets !== undefined && sockets > maxSockets) {
      causes.push(invalid("spec.liveUpdateFeatures", SOCKETS_ABOVE_MAX));
    }
    if (hasCpuRequestsOrLimits(spec)) causes.push(invalid("spec.liveUpdateFeatures", CPU_RESOURCES_NOT_ALLOWED));
  }
  if (switches.liveUpdateFeaturesMemory) {
    if (spec.domain?.memory?.maxGuest !== undefined) {
      causes.push(
        notSupported(
          "spec.template.spec.domain.memory.maxGuest",
          "Memory maxGuest cannot be set directy in VM template",
        ),
      );
    }
    const maxGuest = features?.memory?.maxGuest;
    if (maxGuest !== undefined) {
      causes.push(
        ...validateLegacyLiveUpdateMemory(spec, {
          maxGuest,
          memoryLimitsField: "spec.liveUpdateFeatures",
          maxGuestField: "spec.liveUpdateFeatures.MaxGuest",
        }),
      );
    }
  }
  return causes;
}

function validateRolloutLiveUpdate(vm: VirtualMachine, spec: VmiSpec, ctx: AdmissionContext): AdmissionCause[] {
  if (!ctx.liveUpdate) return [];
  const switches = admissionSwitches(ctx.version);
  const causes: AdmissionCause[] = [];
  if (switches.instancetypeRejectedUnderLiveUpdate) causes.push(...validateInstancetypeUnderLiveUpdate(vm));
  causes.push(...validateLiveUpdateCpu(spec));
  if (switches.cpuResourcesRejectedUnderLiveUpdate && hasCpuRequestsOrLimits(spec)) {
    causes.push(invalid("spec.template.spec.domain.resources", CPU_RESOURCES_NOT_ALLOWED));
  }
  const maxGuest = spec.domain?.memory?.maxGuest;
  if (maxGuest !== undefined) {
    if (switches.legacyMemoryValidation) {
      causes.push(
        ...validateLegacyLiveUpdateMemory(spec, {
          maxGuest,
          memoryLimitsField: switches.memoryLimitsRejectedUnderLiveUpdate
            ? "spec.template.spec.domain.resources"
            : undefined,
          maxGuestField: "spec.template.spec.domain.memory.maxGuest",
        }),
      );
    } else {
      const message = ctx.validateLiveUpdateMemory(spec, maxGuest);
      if (message !== undefined) causes.push(invalid("spec.template.spec.domain.memory.guest", message));
    }
  }
  if (switches.volumesUpdateStrategyGates && vm.spec.updateVolumesStrategy !== undefined) {
    if (!ctx.isFeatureGateEnabled("VolumesUpdateStrategy")) {
      causes.push(
        invalid("updateVolumesStrategy", "VolumesUpdateStrategy feature gate is not enabled in kubevirt-config"),
      );
    }
    if (vm.spec.updateVolumesStrategy === "Migration" && !ctx.isFeatureGateEnabled("VolumeMigration")) {
      causes.push(invalid("updateVolumesStrategy", "VolumeMigration feature gate is not enabled in kubevirt-config"));
    }
  }
  return causes;
}
