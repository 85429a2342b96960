/**
 * Merges livevm's guest configuration into the user's own cloud-init user data, so a VM gets both.
 *
 * - none or blank: livevm's #cloud-config alone.
 * - #cloud-config: a YAML merge that keeps the user's document (comments included) and adds
 *   livevm's entries to its lists: write_files and runcmd are appended, bootcmd is prepended (the
 *   memory onlining policy must be set before anything else runs). Entries already present are not
 *   added twice, so merging is idempotent. A write_files entry for one of livevm's paths with other
 *   content is an error (one of the two would silently lose).
 * - a shell script (#!), #cloud-boothook, #include, #part-handler or a Jinja template
 *   (`## template: jinja`): a multipart MIME document with livevm's #cloud-config as the first part
 *   and the user's data, unchanged, as the second (base64 when it is not ASCII). cloud-init
 *   processes both.
 * - a MIME multipart document: nested, unchanged, as the second part (cloud-init walks nested
 *   multiparts); when it already carries livevm's exact #cloud-config it is returned as it is.
 * - anything else (#cloud-config-archive, #cloud-config-jsonp, unknown text): UserDataError naming the
 *   first line. livevm cannot merge these without guessing; `renderCloudConfig(guestConfiguration(...))`
 *   gives the part to add by hand.
 */

