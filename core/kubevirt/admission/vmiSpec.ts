import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import type { AdmissionContext } from "./admissionContext";
import * as admissionContextModule from "./admissionContext";
import * as architectureModule from "./architecture";
import * as cpuHotplugModule from "./cpuHotplug";
import * as dedicatedCpuModule from "./dedicatedCpu";
import * as guestMemoryLimitModule from "./guestMemoryLimit";
import * as hugepagesModule from "./hugepages";
import * as numaModule from "./numa";
import * as realtimeModule from "./realtime";
import * as resourceRequirementsModule from "./resourceRequirements";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { admissionSwitches } = admissionContextModule;
const { validateArchitectureGate } = architectureModule;
const { validateCpuHotplug } = cpuHotplugModule;
const { validateCpuIsolatorThread, validateCpuPinning } = dedicatedCpuModule;
const { validateGuestMemoryLimit } = guestMemoryLimitModule;
const { validateHugepagesMemoryRequests } = hugepagesModule;
const { validateNuma } = numaModule;
const { validateRealtime } = realtimeModule;
const {
  validateCpuLimitNotNegative,
  validateCpuRequestDoesNotExceedLimit,
  validateCpuRequestNotNegative,
  validateMemoryLimitsNegativeOrNull,
  validateMemoryRequestsNegativeOrNull,
} = resourceRequirementsModule;

/**
 * The CPU/memory/dedicated-CPU/NUMA/realtime/architecture part of `ValidateVirtualMachineInstanceSpec`
 * (vmi-create-admitter.go), in KubeVirt's order, for the version in `ctx`. The VM admitter runs it on the
 * defaulted template with prefix `spec.template.spec`; the VMI admitter on a VMI spec with prefix `spec`.
 */
export function validateVirtualMachineInstanceSpec(
  prefix: string,
  spec: VmiSpec,
  ctx: AdmissionContext,
): AdmissionCause[] {
  const s = admissionSwitches(ctx.version);
  return [
    ...validateMemoryRequestsNegativeOrNull(prefix, spec),
    ...validateMemoryLimitsNegativeOrNull(prefix, spec),
    ...validateHugepagesMemoryRequests(prefix, spec, {
      fallbackToGuestAndLimits: s.memoryFallbacks,
      pageSizePath: s.hugepagesPageSizePath,
    }),
    ...validateGuestMemoryLimit(prefix, spec, {
      liveUpdate: ctx.liveUpdate,
      skippedUnderLiveUpdate: s.guestMemoryLimitSkippedUnderLiveUpdate,
    }),
    ...validateCpuRequestNotNegative(prefix, spec),
    ...validateCpuLimitNotNegative(prefix, spec),
    ...validateCpuRequestDoesNotExceedLimit(prefix, spec),
    ...validateCpuPinning(prefix, spec, {
      armThreadRule: s.armThreadRule,
      defaultArchitecture: ctx.defaultArchitecture,
      memoryFromHugepagesOrGuest: s.memoryFallbacks,
    }),
    ...validateNuma(prefix, spec, { gateEnabled: !s.numaGateRequired || ctx.isFeatureGateEnabled("NUMA") }),
    ...validateCpuIsolatorThread(prefix, spec),
    ...validateCpuHotplug(prefix, spec),
    ...validateRealtime(prefix, spec),
    ...(s.multiArchitectureGate
      ? validateArchitectureGate(prefix, spec, {
          nativeArchitecture: ctx.nativeArchitecture,
          gateEnabled: ctx.isFeatureGateEnabled("MultiArchitecture"),
          gateName: s.multiArchitectureGateName,
        })
      : []),
  ];
}
