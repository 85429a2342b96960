import * as pulumi from "@pulumi/pulumi";

/**
 * Components check their arguments while the program runs, so that a bad argument fails at
 * construction with a message naming it. That is possible only for values already known: plain values
 * (with no Output or Promise anywhere inside). Values that come from other resources are checked when
 * they resolve, by the same function.
 */

/** True when the value holds no Output, Promise or Resource at any depth. */
export function isKnownNow(value: unknown, seen = new Set<unknown>()): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== "object") return true;
  if (seen.has(value)) return true;
  seen.add(value);
  if (pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value)) return false;
  if (typeof (value as { then?: unknown }).then === "function") return false;
  if (Array.isArray(value)) return value.every((v) => isKnownNow(v, seen));
  return Object.values(value as Record<string, unknown>).every((v) => isKnownNow(v, seen));
}

/**
 * Computes `f(value)` now when the value is known (so `f` throwing fails the construction), else when
 * it resolves. Either way the result is an Output.
 */
export function deriveNowOrLater<T, R>(value: pulumi.Input<T>, f: (resolved: pulumi.Unwrap<T>) => R): pulumi.Output<R> {
  if (isKnownNow(value)) {
    const result = f(value as pulumi.Unwrap<T>);
    return pulumi.output(result) as pulumi.Output<R>;
  }
  return pulumi.output(value).apply((resolved) => f(resolved as pulumi.Unwrap<T>)) as pulumi.Output<R>;
}
