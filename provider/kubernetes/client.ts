import * as http from "node:http";
import * as https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { isRetryableStatus, KubeApiError, parseStatus } from "./apiError";
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffPolicy } from "./backoff";
import { loadClientModule, type ClusterAccess } from "./kubeconfig";
import { createLimiter, type Limiter } from "./limiter";

/**
 * A small Kubernetes REST client: JSON requests and streaming watches over keep-alive connections,
 * authenticated by @kubernetes/client-node's KubeConfig (tokens, client certificates, exec plugins),
 * with bounded concurrency, retries with back-off for throttling and server errors, and counters
 * (the benchmarks report API requests per update from them).
 */

export type Verb = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface KubeRequest {
  readonly method: Verb;
  /** absolute API path, e.g. /apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm1 */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** for PATCH: application/merge-patch+json (default), application/json-patch+json, application/apply-patch+yaml */
  readonly contentType?: string;
  /** what this is, for error messages: "patch VirtualMachine default/vm1" */
  readonly operation: string;
  /** a GET of a collection (counted as LIST) */
  readonly list?: boolean;
  readonly signal?: AbortSignal;
  /**
   * retry 409 Conflict answers too (not AlreadyExists): for writes without a resourceVersion
   * precondition, where a conflict means the write was not applied
   */
  readonly retryConflicts?: boolean;
}

export interface WatchEvent {
  readonly type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  readonly object: Record<string, unknown>;
}

export interface WatchStream {
  /** stops the watch; onClose is not called for a stop */
  stop(): void;
}

export interface ClientMetrics {
  /** every non-watch request sent (retries included) */
  requests: number;
  /** requests per verb (LIST is a GET on a collection) */
  byVerb: Record<string, number>;
  retries: number;
  watchesOpened: number;
  openWatches: number;
}

export interface KubeClient {
  readonly server: string;
  /** namespace for objects that name none */
  readonly namespace: string;
  readonly contextName: string;
  readonly metrics: ClientMetrics;
  readonly limiter: Limiter;
  request<T = Record<string, unknown>>(req: KubeRequest): Promise<T>;
  /**
   * Opens a watch on a collection path. `onEvent` gets each event; `onClose` is called once when the
   * stream ends for any reason other than stop() (with the error, if any).
   */
  watch(
    path: string,
    query: Readonly<Record<string, string>>,
    onEvent: (event: WatchEvent) => void,
    onClose: (error?: Error) => void,
  ): WatchStream;
  close(): void;
}

export interface ClientOptions {
  /** most API requests in flight at once (watches excluded); default 16 */
  readonly concurrency?: number;
  readonly backoff?: BackoffPolicy;
  /** per-request timeout in ms (default 30 s) */
  readonly requestTimeoutMs?: number;
}

