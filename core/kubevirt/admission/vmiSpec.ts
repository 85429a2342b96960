import type { AdmissionCause } from "../plan";
import type { VmiSpec } from "../schema/common";
import { admissionSwitches, type AdmissionContext } from "./admissionContext";
import { validateArchitectureGate } from "./architecture";
import { validateCpuHotplug } from "./cpuHotplug";
import { validateCpuIsolatorThread, validateCpuPinning } from "./dedicatedCpu";
import { validateGuestMemoryLimit } from "./guestMemoryLimit";
import { validateHugepagesMemoryRequests } from "./hugepages";
import { validateNuma } from "./numa";
import { validateRealtime } from "./realtime";
import {
  validateCpuLimitNotNegative,
  validateCpuRequestDoesNotExceedLimit,
  validateCpuRequestNotNegative,
  validateMemoryLimitsNegativeOrNull,
  validateMemoryRequestsNegativeOrNull,
} from "./resourceRequirements";

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
