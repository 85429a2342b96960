import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ByteBudget } from "./byteBudget";
import { InputError } from "./inputError";
import { readCapped } from "./readSources";
import { decodeText, formatForPath, isManifestFile, type SourceText } from "./sourceText";

/** Output of one git child process. */
interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

function git(args: readonly string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => reject(new InputError(`--git: cannot run git: ${e.message}`)));
    child.on("close", (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8").trim() }),
    );
    // git may exit before reading its input (e.g. a bad revision): that is reported by its exit code.
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

async function gitOrThrow(args: readonly string[], cwd: string, what: string, input?: string): Promise<Buffer> {
  const result = await git(args, cwd, input);
  if (result.code !== 0)
    throw new InputError(`--git: ${what}: ${result.stderr || `git ${args[0]} exited with ${result.code}`}`);
  return result.stdout;
}

/** Names in `names` that are manifests: *.yaml/*.yml/*.json found in directories, or any path named explicitly. */
function selectManifests(names: readonly string[], paths: readonly string[]): string[] {
  const explicit = new Set(paths.map((p) => p.replace(/^\.\//, "").replace(/\/+$/, "")));
  return names
    .filter((name) => !name.split("/").some((part) => part.startsWith(".")) || explicit.has(name))
    .filter((name) => explicit.has(name) || isManifestFile(name))
    .sort();
}

/**
 * The two sides of `livevm plan --git <rev> [paths...]`: the manifests under `paths` as committed at
 * `rev` (read with `git ls-tree` and `git cat-file --batch`, one process each), and the same paths in
 * the working tree (tracked and untracked files, minus what .gitignore excludes). Paths are relative to
 * `cwd`, like git's own.
 */
export async function gitSources(
  rev: string,
  paths: readonly string[],
  cwd: string,
  budget: ByteBudget,
): Promise<{ before: SourceText[]; after: SourceText[] }> {
  await gitOrThrow(["rev-parse", "--is-inside-work-tree"], cwd, "not inside a git working tree");
  const commit = (
    await gitOrThrow(
      ["rev-parse", "--verify", "--end-of-options", `${rev}^{commit}`],
      cwd,
      `unknown revision ${JSON.stringify(rev)}`,
    )
  )
    .toString("utf8")
    .trim();
  const [before, after] = await Promise.all([
    committedSources(rev, commit, paths, cwd, budget),
    workingTreeSources(paths, cwd, budget),
  ]);
  return { before, after };
}

async function committedSources(
  rev: string,
  commit: string,
  paths: readonly string[],
  cwd: string,
  budget: ByteBudget,
): Promise<SourceText[]> {
  const listing = await gitOrThrow(["ls-tree", "-r", "-z", "-l", commit, "--", ...paths], cwd, `listing ${rev}`);
  const blobs = new Map<string, { oid: string; size: number }>();
  for (const entry of listing.toString("utf8").split("\0")) {
    // <mode> SP <type> SP <object> SP+ <size> TAB <path>
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(\d+|-)\t([\s\S]+)$/.exec(entry);
    if (!m || m[2] !== "blob" || m[1] === "120000") continue;
    blobs.set(m[5]!, { oid: m[3]!, size: Number(m[4]) });
  }
  const names = selectManifests([...blobs.keys()], paths);
  for (const name of names) budget.take(`${rev}:${name}`, blobs.get(name)!.size);
  if (!names.length) return [];
  const batch = await gitOrThrow(
    ["cat-file", "--batch"],
    cwd,
    `reading ${rev}`,
    names.map((n) => blobs.get(n)!.oid).join("\n") + "\n",
  );
  const out: SourceText[] = [];
  let offset = 0;
  for (const name of names) {
    const headerEnd = batch.indexOf(0x0a, offset);
    const header = batch.subarray(offset, headerEnd).toString("utf8");
    const size = Number(header.split(" ")[2]);
    if (!Number.isFinite(size))
      throw new InputError(`--git: reading ${rev}:${name}: unexpected git output ${JSON.stringify(header)}`);
    out.push({
      name: `${rev}:${name}`,
      text: decodeText(batch.subarray(headerEnd + 1, headerEnd + 1 + size)),
      format: formatForPath(name),
    });
    offset = headerEnd + 1 + size + 1;
  }
  return out;
}

async function workingTreeSources(paths: readonly string[], cwd: string, budget: ByteBudget): Promise<SourceText[]> {
  const listing = await gitOrThrow(
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ...paths],
    cwd,
    "listing the working tree",
  );
  const names = selectManifests([...new Set(listing.toString("utf8").split("\0").filter(Boolean))], paths);
  const read = names.map((name) => {
    const path = join(cwd, name);
    if (!existsSync(path)) return undefined; // deleted, still in the index
    return { name, text: readCapped(path, budget, name), format: formatForPath(name) } satisfies SourceText;
  });
  return read.filter((s): s is SourceText => s !== undefined);
}
