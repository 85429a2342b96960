import { UsageError } from "./usageError";

const UNITS: Record<string, number> = { "": 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, M: 1e6, G: 1e9 };

/** Parses a byte count given on the command line: 1048576, 64Mi, 1Gi, 500k. */
export function parseByteSize(flag: string, text: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|k|M|G)?$/.exec(text.trim());
  if (!m)
    throw new UsageError(`${flag}: expected a byte count such as 1048576, 64Mi or 1Gi, got ${JSON.stringify(text)}`);
  const bytes = Number(m[1]) * UNITS[m[2] ?? ""]!;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new UsageError(`${flag}: must be a positive byte count`);
  return bytes;
}

export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [
    ["Gi", 1024 ** 3],
    ["Mi", 1024 ** 2],
    ["Ki", 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes} bytes`;
}
