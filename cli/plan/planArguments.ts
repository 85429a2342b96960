import { parseKubeVirtVersion, VersionError, type KubeVirtVersion } from "../../core/kubevirt/version";
import { parseByteSize } from "./byteSize";
import { DEFAULT_INPUT_LIMITS, type InputLimits } from "./inputLimits";
import { UsageError } from "./usageError";

export const OUTPUT_FORMATS = ["table", "json", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const FAIL_ON = ["restart", "rejected", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Where the two sides come from: explicit files/dirs/stdin, or a git revision versus the working tree. */
export type PlanSources =
  | { readonly mode: "files"; readonly before: readonly string[]; readonly after: readonly string[] }
  | { readonly mode: "git"; readonly rev: string; readonly paths: readonly string[] };

export interface PlanArguments {
  readonly help: boolean;
  readonly sources: PlanSources;
  readonly vmi: readonly string[];
  readonly kubevirt?: string;
  readonly kubevirtVersion?: KubeVirtVersion;
  readonly output: OutputFormat;
  readonly failOn: FailOn;
  readonly limits: InputLimits;
}

const VALUE_FLAGS = new Set([
  "--before",
  "--after",
  "--git",
  "--vmi",
  "--kubevirt",
  "--kubevirt-version",
  "--output",
  "--fail-on",
  "--max-file-bytes",
  "--max-total-bytes",
]);
const SHORT: Record<string, string> = { "-o": "--output", "-h": "--help" };

/** Parses the arguments after `livevm plan`; throws UsageError for anything it cannot accept. */
export function parsePlanArguments(argv: readonly string[]): PlanArguments {
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  let help = false;
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (onlyPositional || raw === "-" || !raw.startsWith("-")) {
      positional.push(raw);
      continue;
    }
    if (raw === "--") {
      onlyPositional = true;
      continue;
    }
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    let flag = eq > 0 ? raw.slice(0, eq) : raw;
    flag = SHORT[flag] ?? flag;
    if (flag === "--help") {
      help = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) throw new UsageError(`unknown option ${raw}`);
    let value: string;
    if (eq > 0) value = raw.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-")) throw new UsageError(`${flag} needs a value`);
      value = next;
      i++;
    }
    if (value === "") throw new UsageError(`${flag} needs a non-empty value`);
    const list = values.get(flag) ?? [];
    list.push(value);
    values.set(flag, list);
  }

  const once = (flag: string): string | undefined => {
    const list = values.get(flag);
    if (list && list.length > 1) throw new UsageError(`${flag} may be given only once`);
    return list?.[0];
  };
  const many = (flag: string): string[] => values.get(flag) ?? [];

  const output = once("--output") ?? "table";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUT_FORMATS.join(", ")}, got ${JSON.stringify(output)}`);
  }
  const failOn = once("--fail-on") ?? "restart";
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}, got ${JSON.stringify(failOn)}`);
  }
  const versionText = once("--kubevirt-version");
  let kubevirtVersion: KubeVirtVersion | undefined;
  if (versionText !== undefined) {
    try {
      kubevirtVersion = parseKubeVirtVersion(versionText);
    } catch (e) {
      if (e instanceof VersionError) throw new UsageError(`--kubevirt-version: ${e.message}`);
      throw e;
    }
  }
  const maxFile = once("--max-file-bytes");
  const maxTotal = once("--max-total-bytes");
  const limits: InputLimits = {
    ...DEFAULT_INPUT_LIMITS,
    ...(maxFile !== undefined ? { maxFileBytes: parseByteSize("--max-file-bytes", maxFile) } : {}),
    ...(maxTotal !== undefined ? { maxTotalBytes: parseByteSize("--max-total-bytes", maxTotal) } : {}),
  };

  const before = many("--before");
  const after = many("--after");
  const rev = once("--git");
  const common = {
    help,
    vmi: many("--vmi"),
    kubevirt: once("--kubevirt"),
    kubevirtVersion,
    output: output as OutputFormat,
    failOn: failOn as FailOn,
    limits,
  };
  if (help) return { ...common, sources: { mode: "files", before, after } };

  let sources: PlanSources;
  if (rev !== undefined) {
    if (before.length || after.length)
      throw new UsageError("--git compares a revision with the working tree: drop --before/--after");
    if (positional.includes("-"))
      throw new UsageError('--git reads from the repository: "-" (standard input) is not a path');
    sources = { mode: "git", rev, paths: positional.length ? positional : ["."] };
  } else {
    if (positional.length)
      throw new UsageError(`unexpected argument ${JSON.stringify(positional[0])} (paths are for --git)`);
    if (!before.length && !after.length) throw new UsageError("give --before and --after, or --git <rev>");
    if (!before.length) throw new UsageError("--before is missing (the VMs as they run now)");
    if (!after.length) throw new UsageError("--after is missing (the desired manifests)");
    sources = { mode: "files", before, after };
  }
  const stdinUses = [...before, ...after, ...common.vmi, ...(common.kubevirt ? [common.kubevirt] : [])].filter(
    (p) => p === "-",
  );
  if (stdinUses.length > 1) throw new UsageError('standard input ("-") can be read only once');
  return { ...common, sources };
}
