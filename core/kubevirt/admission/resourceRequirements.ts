import type { AdmissionCause } from "../plan";
import * as quantityModule from "../quantity";
import type { VmiSpec } from "../schema/common";
import * as causeModule from "./cause";
import * as resourcesModule from "./resources";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { compareQuantities } = quantityModule;
const { child, invalid } = causeModule;
const { resourceMilli, resourceQuantity, resourceString, resourceValue } = resourcesModule;

/**
 * The CPU and memory requests/limits sanity rules of `ValidateVirtualMachineInstanceSpec`
 * (vmi-create-admitter.go), identical from v1.0 to v1.9. Each returns its causes in KubeVirt's order.
 */

const MUST_BE_POSITIVE = (field: string, value: string) => `${field} '${value}': must be greater than or equal to 0.`;

/** validateMemoryRequestsNegativeOrNull */
export function validateMemoryRequestsNegativeOrNull(prefix: string, spec: VmiSpec): AdmissionCause[] {
  const value = resourceValue(spec, "requests", "memory");
  if (value === 0n) return [];
  const field = child(prefix, "domain", "resources", "requests", "memory");
  if (value < 0n) return [invalid(field, MUST_BE_POSITIVE(field, resourceString(spec, "requests", "memory")))];
  if (compareQuantities(resourceQuantity(spec, "requests", "memory"), "1M") < 0) {
    return [
      invalid(field, `${field} '${resourceString(spec, "requests", "memory")}': must be greater than or equal to 1M.`),
    ];
  }
  return [];
}

/** validateMemoryLimitsNegativeOrNull (also: requests.memory greater than limits.memory) */
export function validateMemoryLimitsNegativeOrNull(prefix: string, spec: VmiSpec): AdmissionCause[] {
  const causes: AdmissionCause[] = [];
  const limits = resourceValue(spec, "limits", "memory");
  if (limits === 0n) return causes;
  const limitsField = child(prefix, "domain", "resources", "limits", "memory");
  const requestsField = child(prefix, "domain", "resources", "requests", "memory");
  if (limits < 0n)
    causes.push(invalid(limitsField, MUST_BE_POSITIVE(limitsField, resourceString(spec, "limits", "memory"))));
  if (limits > 0n && resourceValue(spec, "requests", "memory") > limits) {
    causes.push(
      invalid(
        requestsField,
        `${requestsField} '${resourceString(spec, "requests", "memory")}' is greater than ${limitsField} '${resourceString(spec, "limits", "memory")}'`,
      ),
    );
  }
  return causes;
}

/** validateCPURequestNotNegative */
export function validateCpuRequestNotNegative(prefix: string, spec: VmiSpec): AdmissionCause[] {
  if (resourceMilli(spec, "requests", "cpu") < 0n) {
    const field = child(prefix, "domain", "resources", "requests", "cpu");
    return [invalid(field, MUST_BE_POSITIVE(field, resourceString(spec, "requests", "cpu")))];
  }
  return [];
}

/** validateCPULimitNotNegative */
export function validateCpuLimitNotNegative(prefix: string, spec: VmiSpec): AdmissionCause[] {
  if (resourceMilli(spec, "limits", "cpu") < 0n) {
    const field = child(prefix, "domain", "resources", "limits", "cpu");
    return [invalid(field, MUST_BE_POSITIVE(field, resourceString(spec, "limits", "cpu")))];
  }
  return [];
}

/** validateCpuRequestDoesNotExceedLimit */
export function validateCpuRequestDoesNotExceedLimit(prefix: string, spec: VmiSpec): AdmissionCause[] {
  const limits = resourceMilli(spec, "limits", "cpu");
  if (limits > 0n && resourceMilli(spec, "requests", "cpu") > limits) {
    const requestsField = child(prefix, "domain", "resources", "requests", "cpu");
    const limitsField = child(prefix, "domain", "resources", "limits", "cpu");
    return [
      invalid(
        requestsField,
        `${requestsField} '${resourceString(spec, "requests", "cpu")}' is greater than ${limitsField} '${resourceString(spec, "limits", "cpu")}'`,
      ),
    ];
  }
  return [];
}
