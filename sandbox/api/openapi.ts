/**
 * Minimal OpenAPI v2 and v3 documents: enough for kubectl to find each kind's operations and see that
 * the server validates fields itself (`fieldValidation` query parameter), and that custom resources take
 * JSON/merge/apply patches but not strategic-merge ones (so `kubectl apply` sends merge patches, as it
 * does for CRDs). Schemas preserve unknown fields; the server does the real validation.
 */
import { createHash } from "node:crypto";
import { RESOURCE_TYPES, type ResourceType } from "./resources";

function schemaName(t: ResourceType): string {
  const group = t.group === "" ? "io.k8s.api.core" : t.group === "apps" ? "io.k8s.api.apps" : "io.kubevirt";
  return `${group}.${t.version}.${t.kind}`;
}

function gvk(t: ResourceType): Record<string, unknown>[] {
  return [{ group: t.group, kind: t.kind, version: t.version }];
}

function collectionPath(t: ResourceType): string {
  const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
  return t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}` : `${prefix}/${t.plural}`;
}

const QUERY = ["dryRun", "fieldManager", "fieldValidation", "force"];

function patchTypes(t: ResourceType): string[] {
  return [
    "application/json-patch+json",
    "application/merge-patch+json",
    ...(t.custom ? [] : ["application/strategic-merge-patch+json"]),
    "application/apply-patch+yaml",
  ];
}

export function openApiV2(): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const definitions: Record<string, unknown> = {};
  for (const t of RESOURCE_TYPES) {
    const ref = { $ref: `#/definitions/${schemaName(t)}` };
    definitions[schemaName(t)] = {
      type: "object",
      "x-kubernetes-group-version-kind": gvk(t),
      "x-kubernetes-preserve-unknown-fields": true,
    };
    const params = QUERY.map((name) => ({ name, in: "query", type: "string", uniqueItems: true }));
    const op = (verb: string, extra: Record<string, unknown> = {}) => ({
      operationId: `${verb}${t.kind}`,
      "x-kubernetes-action": verb,
      "x-kubernetes-group-version-kind": gvk(t)[0],
      parameters: params,
      responses: { "200": { description: "OK", schema: ref } },
      ...extra,
    });
    paths[collectionPath(t)] = { get: op("list"), post: op("post") };
    paths[`${collectionPath(t)}/{name}`] = {
      get: op("get"),
      put: op("put"),
      delete: op("delete"),
      patch: op("patch", { consumes: patchTypes(t) }),
    };
  }
  return { swagger: "2.0", info: { title: "livevm sandbox", version: "v1" }, paths, definitions };
}

function groupVersionKey(t: ResourceType): string {
  return t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`;
}

export function openApiV3Document(key: string): Record<string, unknown> | undefined {
  const types = RESOURCE_TYPES.filter((t) => groupVersionKey(t) === key);
  if (types.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const t of types) {
    const ref = { $ref: `#/components/schemas/${schemaName(t)}` };
    schemas[schemaName(t)] = {
      type: "object",
      "x-kubernetes-group-version-kind": gvk(t),
      "x-kubernetes-preserve-unknown-fields": true,
    };
    const parameters = QUERY.map((name) => ({ name, in: "query", schema: { type: "string", uniqueItems: true } }));
    const op = (verb: string, body?: string[]) => ({
      operationId: `${verb}${t.kind}`,
      "x-kubernetes-action": verb,
      "x-kubernetes-group-version-kind": gvk(t)[0],
      parameters,
      ...(body ? { requestBody: { content: Object.fromEntries(body.map((b) => [b, { schema: ref }])) } } : {}),
      responses: { "200": { description: "OK", content: { "application/json": { schema: ref } } } },
    });
    paths[`/${collectionPath(t).slice(1)}`] = { get: op("list"), post: op("post", ["*/*"]) };
    paths[`/${collectionPath(t).slice(1)}/{name}`] = {
      get: op("get"),
      put: op("put", ["*/*"]),
      delete: op("delete"),
      patch: op("patch", patchTypes(t)),
    };
  }
  return { openapi: "3.0.0", info: { title: "livevm sandbox", version: "v1" }, paths, components: { schemas } };
}

export function openApiV3Root(): Record<string, unknown> {
  const keys = [...new Set(RESOURCE_TYPES.map(groupVersionKey))];
  const paths: Record<string, unknown> = {};
  for (const k of keys) {
    const hash = createHash("sha256")
      .update(JSON.stringify(openApiV3Document(k)))
      .digest("hex")
      .slice(0, 16)
      .toUpperCase();
    paths[k] = { serverRelativeURL: `/openapi/v3/${k}?hash=${hash}` };
  }
  return { paths };
}
