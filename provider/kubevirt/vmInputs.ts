import { randomBytes } from "node:crypto";
import { SchemaError, parseWith } from "../../core/kubevirt/schema/parse";
import { virtualMachine, type VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import { RESTART_POLICIES, type RestartPolicy } from "../config";
import { isObject } from "../json/equal";
import { containsUnknown, isUnknown } from "../properties";
import type { CheckFailure, PropertyMap } from "../resources/resource";

/**
 * The inputs of livevm:kubevirt:VirtualMachine: a KubeVirt VirtualMachine as written in a manifest
 * (metadata and spec pass through untouched) plus what the provider does about restarts and waits.
 */
export interface VmInputs extends PropertyMap {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
  onRestartRequired?: RestartPolicy;
  waitForLiveUpdate?: boolean;
}

export const AUTONAMED_ANNOTATION = "pulumi.com/autonamed";

/** A copy without unknown values (they cannot be validated until apply). */
export function withoutUnknowns(value: unknown): unknown {
  if (isUnknown(value)) return undefined;
  if (Array.isArray(value)) return value.some(containsUnknown) ? undefined : value;
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const x = withoutUnknowns(v);
      if (x !== undefined) out[k] = x;
    }
    return out;
  }
  return value;
}

export interface CheckDefaults {
  /** namespace for a VM that names none (the provider's, else the kubeconfig context's) */
  readonly namespace: string;
  /** the resource's logical name, the base for an automatic name */
  readonly logicalName: string;
}

