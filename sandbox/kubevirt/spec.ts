/** Small typed accessors over VM/VMI specs kept as plain JSON. */
import { parseQuantity, quantityCeil, quantityToBigInt, quantityMilli } from "../../core/kubevirt/quantity";

export type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function obj(parent: Obj, key: string): Obj {
  const v = parent[key];
  if (isObject(v)) return v;
  const fresh: Obj = {};
  parent[key] = fresh;
  return fresh;
}

export function at(root: unknown, ...path: string[]): unknown {
  let cur = root;
  for (const p of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

export function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

export interface Topology {
  sockets: number;
  cores: number;
  threads: number;
}

export function topologyOf(spec: unknown): Topology {
  const cpu = at(spec, "domain", "cpu");
  return { sockets: num(at(cpu, "sockets")), cores: num(at(cpu, "cores")), threads: num(at(cpu, "threads")) };
}

export function vcpus(t: Topology): number {
  return Math.max(t.sockets, 1) * Math.max(t.cores, 1) * Math.max(t.threads, 1);
}

/** Bytes of a quantity, or undefined when absent or unparsable. */
export function bytes(q: unknown): bigint | undefined {
  if (typeof q !== "string" && typeof q !== "number") return undefined;
  try {
    return quantityToBigInt(parseQuantity(q)) ?? quantityCeil(parseQuantity(q));
  } catch {
    return undefined;
  }
}

/** Milli-units of a CPU quantity (0 when absent or unparsable). */
export function milli(q: unknown): bigint {
  if (typeof q !== "string" && typeof q !== "number") return 0n;
  try {
    return quantityMilli(parseQuantity(q));
  } catch {
    return 0n;
  }
}

export function isQuantityValue(q: unknown): boolean {
  if (typeof q !== "string" && typeof q !== "number") return false;
  try {
    parseQuantity(q);
    return true;
  } catch {
    return false;
  }
}

export function guestOf(spec: unknown): unknown {
  return at(spec, "domain", "memory", "guest");
}

export function resourcesOf(spec: unknown, which: "requests" | "limits"): Obj {
  const r = at(spec, "domain", "resources", which);
  return isObject(r) ? r : {};
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v) ?? "undefined";
}

export function formatBytes(b: bigint): string {
  const Gi = 1024n ** 3n;
  const Mi = 1024n ** 2n;
  const Ki = 1024n;
  if (b !== 0n && b % Gi === 0n) return `${b / Gi}Gi`;
  if (b !== 0n && b % Mi === 0n) return `${b / Mi}Mi`;
  if (b !== 0n && b % Ki === 0n) return `${b / Ki}Ki`;
  return String(b);
}
