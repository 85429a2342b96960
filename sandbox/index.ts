/**
 * `startSandbox`: a loopback Kubernetes API server whose KubeVirt objects behave like KubeVirt's for
 * CPU/memory live updates. For livevm's integration tests, demos and users' CI.
 */
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import YAML from "yaml";
import { formatVersion, parseKubeVirtVersion } from "../core/kubevirt/version";
import { FaultInjector, type ApiFaults } from "./api/faults";
import { checkRbacRules, type SandboxRbac } from "./api/authorizer";
import { countRequests, emptyMetrics, type ApiRequestMetrics } from "./api/requestMetrics";
import { createApiServer } from "./api/server";
import { Store, type KObject } from "./api/store";
import { ANNOTATION, T } from "./kubevirt/context";
import { KubeVirtModel } from "./kubevirt/model";

export type { ApiFaults } from "./api/faults";
export type { PolicyRule, SandboxRbac } from "./api/authorizer";
export type { ApiRequestMetrics } from "./api/requestMetrics";
export { ANNOTATION as SANDBOX_ANNOTATIONS } from "./kubevirt/context";

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** KubeVirt version to model, e.g. "1.9" or "v1.4.1" (default v1.9.0). */
  readonly kubevirtVersion?: string;
  /** Number of worker nodes (default 3). Live migration needs at least 2. */
  readonly nodes?: number;
  /** How long a live migration takes from Pending to Succeeded (default 2). */
  readonly migrationSeconds?: number;
  /** Base of the workload-update migration back-off after a failure (KubeVirt: 20; default 20). */
  readonly backoffSeconds?: number;
  /** `spec` of the KubeVirt CR `kubevirt/kubevirt`; default is the release manifest's (no LiveMigrate). */
  readonly kubevirt?: Record<string, unknown>;
  /** Kubelet CPU manager policy on every node ("static" makes the CPUManager gate effective). */
  readonly cpuManagerPolicy?: "static" | "none";
  /** Server-wide API faults. */
  readonly faults?: ApiFaults;
  /** When set, requests must carry `Authorization: Bearer <token>`; the kubeconfig carries it. */
  readonly token?: string;
  /**
   * RBAC for the kubeconfig's user: only requests a rule allows are served, others get kube-apiserver's
   * 403 Forbidden naming the verb, resource and namespace (default: everything is allowed).
   */
  readonly rbac?: SandboxRbac;
  /** Where to write the kubeconfig (also returned as text). */
  readonly kubeconfigPath?: string;
  /** Kubernetes version reported by /version (default v1.33.0). */
  readonly kubernetesVersion?: string;
  /** Watch events kept for resuming watches; older resourceVersions get 410 Gone (default 20000). */
  readonly watchCacheSize?: number;
}

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** A kubeconfig (YAML) whose current context points at the sandbox. */
  readonly kubeconfig: string;
  readonly kubeconfigPath?: string;
  readonly kubevirtVersion: string;
  /** The object store (for tests that inspect state directly). */
  readonly store: Store;
  /** Errors thrown inside controllers (empty in a healthy run). */
  readonly controllerErrors: readonly Error[];
  /** Replaces the RBAC rules in force (undefined: allow everything), e.g. to revoke a permission mid-test. */
  setRbac(rbac: SandboxRbac | undefined): void;
  /** Requests and watches clients made so far, as the server counted them (live object). */
  readonly apiMetrics: ApiRequestMetrics;
  close(): Promise<void>;
}

/** The KubeVirt CR spec from the release manifest (kubevirt-cr.yaml): no gates, no workload updates. */
export const RELEASE_KUBEVIRT_SPEC = {
  certificateRotateStrategy: {},
  configuration: { developerConfiguration: { featureGates: [] } },
  customizeComponents: {},
  imagePullPolicy: "IfNotPresent",
  workloadUpdateStrategy: {},
} as const;

