import { z } from "zod";
import { parseSize, SizeError } from "../size";

/**
 * Building blocks of the Cloud Hypervisor VmConfig schemas. Every object schema is loose: fields livevm
 * does not model are kept as they are and sent back to Cloud Hypervisor unchanged.
 */

/** A size in bytes: a JSON integer, a bigint, or Cloud Hypervisor's "512M"/"2G" form; parsed to an exact bigint. */
export const size = z.union([z.number(), z.string(), z.bigint()]).transform((value, ctx) => {
  try {
    return parseSize(value);
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof SizeError ? error.message : String(error) });
    return z.NEVER;
  }
});

export const positiveInt = z.number().int().min(1);
export const nonNegativeInt = z.number().int().min(0);

/** A device identifier as Cloud Hypervisor uses it in vm.remove-device and the device tree. */
export const deviceId = z.string().min(1, "a device id must not be empty");
