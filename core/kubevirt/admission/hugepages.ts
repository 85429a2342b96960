import type { AdmissionCause } from "../plan";
import { quantityCeil } from "../quantity";
import type { VmiSpec } from "../schema/common";
import { child, invalid } from "./cause";
import { quantityValue, resourceString, resourceValue, tryParseQuantity } from "./resources";

/** Go's `resource.ErrFormatWrong`, printed after an unparsable hugepages.pageSize. */
export const QUANTITY_FORMAT_WRONG =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export interface HugepagesRuleOptions {
  /**
   * v1.6.4 / v1.7.0+: the VM's memory is requests.memory, else memory.guest, else limits.memory, and 0 means
   * "nothing to check". Before, only requests.memory counted (the defaults step had filled it from guest or
   * the page size), and a value below the page size was rejected even when 0.
   */
  readonly fallbackToGuestAndLimits: boolean;
  /** v1.8+: messages name `<p>.domain.memory.hugepages.pageSize`; before: `<p>.domain.hugepages.size` */
  readonly pageSizePath: boolean;
}

/**
 * validateHugepagesMemoryRequests (vmi-create-admitter.go): with `memory.hugepages.pageSize`, the VM's memory must be
 * at least one page and a whole number of pages. The message always quotes requests.memory ('0' when unset),
 * as KubeVirt does, even when the value checked was memory.guest.
 */
export function validateHugepagesMemoryRequests(
  prefix: string,
  spec: VmiSpec,
  options: HugepagesRuleOptions,
): AdmissionCause[] {
  const hugepages = spec.domain?.memory?.hugepages;
  if (!hugepages) return [];
  const pageSizeRaw = hugepages.pageSize ?? "";
  const pageSizeField = options.pageSizePath
    ? child(prefix, "domain", "memory", "hugepages", "pageSize")
    : child(prefix, "domain", "hugepages", "size");
  const pageSize = tryParseQuantity(pageSizeRaw);
  if (!pageSize) {
    return [invalid(pageSizeField, `${pageSizeField} '${pageSizeRaw}': ${QUANTITY_FORMAT_WRONG}`)];
  }
  const pageBytes = quantityCeil(pageSize);
  let vmMemory = resourceValue(spec, "requests", "memory");
  if (options.fallbackToGuestAndLimits) {
    if (vmMemory === 0n) vmMemory = quantityValue(spec.domain?.memory?.guest);
    if (vmMemory === 0n) vmMemory = resourceValue(spec, "limits", "memory");
  }
  const requestsField = child(prefix, "domain", "resources", "requests", "memory");
  const requests = resourceString(spec, "requests", "memory");
  const tooSmall = options.fallbackToGuestAndLimits ? vmMemory !== 0n && vmMemory < pageBytes : vmMemory < pageBytes;
  if (tooSmall) {
    return [
      invalid(
        requestsField,
        `${requestsField} '${requests}' must be equal to or larger than page size ${pageSizeField} '${pageSizeRaw}'`,
      ),
    ];
  }
  // A zero page size makes Go divide by zero (the webhook fails); there is no cause to report for it.
  if (pageBytes !== 0n && vmMemory % pageBytes !== 0n) {
    return [
      invalid(
        requestsField,
        `${requestsField} '${requests}' is not a multiple of the page size ${pageSizeField} '${pageSizeRaw}'`,
      ),
    ];
  }
  return [];
}
