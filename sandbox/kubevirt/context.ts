/** What the controllers share: the store, typed resource handles, the cluster view, timing and faults. */
import { resourceTypeOfKind, type ResourceType } from "../api/resources";
import type { KObject, Store } from "../api/store";
import type { ClusterConfig } from "./cluster";

export const T = {
  ns: resourceTypeOfKind("Namespace"),
  node: resourceTypeOfKind("Node"),
  revision: resourceTypeOfKind("ControllerRevision"),
  vm: resourceTypeOfKind("VirtualMachine"),
  vmi: resourceTypeOfKind("VirtualMachineInstance"),
  vmim: resourceTypeOfKind("VirtualMachineInstanceMigration"),
  kv: resourceTypeOfKind("KubeVirt"),
} as const satisfies Record<string, ResourceType>;

/** Per-VM fault annotations (on the VM, its template or the VMI). */
export const ANNOTATION = {
  failMigrations: "sandbox.livevm.dev/fail-migrations",
  failMemoryHotplug: "sandbox.livevm.dev/fail-memory-hotplug",
  nonMigratable: "sandbox.livevm.dev/non-migratable",
  /** Node annotation: the kubelet on this node runs the static CPU manager policy. */
  cpuManagerPolicy: "sandbox.livevm.dev/cpu-manager-policy",
} as const;

export interface Timing {
  /** Total duration of a migration, from Pending to Succeeded/Failed. */
  readonly migrationMs: number;
  /** Base of the workload-update migration back-off (KubeVirt: 20 s), doubled per consecutive failure. */
  readonly backoffBaseMs: number;
}

export interface ModelContext {
  readonly store: Store;
  readonly timing: Timing;
  cluster(): ClusterConfig;
  /** Writes an object if it changed; returns the stored object. */
  write(t: ResourceType, obj: KObject): KObject;
  create(t: ResourceType, obj: KObject): KObject;
  remove(t: ResourceType, namespace: string | undefined, name: string): void;
  /** Asks for a reconcile pass no later than `ms` from now. */
  wakeIn(ms: number): void;
  /** VMIs (namespace/name) waiting for a free migration slot. */
  readonly throttled: Set<string>;
  /** Migration failures already injected per VM uid (for sandbox.livevm.dev/fail-migrations). */
  readonly injectedFailures: Map<string, number>;
}

export function annotation(objs: (KObject | undefined)[], key: string): string | undefined {
  for (const o of objs) {
    const v = o?.metadata.annotations?.[key];
    if (v !== undefined) return v;
    const tmpl = (o?.spec as Record<string, unknown> | undefined)?.template as Record<string, unknown> | undefined;
    const tv = (
      (tmpl?.metadata as Record<string, unknown> | undefined)?.annotations as Record<string, string> | undefined
    )?.[key];
    if (tv !== undefined) return tv;
  }
  return undefined;
}
