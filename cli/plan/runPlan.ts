import { EXIT } from "../run";
import { colourWanted } from "./ansiColour";
import { buildReport } from "./buildReport";
import { ByteBudget } from "./byteBudget";
import { gitSources } from "./gitSources";
import { InputError } from "./inputError";
import { chooseKubeVirtVersion } from "./kubevirtVersionChoice";
import { addDocuments, emptySide, kubeVirtFrom, type ManifestSide } from "./manifestSide";
import { parseManifests } from "./parseManifests";
import { parsePlanArguments, type PlanArguments } from "./planArguments";
import type { PlanFunction, PlanReport } from "./planReport";
import { readSources } from "./readSources";
import { renderJson } from "./renderJson";
import { renderMarkdown } from "./renderMarkdown";
import { renderTable } from "./renderTable";
import type { SourceText } from "./sourceText";
import { PLAN_USAGE } from "./usage";
import { UsageError } from "./usageError";

/** Where `livevm plan` writes and what it may look at; the real process's by default, fakes in tests. */
export interface PlanIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export const PROCESS_IO: PlanIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};

/** `livevm plan`: parse arguments, load and validate every input, plan, render; returns the exit code. */
export async function runPlan(argv: readonly string[], plan: PlanFunction, io: PlanIo = PROCESS_IO): Promise<number> {
  let args: PlanArguments;
  try {
    args = parsePlanArguments(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`livevm plan: ${e.message}\n\n${PLAN_USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    io.stdout.write(PLAN_USAGE);
    return EXIT.ok;
  }
  let report: PlanReport;
  try {
    report = await loadAndPlan(args, plan, io.cwd);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr.write(`livevm plan: ${e.message}\n`);
    return EXIT.error;
  }
  if (args.output === "json") io.stdout.write(renderJson(report));
  else if (args.output === "markdown") io.stdout.write(renderMarkdown(report));
  else io.stdout.write(renderTable(report, colourWanted(io.stdout, io.env)));
  return report.summary.exitCode;
}

/** Everything between the arguments and the report; throws InputError for any bad input, before planning. */
export async function loadAndPlan(args: PlanArguments, plan: PlanFunction, cwd: string): Promise<PlanReport> {
  const budget = new ByteBudget(args.limits);
  const resolve = (p: string): string => (p === "-" || p.startsWith("/") ? p : `${cwd}/${p}`.replace(/\/\.\//g, "/"));
  const named = async (flag: string, paths: readonly string[]): Promise<SourceText[]> => {
    const sources = await readSources(flag, paths.map(resolve), budget);
    // Show paths as the user gave them (relative stays relative).
    const prefix = `${cwd}/`;
    return sources.map((s) => (s.name.startsWith(prefix) ? { ...s, name: s.name.slice(prefix.length) } : s));
  };

  let beforeSources: SourceText[];
  let afterSources: SourceText[];
  if (args.sources.mode === "git") {
    ({ before: beforeSources, after: afterSources } = await gitSources(
      args.sources.rev,
      args.sources.paths,
      cwd,
      budget,
    ));
  } else {
    beforeSources = await named("--before", args.sources.before);
    afterSources = await named("--after", args.sources.after);
  }
  const vmiSources = await named("--vmi", args.vmi);
  const kubevirtSources = args.kubevirt ? await named("--kubevirt", [args.kubevirt]) : [];

  const before = sideFrom("--before", beforeSources, args, { vms: true, vmis: true });
  const after = sideFrom("--after", afterSources, args, { vms: true, vmis: false });
  const vmiSide = sideFrom("--vmi", vmiSources, args, { vms: false, vmis: true });
  const vmis = new Map(before.vmis);
  for (const [key, vmi] of vmiSide.vmis) {
    const earlier = vmis.get(key);
    if (earlier)
      throw new InputError(`VirtualMachineInstance ${key} is given twice: ${earlier.location} and ${vmi.location}`);
    vmis.set(key, vmi);
  }
  if (args.vmi.length && !vmiSide.vmis.size) {
    throw new InputError(`--vmi ${args.vmi.join(" ")}: no VirtualMachineInstance objects in it`);
  }
  const cr = kubevirtSources.length
    ? kubeVirtFrom(
        args.kubevirt!,
        kubevirtSources.flatMap((s) => parseManifests(s, args.limits)),
      )
    : undefined;
  const version = chooseKubeVirtVersion(args.kubevirtVersion, cr);
  return buildReport(
    { before, after, vmis, vmisGiven: args.vmi.length > 0, kubevirt: cr?.kubevirt, version, failOn: args.failOn },
    plan,
  );
}

function sideFrom(
  flag: string,
  sources: readonly SourceText[],
  args: PlanArguments,
  keep: { vms: boolean; vmis: boolean },
): ManifestSide {
  const side = emptySide();
  for (const source of sources) addDocuments(side, flag, parseManifests(source, args.limits), keep);
  return side;
}
