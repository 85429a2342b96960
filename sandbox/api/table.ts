/**
 * Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), so `kubectl get` shows the
 * same columns as on a cluster: KubeVirt's additionalPrinterColumns for its kinds, kubectl's usual ones for
 * nodes and namespaces. Dates are rendered as ages, as the API server does for CRD tables.
 */
import type { ResourceType } from "./resources";
import type { KObject } from "./store";

interface Column {
  name: string;
  type: "string" | "date" | "integer";
  priority: number;
  value: (o: KObject) => unknown;
}

function at(o: unknown, ...path: (string | number)[]): unknown {
  let cur = o;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function condition(o: KObject, type: string): unknown {
  const list = at(o, "status", "conditions");
  return Array.isArray(list)
    ? (list.find((c) => at(c, "type") === type) as { status?: string } | undefined)?.status
    : undefined;
}

const age: Column = { name: "Age", type: "date", priority: 0, value: (o) => o.metadata.creationTimestamp };

const COLUMNS: Record<string, Column[]> = {
  VirtualMachine: [
    age,
    { name: "Status", type: "string", priority: 0, value: (o) => at(o, "status", "printableStatus") },
    { name: "Ready", type: "string", priority: 0, value: (o) => condition(o, "Ready") },
  ],
  VirtualMachineInstance: [
    age,
    { name: "Phase", type: "string", priority: 0, value: (o) => at(o, "status", "phase") },
    { name: "IP", type: "string", priority: 0, value: (o) => at(o, "status", "interfaces", 0, "ipAddress") },
    { name: "NodeName", type: "string", priority: 0, value: (o) => at(o, "status", "nodeName") },
    { name: "Ready", type: "string", priority: 0, value: (o) => condition(o, "Ready") },
    { name: "Live-Migratable", type: "string", priority: 1, value: (o) => condition(o, "LiveMigratable") },
  ],
  VirtualMachineInstanceMigration: [
    { name: "Phase", type: "string", priority: 0, value: (o) => at(o, "status", "phase") },
    { name: "VMI", type: "string", priority: 0, value: (o) => at(o, "spec", "vmiName") },
  ],
  KubeVirt: [age, { name: "Phase", type: "string", priority: 0, value: (o) => at(o, "status", "phase") }],
  Node: [
    {
      name: "Status",
      type: "string",
      priority: 0,
      value: (o) => (condition(o, "Ready") === "True" ? "Ready" : "NotReady"),
    },
    {
      name: "Roles",
      type: "string",
      priority: 0,
      value: (o) =>
        Object.keys(o.metadata.labels ?? {})
          .filter((k) => k.startsWith("node-role.kubernetes.io/"))
          .map((k) => k.slice("node-role.kubernetes.io/".length))
          .join(",") || "<none>",
    },
    age,
    { name: "Version", type: "string", priority: 0, value: (o) => at(o, "status", "nodeInfo", "kubeletVersion") },
  ],
  Namespace: [{ name: "Status", type: "string", priority: 0, value: (o) => at(o, "status", "phase") }, age],
  ControllerRevision: [{ name: "Revision", type: "integer", priority: 0, value: (o) => at(o, "revision") }, age],
};

/** The meta.k8s.io version of a Table the client accepts, or undefined when it wants plain objects. */
export function acceptsTable(accept: string | undefined): string | undefined {
  for (const part of (accept ?? "").split(",")) {
    const params = Object.fromEntries(
      part
        .split(";")
        .slice(1)
        .map((p) => p.trim().split("=") as [string, string]),
    );
    if (params.as === "Table" && params.g === "meta.k8s.io" && (params.v === "v1" || params.v === "v1beta1"))
      return params.v;
  }
  return undefined;
}

/** "5m", "2d3h": kubectl's HumanDuration, as the API server renders date cells. */
function humanAge(ts: unknown): string {
  const t = typeof ts === "string" ? Date.parse(ts) : NaN;
  if (!Number.isFinite(t)) return "<unknown>";
  const s = Math.max(0, Math.floor((Date.now() - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ""}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ""}`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  return d < 8 ? `${d}d${h % 24 ? `${h % 24}h` : ""}` : `${d}d`;
}

function cell(c: Column, o: KObject): unknown {
  const v = c.value(o);
  if (c.type === "date") return humanAge(v);
  return v === undefined || v === null ? (c.type === "integer" ? 0 : "") : v;
}

export function columnDefinitions(t: ResourceType): Record<string, unknown>[] {
  return [
    { name: "Name", type: "string", format: "name", description: "Name of the object", priority: 0 },
    ...(COLUMNS[t.kind] ?? [age]).map((c) => ({
      name: c.name,
      type: c.type,
      format: "",
      description: "",
      priority: c.priority,
    })),
  ];
}

export function tableRow(
  t: ResourceType,
  o: KObject,
  includeObject: string | null,
  version: string,
): Record<string, unknown> {
  const cells = [o.metadata.name, ...(COLUMNS[t.kind] ?? [age]).map((c) => cell(c, o))];
  const object =
    includeObject === "None"
      ? undefined
      : includeObject === "Object"
        ? o
        : { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
  return { cells, ...(object ? { object } : {}) };
}

export function table(
  t: ResourceType,
  objects: KObject[],
  listMeta: Record<string, unknown>,
  includeObject: string | null,
  version: string,
  withColumns = true,
): Record<string, unknown> {
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMeta,
    columnDefinitions: withColumns ? columnDefinitions(t) : [],
    rows: objects.map((o) => tableRow(t, o, includeObject, version)),
  };
}
