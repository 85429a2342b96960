/** One input read into memory: a file, a git blob or standard input. */
export interface SourceText {
  /** how messages name it: a path as given, "<stdin>", or "<rev>:<path>" */
  readonly name: string;
  readonly text: string;
  /** json: parsed as JSON (with YAML as the fallback for error positions); auto: sniffed from the content */
  readonly format: "yaml" | "json" | "auto";
}

const MANIFEST_EXTENSIONS = [".yaml", ".yml", ".json"];

/** Whether a file found inside a directory is read as a manifest. */
export function isManifestFile(path: string): boolean {
  const lower = path.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export function formatForPath(path: string): SourceText["format"] {
  return path.toLowerCase().endsWith(".json") ? "json" : "yaml";
}

/** Decodes bytes as UTF-8, dropping a byte-order mark. */
export function decodeText(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
