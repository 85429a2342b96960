import type { MemoryHotplugLedger } from "../../core/cloudhypervisor/memoryHotplugLedger";
import { formatSize } from "../../core/cloudhypervisor/size";

/**
 * Pulumi property values are JSON numbers (doubles): a Cloud Hypervisor size goes out as a number while
 * it is exact (below 2^53) and as its exact "…G"/"…M"/bytes string beyond, which livevm's schema reads back.
 */
export function toPropertyValue(value: unknown): unknown {
  if (typeof value === "bigint") {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : formatSize(value);
  }
  if (Array.isArray(value)) return value.map(toPropertyValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPropertyValue(v)]));
  }
  return value;
}

export interface LedgerProperty {
  readonly bootSize: number | string;
  readonly currentSize: number | string;
  readonly acpiSlotsUsed: number;
}

export function ledgerToProperty(ledger: MemoryHotplugLedger): LedgerProperty {
  return {
    bootSize: toPropertyValue(ledger.bootSize) as number | string,
    currentSize: toPropertyValue(ledger.currentSize) as number | string,
    acpiSlotsUsed: ledger.acpiSlotsUsed,
  };
}

/** The ledger recorded in state, or undefined when absent or unreadable (old state, import). */
export function ledgerFromProperty(value: unknown): MemoryHotplugLedger | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  const size = (x: unknown): bigint | undefined => {
    if (typeof x === "number" && Number.isSafeInteger(x) && x >= 0) return BigInt(x);
    if (typeof x === "string" && /^\d+[KMG]?$/.test(x)) {
      const unit = { K: 10n, M: 20n, G: 30n }[x.slice(-1)] ?? 0n;
      return BigInt(unit === 0n ? x : x.slice(0, -1)) << unit;
    }
    return undefined;
  };
  const bootSize = size(v.bootSize);
  const currentSize = size(v.currentSize);
  const slots = v.acpiSlotsUsed;
  if (bootSize === undefined || currentSize === undefined || typeof slots !== "number") return undefined;
  return { bootSize, currentSize, acpiSlotsUsed: slots };
}

/**
 * A plan path as a Pulumi property path under `config`: device paths name the id (`disks[id=data]`), which
 * Pulumi's path syntax cannot, so they become the index in the config that has the device.
 */
export function propertyPathOf(
  planPath: string,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>>,
): string {
  const m = /^((?:[a-z_]+\.)*)([a-z_]+)\[id=([^\]]+)\](.*)$/.exec(planPath);
  if (!m) return `config.${planPath}`;
  const [, prefix, key, id, rest] = m;
  const parents = prefix!.split(".").filter((p) => p.length > 0);
  for (const config of [after, before]) {
    let node: unknown = config;
    for (const p of parents) node = (node as Record<string, unknown> | undefined)?.[p];
    const list = (node as Record<string, unknown> | undefined)?.[key!];
    if (Array.isArray(list)) {
      const index = list.findIndex((e) => (e as { id?: unknown })?.id === id);
      if (index >= 0) return `config.${prefix}${key}[${index}]${rest}`;
    } else if (list && (list as { id?: unknown }).id === id) {
      return `config.${prefix}${key}${rest}`;
    }
  }
  return `config.${prefix}${key}`;
}
