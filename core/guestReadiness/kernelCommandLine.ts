/**
 * Parses a Linux kernel command line (the text of /proc/cmdline) the way the kernel's
 * `next_arg` does: whitespace-separated `key` or `key=value`, double quotes group spaces, and
 * everything after a lone `--` belongs to init. When a parameter repeats, the last one wins for
 * the early parameters checked here (nr_cpus, maxcpus, possible_cpus, memhp_default_state).
 */

export interface KernelParameter {
  readonly key: string;
  /** undefined for a bare flag such as `nosmp` */
  readonly value: string | undefined;
}

export function parseKernelCommandLine(cmdline: string): KernelParameter[] {
  const params: KernelParameter[] = [];
  let i = 0;
  const text = cmdline.replace(/\0/g, " ");
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let token = "";
    let quoted = false;
    while (i < text.length && (quoted || !/\s/.test(text[i]!))) {
      if (text[i] === '"') quoted = !quoted;
      else token += text[i];
      i++;
    }
    if (token === "--") break;
    const eq = token.indexOf("=");
    // the kernel treats '-' and '_' in parameter names alike
    const key = (eq < 0 ? token : token.slice(0, eq)).replace(/-/g, "_");
    params.push({ key, value: eq < 0 ? undefined : token.slice(eq + 1) });
  }
  return params;
}

/** The last occurrence of `key`, or undefined when absent. */
export function kernelParameter(params: readonly KernelParameter[], key: string): KernelParameter | undefined {
  for (let i = params.length - 1; i >= 0; i--) if (params[i]!.key === key) return params[i];
  return undefined;
}