const NETWORK_UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export async function createKubeClient(access: ClusterAccess, options: ClientOptions = {}): Promise<KubeClient> {
  const k8s = await loadClientModule();
  const url = new URL(access.server);
  const secure = url.protocol === "https:";
  // client-node refuses plain-HTTP clusters unless TLS verification is off; TLS is moot over HTTP.
  let kc: KubeConfig = access.kubeConfig;
  if (!secure) {
    const cluster = kc.getCurrentCluster()!;
    const user = kc.getCurrentUser() ?? { name: "anonymous" };
    kc = new k8s.KubeConfig();
    kc.loadFromClusterAndUser({ ...cluster, skipTLSVerify: true }, user);
  }
  const basePath = url.pathname.replace(/\/+$/, "");
  const limiter = createLimiter(options.concurrency ?? 16);
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const metrics: ClientMetrics = { requests: 0, byVerb: {}, retries: 0, watchesOpened: 0, openWatches: 0 };
  let everConnected = false;

  // TLS material and auth headers come from the KubeConfig; connections are our own keep-alive agents.
  const probe: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(probe);
  const tls: https.AgentOptions = {
    keepAlive: true,
    ...(probe.ca ? { ca: probe.ca } : {}),
    ...(probe.cert ? { cert: probe.cert } : {}),
    ...(probe.key ? { key: probe.key } : {}),
    ...(probe.servername ? { servername: probe.servername } : {}),
    rejectUnauthorized: probe.rejectUnauthorized ?? true,
  };
  const agent = secure
    ? new https.Agent({ ...tls, maxSockets: options.concurrency ?? 16 })
    : new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 16 });
  const watchAgent = secure ? new https.Agent({ ...tls }) : new http.Agent({ keepAlive: true });

  const authHeaders = async (): Promise<http.OutgoingHttpHeaders> => {
    const o: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(o);
    (o.agent as http.Agent | undefined)?.destroy();
    return { ...(o.headers as http.OutgoingHttpHeaders | undefined) };
  };
  const fullPath = (path: string, query?: Readonly<Record<string, string>>): string => {
    const q = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query as Record<string, string>)}` : "";
    return `${basePath}${path}${q}`;
  };
  const unreachable = (e: NodeJS.ErrnoException): Error =>
    new Error(
      `cannot reach the Kubernetes API at ${access.server} (context ${JSON.stringify(access.contextName)} from ${access.source}): ${e.code ?? e.message}`,
    );

  const sendOnce = async (req: KubeRequest): Promise<RawResponse> => {
    const headers: http.OutgoingHttpHeaders = { ...(await authHeaders()), Accept: "application/json" };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
      headers["Content-Type"] =
        req.contentType ?? (req.method === "PATCH" ? "application/merge-patch+json" : "application/json");
      headers["Content-Length"] = Buffer.byteLength(payload);
    }
    metrics.requests++;
    const verbKey = req.list ? "LIST" : req.method;
    metrics.byVerb[verbKey] = (metrics.byVerb[verbKey] ?? 0) + 1;
    return new Promise<RawResponse>((resolve, reject) => {
      const r = (secure ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port,
          method: req.method,
          path: fullPath(req.path, req.query),
          headers,
          agent,
          timeout: timeoutMs,
          ...(req.signal ? { signal: req.signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          res.on("error", reject);
        },
      );
      r.on("timeout", () =>
        r.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
      );
      r.on("error", reject);
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  };

  const request = async <T>(req: KubeRequest): Promise<T> => {
    let attempt = 0;
    for (;;) {
      attempt++;
      let res: RawResponse | undefined;
      let netError: NodeJS.ErrnoException | undefined;
      try {
        res = await limiter.run(() => sendOnce(req));
      } catch (e) {
        if (req.signal?.aborted) throw req.signal.reason as Error;
        netError = e as NodeJS.ErrnoException;
        if (!everConnected && NETWORK_UNREACHABLE.has(netError.code ?? "")) throw unreachable(netError);
      }
      if (res) {
        everConnected = true;
        if (res.status >= 200 && res.status < 300) return (res.body ? JSON.parse(res.body) : {}) as T;
        const status = parseStatus(res.status, res.body);
        const retryable =
          isRetryableStatus(res.status) ||
          (res.status === 409 && req.retryConflicts === true && status.reason !== "AlreadyExists");
        if (!retryable || attempt >= backoff.attempts) {
          if (res.status === 401)
            throw new KubeApiError(
              401,
              {
                ...status,
                message: `the cluster rejected the credentials of context ${JSON.stringify(access.contextName)} (from ${access.source}); they may have expired: ${status.message ?? "Unauthorized"}`,
              },
              req.operation,
              attempt,
            );
          if (res.status === 403)
            throw new KubeApiError(
              403,
              {
                ...status,
                message: `${status.message ?? "Forbidden"} (the provider's identity in context ${JSON.stringify(access.contextName)} lacks this permission; deploy/rbac/livevm-provider.yaml, or the LiveVmProviderRbac component, grants what livevm needs)`,
              },
              req.operation,
              attempt,
            );
          throw new KubeApiError(res.status, status, req.operation, attempt);
        }
        const retryAfter = Number(res.headers["retry-after"]);
        metrics.retries++;
        await sleep(backoffDelay(backoff, attempt, Number.isFinite(retryAfter) ? retryAfter : undefined), req.signal);
        continue;
      }
      if (attempt >= backoff.attempts)
        throw new Error(`${req.operation}: ${netError!.message} (gave up after ${attempt} attempts)`);
      metrics.retries++;
      await sleep(backoffDelay(backoff, attempt), req.signal);
    }
  };

  const openWatches = new Set<http.ClientRequest>();
  const watch: KubeClient["watch"] = (path, query, onEvent, onClose) => {
    let stopped = false;
    let closed = false;
    const finish = (error?: Error): void => {
      if (closed) return;
      closed = true;
      metrics.openWatches--;
      openWatches.delete(r);
      if (!stopped) onClose(error);
    };
    metrics.watchesOpened++;
    metrics.openWatches++;
    const r = (secure ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port,
      method: "GET",
      path: fullPath(path, { ...query, watch: "true" }),
      agent: watchAgent,
    });
    openWatches.add(r);
    authHeaders().then(
      (headers) => {
        for (const [k, v] of Object.entries(headers)) if (v !== undefined) r.setHeader(k, v);
        r.setHeader("Accept", "application/json");
        r.end();
      },
      (e: Error) => {
        r.destroy();
        finish(e);
      },
    );
    r.on("response", (res) => {
      if ((res.statusCode ?? 0) >= 300) {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () =>
          finish(new KubeApiError(res.statusCode ?? 0, parseStatus(res.statusCode ?? 0, body), `watch ${path}`)),
        );
        return;
      }
      everConnected = true;
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === "") continue;
          try {
            if (!stopped) onEvent(JSON.parse(line) as WatchEvent);
          } catch (e) {
            finish(e as Error);
            r.destroy();
            return;
          }
        }
      });
      res.on("end", () => finish());
      res.on("error", (e) => finish(e));
      res.on("close", () => finish());
    });
    r.on("error", (e: NodeJS.ErrnoException) => finish(NETWORK_UNREACHABLE.has(e.code ?? "") ? unreachable(e) : e));
    return {
      stop() {
        stopped = true;
        r.destroy();
        finish();
      },
    };
  };

  return {
    server: access.server,
    namespace: access.namespace,
    contextName: access.contextName,
    metrics,
    limiter,
    request,
    watch,
    close() {
      for (const r of openWatches) r.destroy();
      agent.destroy();
      watchAgent.destroy();
    },
  };
}
