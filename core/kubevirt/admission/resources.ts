import type { Quantity, QuantityFormat } from "../quantity";
import * as quantityModule from "../quantity";
import type { VmiSpec } from "../schema/common";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { formatQuantity, parseQuantity, quantityCeil, quantityMilli } = quantityModule;

/**
 * Reading `domain.resources` the way KubeVirt's Go code does: `Requests.Memory()` is the quantity or 0,
 * `.Value()` rounds up to whole units, `.MilliValue()` to thousandths, `%s` prints the canonical form.
 */

export type ResourceKind = "requests" | "limits";
export type ResourceName = "cpu" | "memory";

type QuantityValue = string | number;

export function resourceEntry(spec: VmiSpec, kind: ResourceKind, name: ResourceName): QuantityValue | undefined {
  const list = spec.domain?.resources?.[kind] as Record<string, QuantityValue> | undefined;
  return list?.[name];
}

/** True when the key is present (Go: `_, ok := list[name]`), whatever its value. */
export function hasResource(spec: VmiSpec, kind: ResourceKind, name: ResourceName): boolean {
  return resourceEntry(spec, kind, name) !== undefined;
}

export function resourceQuantity(spec: VmiSpec, kind: ResourceKind, name: ResourceName): Quantity {
  const raw = resourceEntry(spec, kind, name);
  return raw === undefined ? ZERO : parseQuantity(raw);
}

/** Go `Value()`: whole units, rounded up. */
export function resourceValue(spec: VmiSpec, kind: ResourceKind, name: ResourceName): bigint {
  const raw = resourceEntry(spec, kind, name);
  return raw === undefined ? 0n : quantityCeil(parseQuantity(raw));
}

/** Go `MilliValue()`. */
export function resourceMilli(spec: VmiSpec, kind: ResourceKind, name: ResourceName): bigint {
  const raw = resourceEntry(spec, kind, name);
  return raw === undefined ? 0n : quantityMilli(parseQuantity(raw));
}

/** Go `%s` of `Requests.Memory()` and friends: canonical form, "0" when absent. */
export function resourceString(spec: VmiSpec, kind: ResourceKind, name: ResourceName): string {
  return formatQuantity(resourceQuantity(spec, kind, name));
}

/** Go `Value()` of an optional quantity (nil counts as 0). */
export function quantityValue(q: QuantityValue | Quantity | undefined): bigint {
  return q === undefined ? 0n : quantityCeil(typeof q === "object" ? q : parseQuantity(q));
}

/** Go `resource.ParseQuantity` on a free-form string (hugepages.pageSize): undefined when it is not a quantity. */
export function tryParseQuantity(input: string | undefined): Quantity | undefined {
  if (input === undefined || input === "") return undefined;
  try {
    return parseQuantity(input);
  } catch {
    return undefined;
  }
}

export const ZERO: Quantity = { mantissa: 0n, exponent: 0, format: "BinarySI" as QuantityFormat };
