import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as k8sClient from "@kubernetes/client-node";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ProviderConfig } from "../config";

/**
 * Where the cluster is and who we are, resolved like pulumi-kubernetes does: the provider's
 * `kubeconfig` (a path or the file's content), else $KUBECONFIG, else ~/.kube/config, else the
 * in-cluster service account. Errors say which source was used and what is wrong with it, and never
 * quote the kubeconfig's content.
 */

export interface ClusterAccess {
  readonly kubeConfig: KubeConfig;
  /** the API server URL */
  readonly server: string;
  readonly contextName: string;
  /** namespace for objects that do not name one */
  readonly namespace: string;
  /** where the configuration came from, for error messages: "provider kubeconfig (content)", "$KUBECONFIG" ... */
  readonly source: string;
}

export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeconfigError";
  }
}

/** A kubeconfig value is content (not a path) when it spans lines or looks like YAML/JSON. */
export function isKubeconfigContent(value: string): boolean {
  const t = value.trimStart();
  return value.includes("\n") || t.startsWith("{") || t.startsWith("apiVersion:") || t.startsWith("kind:");
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? join(homedir(), path.slice(1)) : path;
}

let clientModule: Promise<typeof k8sClient> | undefined;
/** @kubernetes/client-node is ESM-only and takes ~1 s to load: loaded once, on first use. */
export function loadClientModule(): Promise<typeof k8sClient> {
  clientModule ??= import("@kubernetes/client-node");
  return clientModule;
}

export async function resolveClusterAccess(
  config: ProviderConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ClusterAccess> {
  const k8s = await loadClientModule();
  const kc = new k8s.KubeConfig();
  let source: string;
  const opts = { onInvalidEntry: "throw" as const };
  try {
    if (config.kubeconfig !== undefined) {
      if (isKubeconfigContent(config.kubeconfig)) {
        source = "the provider's kubeconfig (content)";
        kc.loadFromString(config.kubeconfig, opts);
      } else {
        const path = expandHome(config.kubeconfig);
        source = `the provider's kubeconfig file ${path}`;
        if (!existsSync(path)) throw new KubeconfigError(`${source} does not exist`);
        kc.loadFromFile(path, opts);
      }
    } else if (env["KUBECONFIG"]) {
      const files = env["KUBECONFIG"].split(":").filter((f) => f !== "");
      source = `$KUBECONFIG (${files.join(":")})`;
      const missing = files.filter((f) => !existsSync(f));
      if (missing.length === files.length) throw new KubeconfigError(`${source}: no such file`);
      const present = files.filter((f) => existsSync(f));
      kc.loadFromFile(present[0]!, opts);
      for (const f of present.slice(1)) {
        const more = new k8s.KubeConfig();
        more.loadFromFile(f, opts);
        kc.mergeConfig(more, true);
      }
    } else if (existsSync(join(homedir(), ".kube", "config"))) {
      source = join(homedir(), ".kube", "config");
      kc.loadFromFile(source, opts);
    } else if (env["KUBERNETES_SERVICE_HOST"]) {
      source = "the in-cluster service account";
      kc.loadFromCluster();
    } else {
      throw new KubeconfigError(
        "no Kubernetes configuration found: set the provider's kubeconfig (livevm:kubeconfig), $KUBECONFIG, or ~/.kube/config, or run inside a cluster",
      );
    }
  } catch (e) {
    if (e instanceof KubeconfigError) throw e;
    // Parser errors can quote the input (tokens, keys): say what is wrong without them.
    throw new KubeconfigError(
      `the kubeconfig could not be loaded (${kubeconfigSource(config, env)}): it is not a valid kubeconfig file`,
    );
  }
  if (config.context !== undefined) {
    if (!kc.getContextObject(config.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new KubeconfigError(
        `context ${JSON.stringify(config.context)} is not in ${source}; it has: ${known.length ? known.join(", ") : "no contexts"}`,
      );
    }
    kc.setCurrentContext(config.context);
  }
  const contextName = kc.getCurrentContext();
  const context = kc.getContextObject(contextName);
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new KubeconfigError(
      `${source} has no cluster for context ${JSON.stringify(contextName)}; set livevm:context to one of: ${kc
        .getContexts()
        .map((c) => c.name)
        .join(", ")}`,
    );
  return {
    kubeConfig: kc,
    server: cluster.server.replace(/\/+$/, ""),
    contextName,
    namespace: config.namespace ?? context?.namespace ?? "default",
    source,
  };
}

function kubeconfigSource(config: ProviderConfig, env: NodeJS.ProcessEnv): string {
  if (config.kubeconfig !== undefined)
    return isKubeconfigContent(config.kubeconfig) ? "the provider's kubeconfig content" : expandHome(config.kubeconfig);
  if (env["KUBECONFIG"]) return `$KUBECONFIG=${env["KUBECONFIG"]}`;
  return join(homedir(), ".kube", "config");
}
