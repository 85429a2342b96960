import { quantityCeil } from "../quantity";
import type { Cpu, VmiSpec } from "../schema/common";

export interface Topology {
  readonly sockets: number;
  readonly cores: number;
  readonly threads: number;
}

/**
 * `SetDefaultGuestCPUTopology` (pkg/defaults/defaults.go): when the whole topology is empty (no cpu, or
 * sockets = cores = threads = 0), sockets come from `limits.cpu`, else `requests.cpu` (rounded up, as
 * Quantity.Value() does), else 1; cores and threads become 1. A partly given topology is kept as is
 * (zeros included).
 */
export function defaultGuestCpuTopology(spec: VmiSpec): Topology {
  const cpu = spec.domain?.cpu;
  const sockets = cpu?.sockets ?? 0;
  const cores = cpu?.cores ?? 0;
  const threads = cpu?.threads ?? 0;
  if (sockets !== 0 || cores !== 0 || threads !== 0) return { sockets, cores, threads };
  const resources = spec.domain?.resources;
  const limit = resources?.limits?.cpu;
  const request = resources?.requests?.cpu;
  let derived = 1;
  if (limit !== undefined) derived = toUint32(quantityCeil(limit));
  else if (request !== undefined) derived = toUint32(quantityCeil(request));
  return { sockets: derived, cores: 1, threads: 1 };
}

function toUint32(v: bigint): number {
  // uint32(cpuLimit.Value()) in Go: wraps; negative quantities are rejected by the API server anyway
  return Number(BigInt.asUintN(32, v));
}

/** `hardware.GetNumberOfVCPUs`: the product of the non-zero topology fields (0 when all are zero). */
export function vcpuCount(cpu: Pick<Cpu, "sockets" | "cores" | "threads"> | undefined): number {
  if (!cpu) return 0;
  let n = cpu.cores ?? 0;
  for (const f of [cpu.sockets ?? 0, cpu.threads ?? 0]) {
    if (f !== 0) n = n === 0 ? f : n * f;
  }
  return n;
}
