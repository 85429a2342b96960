import { formatByteSize } from "./byteSize";
import { InputError } from "./inputError";
import type { InputLimits } from "./inputLimits";

/** Counts the bytes read in one run against the per-input and total limits. */
export class ByteBudget {
  private used = 0;
  constructor(readonly limits: InputLimits) {}

  /** Throws when one input of `bytes` is over the per-input limit. */
  checkOne(name: string, bytes: number): void {
    if (bytes > this.limits.maxFileBytes) {
      throw new InputError(
        `${name}: larger than the limit of ${formatByteSize(this.limits.maxFileBytes)} per input; refusing to read it (raise --max-file-bytes if it is genuine)`,
      );
    }
  }

  /** Accounts `bytes` more; throws when all inputs together pass the total limit. */
  take(name: string, bytes: number): void {
    this.checkOne(name, bytes);
    this.used += bytes;
    if (this.used > this.limits.maxTotalBytes) {
      throw new InputError(
        `${name}: all inputs together are larger than the limit of ${formatByteSize(this.limits.maxTotalBytes)}; refusing to read more (raise --max-total-bytes if that is genuine)`,
      );
    }
  }
}
