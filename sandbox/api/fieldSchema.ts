/**
 * Just enough of KubeVirt's CRD schemas to answer like a structural schema does: wrong types in the
 * fields livevm cares about are 422s, and unknown fields are pruned (with a warning) or, under
 * `fieldValidation=Strict`, rejected. Subtrees marked open accept any field.
 */

type Leaf = "string" | "integer" | "boolean" | "quantity" | "any";
interface ObjectNode {
  readonly fields: Record<string, SchemaNode>;
  readonly open?: boolean; // unknown fields are allowed (we do not model this subtree fully)
}
interface MapNode {
  readonly values: SchemaNode;
}
interface ArrayNode {
  readonly items: SchemaNode;
}
export type SchemaNode = Leaf | ObjectNode | MapNode | ArrayNode;

const obj = (fields: Record<string, SchemaNode>, open = false): ObjectNode => ({ fields, open });
const map = (values: SchemaNode): MapNode => ({ values });
const arr = (items: SchemaNode): ArrayNode => ({ items });

const metadata = obj({}, true);

const cpu = obj({
  cores: "integer",
  sockets: "integer",
  threads: "integer",
  maxSockets: "integer",
  model: "string",
  dedicatedCpuPlacement: "boolean",
  isolateEmulatorThread: "boolean",
  features: "any",
  numa: "any",
  realtime: "any",
});

const memory = obj({
  guest: "quantity",
  maxGuest: "quantity",
  hugepages: obj({ pageSize: "string" }),
});

const resources = obj({
  requests: map("quantity"),
  limits: map("quantity"),
  overcommitGuestOverhead: "boolean",
});

const vmiSpec = obj(
  {
    domain: obj({ cpu, memory, resources }, true),
    architecture: "string",
    nodeSelector: map("string"),
    affinity: "any",
    tolerations: arr("any"),
    evictionStrategy: "string",
    terminationGracePeriodSeconds: "integer",
    volumes: arr("any"),
    networks: arr("any"),
    hostname: "string",
  },
  true,
);

const vmSpec = obj({
  running: "boolean",
  runStrategy: "string",
  template: obj({ metadata, spec: vmiSpec }),
  dataVolumeTemplates: arr("any"),
  instancetype: "any",
  preference: "any",
  liveUpdateFeatures: obj({
    cpu: obj({ maxSockets: "integer" }),
    memory: obj({ maxGuest: "quantity" }),
    affinity: "any",
  }),
  updateVolumesStrategy: "string",
});

const root = (spec: SchemaNode): ObjectNode =>
  obj({ apiVersion: "string", kind: "string", metadata, spec, status: obj({}, true) });

export const SCHEMAS: Record<string, ObjectNode> = {
  VirtualMachine: root(vmSpec),
  VirtualMachineInstance: root(vmiSpec),
  VirtualMachineInstanceMigration: root(
    obj({ vmiName: "string", priority: "string", addedNodeSelector: map("string") }, true),
  ),
  KubeVirt: root(
    obj(
      {
        configuration: obj(
          {
            developerConfiguration: obj({ featureGates: arr("string") }, true),
            vmRolloutStrategy: "string",
            liveUpdateConfiguration: obj({
              maxHotplugRatio: "integer",
              maxCpuSockets: "integer",
              maxGuest: "quantity",
            }),
            migrations: obj({ parallelMigrationsPerCluster: "integer" }, true),
            evictionStrategy: "string",
          },
          true,
        ),
        workloadUpdateStrategy: obj({ workloadUpdateMethods: arr("string"), batchEvictionSize: "integer" }, true),
      },
      true,
    ),
  ),
};

export interface FieldProblem {
  readonly path: string;
  readonly kind: "unknown" | "type";
  readonly expected?: string;
  readonly actual?: string;
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** Checks `value` against `node`; removes unknown fields from `value` when `prune` is set. */
export function checkFields(value: unknown, node: SchemaNode, path: string, prune: boolean, out: FieldProblem[]): void {
  if (value === null || value === undefined) return;
  if (typeof node === "string") {
    const t = typeName(value);
    const ok =
      node === "any" ||
      (node === "string" && t === "string") ||
      (node === "integer" && t === "integer") ||
      (node === "boolean" && t === "boolean") ||
      (node === "quantity" && (t === "string" || t === "integer" || t === "number"));
    if (!ok) out.push({ path, kind: "type", expected: node === "quantity" ? "string" : node, actual: t });
    return;
  }
  if ("items" in node) {
    if (!Array.isArray(value)) out.push({ path, kind: "type", expected: "array", actual: typeName(value) });
    else value.forEach((v, i) => checkFields(v, node.items, `${path}[${i}]`, prune, out));
    return;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    out.push({ path, kind: "type", expected: "object", actual: typeName(value) });
    return;
  }
  const rec = value as Record<string, unknown>;
  if ("values" in node) {
    for (const [k, v] of Object.entries(rec)) checkFields(v, node.values, `${path}.${k}`, prune, out);
    return;
  }
  for (const [k, v] of Object.entries(rec)) {
    const child = node.fields[k];
    const p = path ? `${path}.${k}` : k;
    if (child) checkFields(v, child, p, prune, out);
    else if (!node.open) {
      out.push({ path: p, kind: "unknown" });
      if (prune) delete rec[k];
    }
  }
}
