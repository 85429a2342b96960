import type { QuantityInput, VmiSpec } from "../schema/common";
import { isQuantity, quantityCeil } from "../quantity";

/**
 * `setGuestMemory` (pkg/defaults/defaults.go): an absent `memory.guest` is taken from `requests.memory`,
 * else `limits.memory` (non-zero), else the hugepages page size. Returns undefined when none applies.
 */
export function defaultGuestMemory(spec: VmiSpec): QuantityInput | undefined {
  const memory = spec.domain?.memory;
  if (memory?.guest !== undefined && memory.guest !== null) return memory.guest;
  const requests = spec.domain?.resources?.requests?.memory;
  if (requests !== undefined && nonZero(requests)) return requests;
  const limits = spec.domain?.resources?.limits?.memory;
  if (limits !== undefined && nonZero(limits)) return limits;
  const pageSize = memory?.hugepages?.pageSize;
  if (pageSize !== undefined && isQuantity(pageSize)) return pageSize;
  return undefined;
}

function nonZero(q: QuantityInput): boolean {
  return quantityCeil(q) !== 0n;
}
