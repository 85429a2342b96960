/** The resource types the sandbox serves, with what discovery says about them. */

export interface ResourceType {
  readonly group: string; // "" for the core group
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly categories?: readonly string[];
  /** Custom resources (kubevirt.io) refuse strategic-merge patches, like CRDs do. */
  readonly custom: boolean;
  readonly hasStatus: boolean;
}

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const RESOURCE_TYPES: readonly ResourceType[] = [
  {
    group: "",
    version: "v1",
    plural: "namespaces",
    singular: "namespace",
    kind: "Namespace",
    listKind: "NamespaceList",
    namespaced: false,
    shortNames: ["ns"],
    custom: false,
    hasStatus: true,
  },
  {
    group: "",
    version: "v1",
    plural: "nodes",
    singular: "node",
    kind: "Node",
    listKind: "NodeList",
    namespaced: false,
    shortNames: ["no"],
    custom: false,
    hasStatus: true,
  },
  {
    group: "apps",
    version: "v1",
    plural: "controllerrevisions",
    singular: "controllerrevision",
    kind: "ControllerRevision",
    listKind: "ControllerRevisionList",
    namespaced: true,
    shortNames: [],
    custom: false,
    hasStatus: false,
  },
  {
    group: "kubevirt.io",
    version: "v1",
    plural: "virtualmachines",
    singular: "virtualmachine",
    kind: "VirtualMachine",
    listKind: "VirtualMachineList",
    namespaced: true,
    shortNames: ["vm", "vms"],
    categories: ["all"],
    custom: true,
    hasStatus: true,
  },
  {
    group: "kubevirt.io",
    version: "v1",
    plural: "virtualmachineinstances",
    singular: "virtualmachineinstance",
    kind: "VirtualMachineInstance",
    listKind: "VirtualMachineInstanceList",
    namespaced: true,
    shortNames: ["vmi", "vmis"],
    categories: ["all"],
    custom: true,
    hasStatus: true,
  },
  {
    group: "kubevirt.io",
    version: "v1",
    plural: "virtualmachineinstancemigrations",
    singular: "virtualmachineinstancemigration",
    kind: "VirtualMachineInstanceMigration",
    listKind: "VirtualMachineInstanceMigrationList",
    namespaced: true,
    shortNames: ["vmim", "vmims"],
    categories: ["all"],
    custom: true,
    hasStatus: true,
  },
  {
    group: "kubevirt.io",
    version: "v1",
    plural: "kubevirts",
    singular: "kubevirt",
    kind: "KubeVirt",
    listKind: "KubeVirtList",
    namespaced: true,
    shortNames: ["kv", "kvs"],
    categories: ["all"],
    custom: true,
    hasStatus: true,
  },
];

export const SUBRESOURCES_GROUP = "subresources.kubevirt.io";
export const VM_SUBRESOURCES = ["start", "stop", "restart"] as const;

export function findResourceType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.plural === plural);
}

export function resourceTypeOfKind(kind: string): ResourceType {
  const t = RESOURCE_TYPES.find((r) => r.kind === kind);
  if (!t) throw new Error(`sandbox: no resource type for kind ${kind}`);
  return t;
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

export function resourceKey(t: ResourceType): string {
  return `${t.group}/${t.plural}`;
}

export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  if (group === SUBRESOURCES_GROUP && version === "v1") {
    return {
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion,
      resources: VM_SUBRESOURCES.map((s) => ({
        name: `virtualmachines/${s}`,
        singularName: "",
        namespaced: true,
        kind: "VirtualMachine",
        verbs: ["update"],
      })),
    };
  }
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    });
    if (t.hasStatus) {
      resources.push({
        name: `${t.plural}/status`,
        singularName: "",
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: ["get", "patch", "update"],
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = new Map<string, Set<string>>();
  for (const t of RESOURCE_TYPES) {
    if (!t.group) continue;
    const set = groups.get(t.group) ?? new Set<string>();
    set.add(t.version);
    groups.set(t.group, set);
  }
  groups.set(SUBRESOURCES_GROUP, new Set(["v1"]));
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...groups].map(([name, versions]) => {
      const vs = [...versions].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions: vs, preferredVersion: vs[0] };
    }),
  };
}