export function checkVmInputs(
  olds: VmInputs | undefined,
  news: PropertyMap,
  defaults: CheckDefaults,
): { inputs: VmInputs; failures: CheckFailure[]; vm?: VirtualMachine } {
  const failures: CheckFailure[] = [];
  const known = new Set(["apiVersion", "kind", "metadata", "spec", "onRestartRequired", "waitForLiveUpdate", "status"]);
  for (const key of Object.keys(news))
    if (!known.has(key))
      failures.push({
        property: key,
        reason: `unknown property; expected apiVersion, kind, metadata, spec, onRestartRequired or waitForLiveUpdate`,
      });
  if ("status" in news)
    failures.push({
      property: "status",
      reason: "status is written by KubeVirt, not by you: remove it from the inputs",
    });
  const apiVersion = news["apiVersion"] ?? "kubevirt.io/v1";
  if (!isUnknown(apiVersion) && apiVersion !== "kubevirt.io/v1")
    failures.push({ property: "apiVersion", reason: `expected "kubevirt.io/v1", got ${JSON.stringify(apiVersion)}` });
  const kind = news["kind"] ?? "VirtualMachine";
  if (!isUnknown(kind) && kind !== "VirtualMachine")
    failures.push({ property: "kind", reason: `expected "VirtualMachine", got ${JSON.stringify(kind)}` });
  const policy = news["onRestartRequired"];
  if (
    policy !== undefined &&
    policy !== null &&
    !isUnknown(policy) &&
    !(RESTART_POLICIES as readonly unknown[]).includes(policy)
  )
    failures.push({
      property: "onRestartRequired",
      reason: `expected one of "restart", "warn", "fail", got ${JSON.stringify(policy)}`,
    });
  const wait = news["waitForLiveUpdate"];
  if (wait !== undefined && wait !== null && !isUnknown(wait) && typeof wait !== "boolean")
    failures.push({ property: "waitForLiveUpdate", reason: `expected true or false, got ${JSON.stringify(wait)}` });

  const metadataIn = news["metadata"];
  const metadata: Record<string, unknown> = isObject(metadataIn) ? { ...metadataIn } : {};
  if (metadataIn !== undefined && !isObject(metadataIn) && !isUnknown(metadataIn))
    failures.push({ property: "metadata", reason: "expected an object with name, namespace, labels, annotations" });
  if (metadata["name"] === undefined || metadata["name"] === null || metadata["name"] === "") {
    const oldName = olds?.metadata?.["name"];
    const oldAnnotations = olds?.metadata?.["annotations"] as Record<string, string> | undefined;
    const name =
      typeof oldName === "string" && oldAnnotations?.[AUTONAMED_ANNOTATION] === "true"
        ? oldName
        : `${defaults.logicalName.toLowerCase().replace(/[^a-z0-9-]/g, "-")}-${randomBytes(4).toString("hex")}`;
    metadata["name"] = name;
    const annotations = isObject(metadata["annotations"]) ? { ...metadata["annotations"] } : {};
    annotations[AUTONAMED_ANNOTATION] = "true";
    metadata["annotations"] = annotations;
  }
  if (metadata["namespace"] === undefined || metadata["namespace"] === null || metadata["namespace"] === "")
    metadata["namespace"] = defaults.namespace;
  const name = metadata["name"];
  if (typeof name === "string" && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    failures.push({
      property: "metadata.name",
      reason: `${JSON.stringify(name)} is not a valid VirtualMachine name: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    });
  if (typeof name === "string" && name.length > 63)
    failures.push({ property: "metadata.name", reason: `must be at most 63 characters, got ${name.length}` });

  const specIn = news["spec"];
  if (specIn === undefined || specIn === null)
    failures.push({ property: "spec", reason: "required: the VirtualMachine spec (at least spec.template)" });
  const spec = isObject(specIn) ? specIn : {};

  const inputs: VmInputs = {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata,
    spec: isUnknown(specIn) ? (specIn as Record<string, unknown>) : spec,
    ...(policy !== undefined && policy !== null ? { onRestartRequired: policy as RestartPolicy } : {}),
    ...(wait !== undefined && wait !== null ? { waitForLiveUpdate: wait as boolean } : {}),
  };
  let vm: VirtualMachine | undefined;
  if (!isUnknown(specIn) && isObject(specIn)) {
    try {
      vm = parseWith(
        virtualMachine,
        withoutUnknowns({ apiVersion: inputs.apiVersion, kind: inputs.kind, metadata, spec }),
        `VirtualMachine ${String(metadata["namespace"])}/${String(metadata["name"])}`,
      );
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      for (const issue of e.issues) failures.push({ property: issue.path || "spec", reason: issue.message });
    }
  }
  return { inputs, failures, ...(vm && !containsUnknown(news) ? { vm } : {}) };
}

/** "namespace/name", the resource's id. */
export function vmId(inputs: { metadata: Record<string, unknown> }): string {
  return `${String(inputs.metadata["namespace"])}/${String(inputs.metadata["name"])}`;
}

export function parseVmId(id: string, fallbackNamespace: string): { namespace: string; name: string } {
  const i = id.indexOf("/");
  return i < 0 ? { namespace: fallbackNamespace, name: id } : { namespace: id.slice(0, i), name: id.slice(i + 1) };
}

/** The part of the inputs that is the Kubernetes object (what is sent to the API server). */
export function manifestOf(inputs: VmInputs): {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
} {
  return { apiVersion: inputs.apiVersion, kind: inputs.kind, metadata: inputs.metadata, spec: inputs.spec };
}

/** The declared, user-owned part of metadata (what Diff compares and patches). */
export function declaredMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["name", "namespace", "labels", "annotations", "generateName"])
    if (metadata[key] !== undefined) out[key] = metadata[key];
  return out;
}

/** Whether KubeVirt keeps this VM running (spec.running, or a run strategy that starts it). */
export function wantsToRun(vm: Record<string, unknown> | undefined): boolean {
  const spec = (vm?.["spec"] ?? {}) as { running?: unknown; runStrategy?: unknown };
  if (spec.runStrategy !== undefined) return spec.runStrategy === "Always" || spec.runStrategy === "RerunOnFailure";
  return spec.running === true;
}

/** A VMI in phase Running with Ready=True. */
export function vmiReady(vmi: Record<string, unknown> | undefined): boolean {
  const status = (vmi?.["status"] ?? {}) as { phase?: string; conditions?: { type?: string; status?: string }[] };
  return status.phase === "Running" && (status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}
