/**
 * The Kubernetes kinds livevm reads and writes, and their REST paths.
 */
export interface ResourceKind {
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const VIRTUAL_MACHINE: ResourceKind = {
  kind: "VirtualMachine",
  group: "kubevirt.io",
  version: "v1",
  plural: "virtualmachines",
  namespaced: true,
};
export const VIRTUAL_MACHINE_INSTANCE: ResourceKind = {
  kind: "VirtualMachineInstance",
  group: "kubevirt.io",
  version: "v1",
  plural: "virtualmachineinstances",
  namespaced: true,
};
export const VIRTUAL_MACHINE_INSTANCE_MIGRATION: ResourceKind = {
  kind: "VirtualMachineInstanceMigration",
  group: "kubevirt.io",
  version: "v1",
  plural: "virtualmachineinstancemigrations",
  namespaced: true,
};
export const KUBEVIRT: ResourceKind = {
  kind: "KubeVirt",
  group: "kubevirt.io",
  version: "v1",
  plural: "kubevirts",
  namespaced: true,
};

/** The collection path: /apis/kubevirt.io/v1/namespaces/ns/virtualmachines */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  const root = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  return kind.namespaced && namespace
    ? `${root}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`
    : `${root}/${kind.plural}`;
}

export function objectPath(kind: ResourceKind, namespace: string, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}

/** A VM subresource (start, stop, restart) under subresources.kubevirt.io. */
export function vmSubresourcePath(namespace: string, name: string, action: "start" | "stop" | "restart"): string {
  return `/apis/subresources.kubevirt.io/v1/namespaces/${encodeURIComponent(namespace)}/virtualmachines/${encodeURIComponent(name)}/${action}`;
}

export function describeObject(kind: ResourceKind, namespace: string, name: string): string {
  return `${kind.kind} ${namespace}/${name}`;
}
