import { kubeVirt, type KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import { SchemaError, parseWith } from "../../core/kubevirt/schema/parse";
import { virtualMachine, type VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import { virtualMachineInstance, type VirtualMachineInstance } from "../../core/kubevirt/schema/virtualMachineInstance";
import { fieldPosition, resolvePath } from "./fieldPosition";
import { InputError } from "./inputError";
import { documentLocation, type ManifestDocument } from "./manifestDocument";

export const DEFAULT_NAMESPACE = "default";

export interface Located<T> {
  readonly namespace: string;
  readonly name: string;
  readonly object: T;
  /** file:line of the object, for messages */
  readonly location: string;
}

/** The objects one side of the plan (before, after, or the --vmi inputs) holds, keyed namespace/name. */
export interface ManifestSide {
  readonly vms: Map<string, Located<VirtualMachine>>;
  readonly vmis: Map<string, Located<VirtualMachineInstance>>;
  /** documents that are neither VMs nor (where wanted) VMIs */
  skipped: number;
}

export function emptySide(): ManifestSide {
  return { vms: new Map(), vmis: new Map(), skipped: 0 };
}

export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Sorts documents into VMs and VMIs, validating each against core's schemas. `flag` names the side in
 * messages; `keep` says which kinds this side is for (the rest is counted as skipped).
 */
export function addDocuments(
  side: ManifestSide,
  flag: string,
  docs: readonly ManifestDocument[],
  keep: { readonly vms: boolean; readonly vmis: boolean },
): void {
  for (const doc of docs) {
    const kind = kubevirtKind(doc.value);
    if (kind === "VirtualMachine" && keep.vms) {
      add(side.vms, flag, kind, doc, (value, what) => parseWith(virtualMachine, value, what));
    } else if (kind === "VirtualMachineInstance" && keep.vmis) {
      add(side.vmis, flag, kind, doc, (value, what) => parseWith(virtualMachineInstance, value, what));
    } else {
      side.skipped++;
    }
  }
}

/** Reads the one KubeVirt CR from the documents of --kubevirt. */
export function kubeVirtFrom(
  source: string,
  docs: readonly ManifestDocument[],
): { kubevirt: KubeVirt; location: string } {
  const found = docs.filter((d) => kubevirtKind(d.value) === "KubeVirt");
  if (found.length === 0)
    throw new InputError(`--kubevirt ${source}: no KubeVirt object (kind: KubeVirt, apiVersion: kubevirt.io/v1) in it`);
  if (found.length > 1) {
    throw new InputError(
      `--kubevirt ${source}: ${found.length} KubeVirt objects (${found.map(documentLocation).join(", ")}); give the one of the cluster being planned`,
    );
  }
  const doc = found[0]!;
  return {
    kubevirt: validate(doc, "KubeVirt", (v, what) => parseWith(kubeVirt, v, what)),
    location: documentLocation(doc),
  };
}

/** The kind of a kubevirt.io object (apiVersion kubevirt.io/* or none), or undefined for anything else. */
function kubevirtKind(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { kind, apiVersion } = value as { kind?: unknown; apiVersion?: unknown };
  if (typeof kind !== "string") return undefined;
  if (apiVersion !== undefined && (typeof apiVersion !== "string" || !apiVersion.startsWith("kubevirt.io/")))
    return undefined;
  return kind;
}

function add<T>(
  into: Map<string, Located<T>>,
  flag: string,
  kind: string,
  doc: ManifestDocument,
  parse: (value: unknown, what: string) => T,
): void {
  const metadata = (doc.value as { metadata?: unknown }).metadata;
  const { name, namespace } = (typeof metadata === "object" && metadata !== null ? metadata : {}) as {
    name?: unknown;
    namespace?: unknown;
  };
  const location = documentLocation(doc);
  if (typeof name !== "string" || name === "") {
    throw new InputError(
      `${location}: ${kind} without metadata.name (expected a non-empty string): livevm matches VMs by namespace/name`,
    );
  }
  if (namespace !== undefined && (typeof namespace !== "string" || namespace === "")) {
    throw new InputError(`${location}: ${kind} ${name}: metadata.namespace: expected a non-empty string`);
  }
  const ns = (namespace as string | undefined) ?? DEFAULT_NAMESPACE;
  const key = objectKey(ns, name);
  const object = validate(doc, `${kind} ${key}`, parse);
  const earlier = into.get(key);
  if (earlier) {
    throw new InputError(`${flag}: ${kind} ${key} is defined twice: ${earlier.location} and ${location}`);
  }
  into.set(key, { namespace: ns, name, object, location });
}

function validate<T>(doc: ManifestDocument, what: string, parse: (value: unknown, what: string) => T): T {
  try {
    return parse(doc.value, what);
  } catch (e) {
    if (!(e instanceof SchemaError)) throw e;
    const lines = e.issues.map((i) => {
      const at = fieldPosition(doc, i.path);
      const where = at ? ` (line ${at.line}, column ${at.col})` : "";
      const actual = describeActual(doc.value, i.path);
      const repeated = actual !== "" && i.message.includes(actual.slice(" (got ".length, -1));
      return `  ${i.path || "(the object)"}${where}: ${i.message}${repeated ? "" : actual}`;
    });
    throw new InputError(`${documentLocation(doc)}: ${what} does not match the schema:\n${lines.join("\n")}`);
  }
}

/** " (got <value>)" for a scalar at the dotted path, to show what was wrong. */
function describeActual(root: unknown, path: string): string {
  let v: unknown = root;
  for (const key of resolvePath(root, path)) {
    if (v === null || typeof v !== "object") return "";
    v = (v as Record<string | number, unknown>)[key];
  }
  if (v === undefined || (typeof v === "object" && v !== null)) return "";
  const text = JSON.stringify(v);
  return text.length > 60 ? "" : ` (got ${text})`;
}