export function kubeconfigFor(url: string, token: string | undefined): string {
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "livevm-sandbox", cluster: { server: url, "insecure-skip-tls-verify": true } }],
    users: [{ name: "livevm-sandbox", user: token ? { token } : {} }],
    contexts: [
      { name: "livevm-sandbox", context: { cluster: "livevm-sandbox", user: "livevm-sandbox", namespace: "default" } },
    ],
    "current-context": "livevm-sandbox",
    preferences: {},
  });
}

function seed(store: Store, options: SandboxOptions): void {
  for (const name of ["default", "kube-system", "kube-public", "kube-node-lease", "kubevirt"]) {
    store.create(T.ns, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels: { "kubernetes.io/metadata.name": name } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    } as unknown as KObject);
  }
  const nodes = options.nodes ?? 3;
  for (let i = 1; i <= nodes; i++) {
    const name = `node${String(i).padStart(2, "0")}`;
    store.create(T.node, {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        labels: {
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          ...(i === 1 ? { "node-role.kubernetes.io/control-plane": "" } : {}),
        },
        annotations: { [ANNOTATION.cpuManagerPolicy]: options.cpuManagerPolicy ?? "none" },
      },
      spec: {},
      status: {
        capacity: { cpu: "64", memory: "256Gi", pods: "110", "devices.kubevirt.io/kvm": "1k" },
        allocatable: { cpu: "64", memory: "250Gi", pods: "110", "devices.kubevirt.io/kvm": "1k" },
        conditions: [
          { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
        ],
        addresses: [
          { type: "InternalIP", address: `10.0.0.${i + 10}` },
          { type: "Hostname", address: name },
        ],
        nodeInfo: {
          architecture: "amd64",
          operatingSystem: "linux",
          kubeletVersion: "v1.33.0",
          containerRuntimeVersion: "containerd://2.0.0",
        },
      },
    } as unknown as KObject);
  }
  store.create(T.kv, {
    apiVersion: "kubevirt.io/v1",
    kind: "KubeVirt",
    metadata: { name: "kubevirt", namespace: "kubevirt" },
    spec: structuredClone(options.kubevirt ?? RELEASE_KUBEVIRT_SPEC),
    status: { defaultArchitecture: "amd64" },
  } as unknown as KObject);
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const version = parseKubeVirtVersion(options.kubevirtVersion ?? "v1.9.0");
  const migrationSeconds = options.migrationSeconds ?? 2;
  if (!(migrationSeconds >= 0)) throw new Error(`sandbox: migrationSeconds must be >= 0, got ${migrationSeconds}`);
  const nodes = options.nodes ?? 3;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 1000)
    throw new Error(`sandbox: nodes must be an integer 1..1000, got ${nodes}`);
  if (options.rbac) checkRbacRules(options.rbac);
  let rbac: SandboxRbac | undefined = options.rbac;
  const store = new Store(options.watchCacheSize ?? 20000);
  seed(store, options);
  const model = new KubeVirtModel(store, version, {
    migrationMs: migrationSeconds * 1000,
    backoffBaseMs: (options.backoffSeconds ?? 20) * 1000,
  });
  model.reconcile();
  const server: http.Server = createApiServer({
    store,
    hooks: model,
    faults: new FaultInjector(options.faults),
    kubernetesVersion: options.kubernetesVersion ?? "v1.33.0",
    token: options.token,
    rbac: () => rbac,
  });
  const apiMetrics = emptyMetrics();
  countRequests(server, apiMetrics);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = kubeconfigFor(url, options.token);
  if (options.kubeconfigPath) {
    await mkdir(dirname(options.kubeconfigPath), { recursive: true });
    await writeFile(options.kubeconfigPath, kubeconfig, { mode: 0o600 });
  }
  return {
    url,
    port,
    kubeconfig,
    ...(options.kubeconfigPath ? { kubeconfigPath: options.kubeconfigPath } : {}),
    kubevirtVersion: formatVersion(version),
    store,
    controllerErrors: model.controllerErrors,
    apiMetrics,
    setRbac(next) {
      if (next) checkRbacRules(next);
      rbac = next;
    },
    close: async () => {
      model.close();
      (server as http.Server & { closeWatches?: () => void }).closeWatches?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export { hotplugReadyKubeVirtSpec } from "./kubevirt/hotplugReadySpec";