import { type Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { type CloudConfigFile, type GuestCloudConfig, renderCloudConfig } from "./guestCloudConfig";

export class UserDataError extends Error {
  constructor(
    readonly what: string,
    readonly why: string,
  ) {
    super(`${what}: ${why}`);
    this.name = "UserDataError";
  }
}

export type UserDataKind =
  | "empty"
  | "cloud-config"
  | "shell-script"
  | "boothook"
  | "include"
  | "part-handler"
  | "jinja"
  | "multipart"
  | "unsupported";

const MIME_TYPES: Partial<Record<UserDataKind, string>> = {
  "shell-script": "text/x-shellscript",
  boothook: "text/cloud-boothook",
  include: "text/x-include-url",
  "part-handler": "text/part-handler",
  jinja: "text/jinja2",
};

/** Classifies user data the way cloud-init does, by its first line. */
export function userDataKind(userData: string | undefined): UserDataKind {
  if (userData === undefined || userData.trim() === "") return "empty";
  const first = (userData.split(/\r?\n/, 1)[0] ?? "").trimEnd();
  if (first.startsWith("#cloud-config-")) return "unsupported"; // -archive, -jsonp
  if (first === "#cloud-config" || first.startsWith("#cloud-config ")) return "cloud-config";
  if (first.startsWith("#!")) return "shell-script";
  if (first.startsWith("#cloud-boothook")) return "boothook";
  if (first.startsWith("#include")) return "include";
  if (first.startsWith("#part-handler")) return "part-handler";
  if (/^##\s*template:\s*jinja\s*$/i.test(first)) return "jinja";
  if (isMultipart(userData)) return "multipart";
  return "unsupported";
}

/** A MIME document whose header block (up to the first blank line) says multipart/... */
function isMultipart(userData: string): boolean {
  const headers = userData.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const lines = headers.split(/\r?\n/);
  return (
    lines.every((l) => /^[A-Za-z0-9-]+:/.test(l) || /^[ \t]/.test(l)) &&
    lines.some((l) => /^content-type:\s*multipart\//i.test(l))
  );
}

export function mergeUserData(
  userData: string | undefined,
  generated: GuestCloudConfig,
  what = "cloud-init user data",
): string {
  const kind = userDataKind(userData);
  switch (kind) {
    case "empty":
      return renderCloudConfig(generated);
    case "cloud-config":
      return mergeCloudConfig(userData!, generated, what);
    case "unsupported":
      throw new UserDataError(what, unsupportedReason(userData!));
    case "multipart": {
      const ours = renderCloudConfig(generated);
      return userData!.includes(ours) ? userData! : multipart(ours, userData!, undefined);
    }
    default:
      return multipart(renderCloudConfig(generated), userData!, MIME_TYPES[kind]!);
  }
}

function unsupportedReason(userData: string): string {
  const first = (userData.split(/\r?\n/, 1)[0] ?? "").trim();
  const shown = JSON.stringify(first.length > 60 ? first.slice(0, 60) + "…" : first);
  return `unrecognised user data starting with ${shown}, which livevm cannot merge: expected "#cloud-config", a "#!" shell script, "#cloud-boothook", "#include", "#part-handler", "## template: jinja" or a MIME multipart document`;
}

function mergeCloudConfig(userData: string, generated: GuestCloudConfig, what: string): string {
  const newline = userData.indexOf("\n");
  const header = newline < 0 ? userData : userData.slice(0, newline);
  const body = newline < 0 ? "" : userData.slice(newline + 1);
  const parsed = parseDocument(body);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    const line = e.linePos?.[0] ? ` at line ${e.linePos[0].line + 1}` : "";
    throw new UserDataError(what, `invalid YAML${line}: ${e.message.split("\n")[0]}`);
  }
  const doc = parsed as unknown as Document;
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({});
  const root = doc.contents;
  if (!isMap(root))
    throw new UserDataError(what, "expected a mapping (key: value) at the top level of the #cloud-config");

  const files = listAt(doc, root, "write_files", what);
  for (const file of generated.write_files) {
    const existing = files.items.findIndex((item) => isMap(item) && item.get("path") === file.path);
    if (existing >= 0) {
      const theirs = (files.items[existing] as YAMLMap).toJSON() as Partial<CloudConfigFile>;
      if (theirs.content !== file.content) {
        throw new UserDataError(
          what,
          `write_files[${existing}] writes ${file.path}, which livevm's guest configuration also writes, with other content; remove it or rename it`,
        );
      }
      continue;
    }
    files.items.push(doc.createNode(file));
  }
  const bootcmd = listAt(doc, root, "bootcmd", what);
  const missingBoot = generated.bootcmd.filter((c) => !bootcmd.items.some((item) => sameScalar(item, c)));
  bootcmd.items.unshift(...missingBoot.map((c) => doc.createNode(c)));
  const runcmd = listAt(doc, root, "runcmd", what);
  for (const c of generated.runcmd) {
    if (!runcmd.items.some((item) => sameScalar(item, c))) runcmd.items.push(doc.createNode(c));
  }
  return header + "\n" + doc.toString({ lineWidth: 0, blockQuote: "literal" });
}

function listAt(doc: Document, root: YAMLMap, key: string, what: string): YAMLSeq<unknown> {
  const node = root.get(key, true);
  if (node === undefined || node === null || (typeof node === "object" && "value" in node && node.value === null)) {
    const seq = doc.createNode([]) as YAMLSeq<unknown>;
    root.set(key, seq);
    return seq;
  }
  if (!isSeq(node)) {
    const json =
      typeof node === "object" && node !== null && "toJSON" in node ? (node as { toJSON(): unknown }).toJSON() : node;
    throw new UserDataError(what, `${key}: expected a list, got ${JSON.stringify(json)}`);
  }
  return node as YAMLSeq<unknown>;
}

function sameScalar(item: unknown, value: string): boolean {
  return typeof item === "object" && item !== null && "value" in item && (item as { value: unknown }).value === value;
}

/** `userType` undefined: `userData` is itself a MIME document, nested as it is (its headers are the part's). */
function multipart(cloudConfig: string, userData: string, userType: string | undefined): string {
  let boundary = "==livevm-user-data==";
  for (let n = 1; cloudConfig.includes(boundary) || userData.includes(boundary); n++) {
    boundary = `==livevm-user-data-${n}==`;
  }
  const ascii = [...userData].every((c) => c.charCodeAt(0) < 0x80);
  const userBody = ascii
    ? userData
    : (
        Buffer.from(userData, "utf8")
          .toString("base64")
          .match(/.{1,76}/g) ?? []
      ).join("\n");
  const part = (type: string, filename: string, encoding: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset="utf-8"`,
      "MIME-Version: 1.0",
      `Content-Transfer-Encoding: ${encoding}`,
      `Content-Disposition: attachment; filename="${filename}"`,
      "",
      body.endsWith("\n") ? body : body + "\n",
    ].join("\n");
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "MIME-Version: 1.0",
    "",
    part("text/cloud-config", "livevm-guest-hotplug.cfg", "7bit", cloudConfig),
    userType === undefined
      ? `--${boundary}\n${userData.endsWith("\n") ? userData : userData + "\n"}`
      : part(userType, "user-data", ascii ? "7bit" : "base64", userBody),
    `--${boundary}--`,
    "",
  ].join("\n");
}
