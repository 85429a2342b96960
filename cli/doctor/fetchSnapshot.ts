/**
 * Reads a ClusterSnapshot through @kubernetes/client-node: the KubeVirt CRs, the nodes, and the
 * VirtualMachines in scope with their VMIs. API errors carry the server's own message. Objects are
 * validated with core's schemas, so a malformed object is reported with its exact path.
 */

import * as k8s from "@kubernetes/client-node";
import { parseWith, SchemaError } from "../../core/kubevirt/schema/parse";
import { kubeVirt as kubeVirtSchema, type KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import { virtualMachine, type VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import { virtualMachineInstance, type VirtualMachineInstance } from "../../core/kubevirt/schema/virtualMachineInstance";
import { type ClusterSnapshot, type NodeInfo, type VmSnapshot } from "./clusterSnapshot";

const GROUP = "kubevirt.io";
const VERSION = "v1";

export class ClusterReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ClusterReadError";
  }
}

/** The API server's message for a failed call (its Status.message), else the error's own text. */
export function apiMessage(e: unknown): string {
  if (e instanceof k8s.ApiException) {
    const body = e.body as unknown;
    let parsed: unknown = body;
    if (typeof body === "string") {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    const message = (parsed as { message?: unknown } | undefined)?.message;
    return `HTTP ${e.code}: ${typeof message === "string" ? message : typeof body === "string" && body ? body : e.message}`;
  }
  if (!(e instanceof Error)) return String(e);
  // fetch errors ("fetch failed") carry the reason (ECONNREFUSED, a TLS problem, ...) in their cause
  const reasons = [e.message];
  for (let c: unknown = e.cause; c instanceof Error && reasons.length < 4; c = c.cause) reasons.push(c.message);
  return reasons.join(": ");
}

function statusCode(e: unknown): number | undefined {
  return e instanceof k8s.ApiException ? e.code : undefined;
}

export interface SnapshotScope {
  /** undefined: all namespaces (only when no VM names are given) */
  readonly namespace?: string;
  /** "name" (in `namespace`) or "namespace/name"; empty: every VM in scope */
  readonly vmNames: readonly string[];
  readonly defaultNamespace: string;
}

export async function fetchClusterSnapshot(kc: k8s.KubeConfig, scope: SnapshotScope): Promise<ClusterSnapshot> {
  try {
    return await readSnapshot(kc, scope);
  } catch (e) {
    if (e instanceof ClusterReadError) {
      throw new ClusterReadError(`${e.message} (API server ${kc.getCurrentCluster()?.server ?? "unknown"})`, {
        cause: e,
      });
    }
    throw e;
  }
}

async function readSnapshot(kc: k8s.KubeConfig, scope: SnapshotScope): Promise<ClusterSnapshot> {
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);

  let kubeVirts: KubeVirt[] = [];
  let kubeVirtError: string | undefined;
  try {
    const list = (await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: "kubevirts" })) as {
      items?: unknown[];
    };
    kubeVirts = (list.items ?? []).map((item, i) => parseWith(kubeVirtSchema, item, `KubeVirt CR #${i}`));
  } catch (e) {
    if (statusCode(e) === 404) kubeVirtError = "the KubeVirt CRD (kubevirts.kubevirt.io) is not installed";
    else throw new ClusterReadError(`listing KubeVirt CRs: ${apiMessage(e)}`, { cause: e });
  }

  let nodes: NodeInfo[] | undefined;
  let nodeError: string | undefined;
  try {
    const list = await core.listNode();
    nodes = list.items.map((n) => ({
      name: n.metadata?.name ?? "",
      labels: n.metadata?.labels ?? {},
      unschedulable: n.spec?.unschedulable === true,
      ready: (n.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
    }));
  } catch (e) {
    nodeError = apiMessage(e);
  }

  const vms: VirtualMachine[] = [];
  if (scope.vmNames.length > 0) {
    for (const ref of scope.vmNames) {
      const [ns, name] = ref.includes("/")
        ? (ref.split("/", 2) as [string, string])
        : [scope.namespace ?? scope.defaultNamespace, ref];
      try {
        const obj = await custom.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace: ns,
          plural: "virtualmachines",
          name,
        });
        vms.push(parseWith(virtualMachine, obj, `VirtualMachine ${ns}/${name}`));
      } catch (e) {
        if (e instanceof SchemaError) throw e;
        throw new ClusterReadError(`reading VirtualMachine ${ns}/${name}: ${apiMessage(e)}`, { cause: e });
      }
    }
  } else {
    try {
      const list = (
        scope.namespace
          ? await custom.listNamespacedCustomObject({
              group: GROUP,
              version: VERSION,
              namespace: scope.namespace,
              plural: "virtualmachines",
            })
          : await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: "virtualmachines" })
      ) as { items?: unknown[] };
      for (const item of list.items ?? []) {
        const meta = (item as { metadata?: { namespace?: string; name?: string } }).metadata;
        vms.push(parseWith(virtualMachine, item, `VirtualMachine ${meta?.namespace ?? "?"}/${meta?.name ?? "?"}`));
      }
    } catch (e) {
      if (e instanceof SchemaError) throw e;
      if (statusCode(e) !== 404 || kubeVirtError === undefined) {
        throw new ClusterReadError(
          `listing VirtualMachines${scope.namespace ? ` in ${scope.namespace}` : ""}: ${apiMessage(e)}`,
          { cause: e },
        );
      }
    }
  }

  const snapshots: VmSnapshot[] = [];
  for (const vm of vms) {
    const ns = vm.metadata?.namespace ?? scope.namespace ?? scope.defaultNamespace;
    const name = vm.metadata?.name ?? "";
    let vmi: VirtualMachineInstance | undefined;
    try {
      const obj = await custom.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace: ns,
        plural: "virtualmachineinstances",
        name,
      });
      vmi = parseWith(virtualMachineInstance, obj, `VirtualMachineInstance ${ns}/${name}`);
    } catch (e) {
      if (e instanceof SchemaError) throw e;
      if (statusCode(e) !== 404)
        throw new ClusterReadError(`reading VirtualMachineInstance ${ns}/${name}: ${apiMessage(e)}`, { cause: e });
    }
    snapshots.push(vmi ? { vm, vmi } : { vm });
  }
  return {
    kubeVirts,
    ...(kubeVirtError ? { kubeVirtError } : {}),
    ...(nodes ? { nodes } : {}),
    ...(nodeError ? { nodeError } : {}),
    vms: snapshots,
  };
}
