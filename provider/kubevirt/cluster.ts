import type { KubeVirt } from "../../core/kubevirt/schema/kubeVirt";
import type { ProviderConfig } from "../config";
import { isNotFound, KubeApiError } from "../kubernetes/apiError";
import { createKubeClient, type ClientOptions, type KubeClient } from "../kubernetes/client";
import { resolveClusterAccess } from "../kubernetes/kubeconfig";
import { collectionPath, KUBEVIRT, objectPath, type ResourceKind } from "../kubernetes/kinds";
import { createWatchCache, type KubeObject, type WatchCache } from "../kubernetes/watchCache";

/**
 * The cluster as the KubeVirt resources see it: one REST client (bounded concurrency, retries) and
 * one shared watch cache per provider configuration, shared by every VirtualMachine of the update, and
 * the KubeVirt CR, read once and kept for a minute.
 */

export interface KubeVirtCluster {
  readonly client: KubeClient;
  readonly cache: WatchCache;
  /** namespace for VMs that name none */
  readonly namespace: string;
  /** the KubeVirt CR, or undefined when there is none or it cannot be read (with the reason) */
  kubevirt(signal?: AbortSignal): Promise<{ cr?: KubeVirt; problem?: string }>;
  /** GET an object; undefined when it does not exist */
  get(kind: ResourceKind, namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject | undefined>;
  /** the object from the shared cache when it is watched already, else by GET */
  cachedOrGet(
    kind: ResourceKind,
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<KubeObject | undefined>;
  close(): void;
}

const KUBEVIRT_TTL_MS = 60_000;

export async function connectKubeVirtCluster(
  config: ProviderConfig,
  options: ClientOptions = {},
): Promise<KubeVirtCluster> {
  const access = await resolveClusterAccess(config);
  const client = await createKubeClient(access, options);
  const cache = createWatchCache(client);
  let kubevirtCache: { at: number; value: Promise<{ cr?: KubeVirt; problem?: string }> } | undefined;

  const get = async (
    kind: ResourceKind,
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<KubeObject | undefined> => {
    try {
      const obj = await client.request<KubeObject>({
        method: "GET",
        path: objectPath(kind, namespace, name),
        operation: `read ${kind.kind} ${namespace}/${name}`,
        ...(signal ? { signal } : {}),
      });
      return { apiVersion: `${kind.group}/${kind.version}`, kind: kind.kind, ...obj };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  };

  const readKubeVirt = async (signal?: AbortSignal): Promise<{ cr?: KubeVirt; problem?: string }> => {
    try {
      const list = await client.request<{ items?: KubeVirt[] }>({
        method: "GET",
        list: true,
        path: collectionPath(KUBEVIRT, config.kubevirtNamespace),
        operation: `list KubeVirt in ${config.kubevirtNamespace}`,
        ...(signal ? { signal } : {}),
      });
      const cr = list.items?.[0];
      return cr
        ? { cr }
        : {
            problem: `no KubeVirt custom resource in namespace ${config.kubevirtNamespace} (set livevm:kubevirtNamespace?)`,
          };
    } catch (e) {
      if (e instanceof KubeApiError && (e.code === 403 || e.code === 404)) return { problem: e.message };
      throw e;
    }
  };

  return {
    client,
    cache,
    namespace: access.namespace,
    kubevirt(signal) {
      const now = Date.now();
      if (!kubevirtCache || now - kubevirtCache.at > KUBEVIRT_TTL_MS) {
        const value = readKubeVirt(signal);
        kubevirtCache = { at: now, value };
        value.catch(() => (kubevirtCache = undefined));
      }
      return kubevirtCache.value;
    },
    get,
    async cachedOrGet(kind, namespace, name, signal) {
      const cached = cache.peek(kind, namespace, name);
      if (cached) return cached.object;
      return get(kind, namespace, name, signal);
    },
    close() {
      cache.close();
      client.close();
    },
  };
}

/** One cluster connection per provider configuration (Configure replaces the configuration object). */
const connections = new WeakMap<ProviderConfig, Promise<KubeVirtCluster>>();

export function clusterFor(config: ProviderConfig, connect = connectKubeVirtCluster): Promise<KubeVirtCluster> {
  let c = connections.get(config);
  if (!c) {
    c = connect(config);
    connections.set(config, c);
    c.catch(() => connections.delete(config));
  }
  return c;
}
