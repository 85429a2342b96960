import { isObject } from "../json/equal";

/**
 * Fields the API server and KubeVirt's mutating webhooks write into a VirtualMachine that nobody
 * declared. On import they are left out of the inputs, so a program written from the imported inputs
 * has no perpetual diff (refresh never shows them: it prunes the live object to the declared shape).
 */

const DROP_ANNOTATIONS = [/^kubevirt\.io\//, /^kubectl\.kubernetes\.io\/last-applied-configuration$/, /^livevm\.io\//];

export function importedMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: metadata["name"], namespace: metadata["namespace"] };
  if (isObject(metadata["labels"]) && Object.keys(metadata["labels"]).length > 0) out["labels"] = metadata["labels"];
  if (isObject(metadata["annotations"])) {
    const kept = Object.fromEntries(
      Object.entries(metadata["annotations"]).filter(([k]) => !DROP_ANNOTATIONS.some((r) => r.test(k))),
    );
    if (Object.keys(kept).length > 0) out["annotations"] = kept;
  }
  return out;
}

/** The spec without what the API server/KubeVirt defaulted. */
export function importedSpec(spec: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(spec);
  const template = out["template"] as Record<string, unknown> | undefined;
  if (isObject(template)) {
    // The API server writes creationTimestamp: null into embedded object metadata.
    const tm = template["metadata"];
    if (isObject(tm)) {
      if (tm["creationTimestamp"] === null) delete tm["creationTimestamp"];
      if (Object.keys(tm).length === 0) delete template["metadata"];
    }
    const ts = template["spec"];
    if (isObject(ts)) {
      // KubeVirt's VM mutator: setDefaultArchitecture (cluster default) and the default machine type.
      delete ts["architecture"];
      const domain = ts["domain"];
      if (isObject(domain)) {
        const machine = domain["machine"];
        if (isObject(machine) && Object.keys(machine).every((k) => k === "type")) delete domain["machine"];
      }
    }
  }
  for (const key of ["instancetype", "preference"]) {
    const m = out[key];
    // setDefaultInstancetypeKind / setDefaultPreferenceKind
    if (
      isObject(m) &&
      (m["kind"] === "virtualmachineclusterinstancetype" || m["kind"] === "virtualmachineclusterpreference")
    )
      delete m["kind"];
  }
  return out;
}
