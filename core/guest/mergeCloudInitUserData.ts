import { parseDocument, stringify } from "yaml";
import { type CloudConfig } from "./hotplugOnliningCloudConfig";

/**
 * Merges a generated cloud-config into a user's cloud-init user data without losing anything of theirs:
 * - no user data: the generated config as a `#cloud-config` document;
 * - a `#cloud-config` document: one document, the user's keys kept, our `write_files` and `runcmd`
 *   entries appended to theirs (cloud-init would otherwise let one list replace the other);
 * - anything else (a `#!` script, `#include`, `#cloud-boothook`, a MIME multipart document): a MIME
 *   multipart document with the user's part first, unchanged, and ours second.
 */

export class CloudInitMergeError extends Error {
  constructor(
    /** where the user data came from, e.g. spec.template.spec.volumes[1].cloudInitNoCloud.userData */
    readonly where: string,
    readonly why: string,
  ) {
    super(`${where}: ${why}`);
    this.name = "CloudInitMergeError";
  }
}

const LIST_KEYS = ["write_files", "runcmd", "bootcmd", "packages"] as const;
export const MULTIPART_BOUNDARY = "==LIVEVM-USERDATA-BOUNDARY==";

export function mergeCloudInitUserData(userData: string | undefined, ours: CloudConfig, where: string): string {
  if (userData === undefined || userData.trim() === "") return "#cloud-config\n" + stringify(ours);
  const firstLine = userData.split(/\r?\n/, 1)[0]!.trim();
  if (firstLine === "#cloud-config") return mergeCloudConfig(userData, ours, where);
  return multipart(userData, firstLine, ours, where);
}

function mergeCloudConfig(userData: string, ours: CloudConfig, where: string): string {
  const doc = parseDocument(userData);
  if (doc.errors.length > 0) {
    throw new CloudInitMergeError(where, `the #cloud-config document is not valid YAML: ${doc.errors[0]!.message}`);
  }
  const theirs: unknown = doc.toJS();
  if (theirs !== null && (typeof theirs !== "object" || Array.isArray(theirs))) {
    throw new CloudInitMergeError(where, "the #cloud-config document must be a YAML mapping");
  }
  const merged: Record<string, unknown> = { ...((theirs as Record<string, unknown> | null) ?? {}) };
  for (const [key, value] of Object.entries(ours)) {
    const existing = merged[key];
    if (existing === undefined || existing === null) {
      merged[key] = value;
      continue;
    }
    if (!(LIST_KEYS as readonly string[]).includes(key) || !Array.isArray(value)) {
      throw new CloudInitMergeError(where, `both the user data and livevm set ${key}; remove it from the user data`);
    }
    if (!Array.isArray(existing)) {
      throw new CloudInitMergeError(where, `${key} must be a list, got ${typeof existing}`);
    }
    if (key === "write_files") {
      const paths = new Set(existing.map((f) => (f as { path?: unknown } | null)?.path));
      for (const file of value) {
        const path = (file as { path: string }).path;
        if (paths.has(path))
          throw new CloudInitMergeError(where, `write_files already writes ${path}, which livevm writes`);
      }
    }
    merged[key] = [...existing, ...value];
  }
  return "#cloud-config\n" + stringify(merged);
}

function contentTypeOf(firstLine: string, where: string): string {
  if (firstLine.startsWith("#!")) return "text/x-shellscript";
  if (firstLine === "#include" || firstLine.startsWith("#include ")) return "text/x-include-url";
  if (firstLine === "#cloud-boothook") return "text/cloud-boothook";
  if (firstLine.startsWith("#part-handler")) return "text/part-handler";
  if (firstLine === "## template: jinja") return "text/jinja2";
  throw new CloudInitMergeError(
    where,
    `unrecognised user data (first line ${JSON.stringify(firstLine.slice(0, 40))}); expected #cloud-config, a #! script, #include, #cloud-boothook or a MIME multipart document`,
  );
}

function multipart(userData: string, firstLine: string, ours: CloudConfig, where: string): string {
  if (userData.includes(MULTIPART_BOUNDARY)) {
    throw new CloudInitMergeError(where, "the user data already contains livevm's part");
  }
  const ourPart = [
    'Content-Type: text/cloud-config; charset="us-ascii"',
    "MIME-Version: 1.0",
    'Content-Disposition: attachment; filename="livevm-hotplug.cfg"',
    "",
    "#cloud-config",
    stringify(ours).trimEnd(),
  ].join("\n");
  let theirPart: string;
  if (/^content-type:\s*multipart\//i.test(firstLine)) {
    // a nested multipart part: its own headers are the part's headers; cloud-init walks nested parts
    theirPart = userData.trimEnd();
  } else {
    const type = contentTypeOf(firstLine, where);
    theirPart = [
      `Content-Type: ${type}; charset="us-ascii"`,
      "MIME-Version: 1.0",
      'Content-Disposition: attachment; filename="user-data"',
      "",
      userData.trimEnd(),
    ].join("\n");
  }
  return [
    `Content-Type: multipart/mixed; boundary="${MULTIPART_BOUNDARY}"`,
    "MIME-Version: 1.0",
    "",
    `--${MULTIPART_BOUNDARY}`,
    theirPart,
    `--${MULTIPART_BOUNDARY}`,
    ourPart,
    `--${MULTIPART_BOUNDARY}--`,
    "",
  ].join("\n");
}
