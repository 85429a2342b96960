/**
 * Linux CPU lists as in /sys/devices/system/cpu/{possible,present,online}: "0-3,5,7-8".
 */

export class CpuListError extends Error {
  constructor(
    readonly input: string,
    readonly why: string,
  ) {
    super(`invalid CPU list ${JSON.stringify(input)}: ${why}`);
    this.name = "CpuListError";
  }
}

/** The CPU numbers in the list, ascending and without duplicates. "" (no CPUs) gives []. */
export function parseCpuList(input: string): number[] {
  const text = input.trim();
  if (text === "") return [];
  const cpus = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new CpuListError(input, `expected numbers and ranges such as 0-3,5, got ${JSON.stringify(part)}`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new CpuListError(input, `range ${part} runs backwards`);
    if (to - from > 65535) throw new CpuListError(input, `range ${part} is implausibly large`);
    for (let c = from; c <= to; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}
