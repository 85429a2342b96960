import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ByteBudget } from "./byteBudget";
import { InputError } from "./inputError";
import { decodeText, formatForPath, isManifestFile, type SourceText } from "./sourceText";

const STDIN = "-";

/**
 * Reads the inputs one flag names: files as given, directories recursively (*.yaml, *.yml, *.json,
 * skipping hidden entries), and "-" as standard input. Files come back in a stable (sorted) order.
 */
export async function readSources(flag: string, paths: readonly string[], budget: ByteBudget): Promise<SourceText[]> {
  const files: string[] = [];
  const sources: SourceText[] = [];
  for (const path of paths) {
    if (path === STDIN) sources.push({ name: "<stdin>", text: await readStdin(budget), format: "auto" });
    else files.push(...(await listManifestFiles(flag, path)));
  }
  const read = files.map((file) => ({
    name: file,
    text: readCapped(file, budget),
    format: formatForPath(file),
  }));
  return [...sources, ...read];
}

/** The manifest files under `path` (or `path` itself when it is a file), sorted. */
export async function listManifestFiles(flag: string, path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new InputError(`${flag} ${path}: ${describeFsError(e)}`);
  }
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  await walk(path, new Set([await realpath(path)]), found);
  return found.sort();
}

async function walk(dir: string, seen: Set<string>, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) {
      const real = await realpath(path);
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(path, seen, found);
    } else if (isFile && isManifestFile(entry.name)) {
      found.push(path);
    }
  }
}

/**
 * Reads one file, refusing (before reading, where the size is known) anything over the limits. Reads are
 * synchronous on purpose: for thousands of small manifests one thread-pool round trip per open/stat/read/close
 * costs ~10x more than the reads themselves (bench/plan.ts), and the command has nothing to overlap them with.
 */
export function readCapped(path: string, budget: ByteBudget, name = path): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InputError(`${name}: ${describeFsError(e)}`);
  }
  try {
    const info = fstatSync(fd);
    if (info.isDirectory()) throw new InputError(`${name}: is a directory`);
    if (info.isFile()) {
      budget.take(name, info.size);
      return decodeText(readFileSync(fd));
    }
    // A pipe or device: its size is unknown, so read in chunks and stop at the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      budget.checkOne(name, total);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    budget.take(name, total);
    return decodeText(Buffer.concat(chunks));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${name}: ${describeFsError(e)}`);
  } finally {
    closeSync(fd);
  }
}

async function readStdin(budget: ByteBudget): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    budget.checkOne("<stdin>", total);
    chunks.push(buffer);
  }
  budget.take("<stdin>", total);
  return decodeText(Buffer.concat(chunks));
}

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return e instanceof Error ? e.message : String(e);
}
