import type http from "node:http";
import { requestVerb } from "./authorizer";

/**
 * What clients asked of the sandbox's API, counted as the server sees it (retries included): resource
 * requests by verb, watches opened and open now. Discovery (/version, /api, /apis, /openapi) is apart.
 */
export interface ApiRequestMetrics {
  /** resource requests, watches excluded */
  requests: number;
  /** get, list, create, update, patch, delete (and deletecollection) */
  byVerb: Record<string, number>;
  watchesOpened: number;
  openWatches: number;
  /** most watches open at once */
  peakOpenWatches: number;
  discovery: number;
}

const DISCOVERY = /^\/(version|healthz|readyz|livez|api|apis|openapi)(\/[^/]+(\/[^/]+)?)?\/?$/;

export function emptyMetrics(): ApiRequestMetrics {
  return { requests: 0, byVerb: {}, watchesOpened: 0, openWatches: 0, peakOpenWatches: 0, discovery: 0 };
}

/** Counts every request the server receives into `metrics`. */
export function countRequests(server: http.Server, metrics: ApiRequestMetrics): void {
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const path = url.pathname;
    const isResource = /^\/apis?\//.test(path) && !DISCOVERY.test(path);
    if (!isResource) {
      metrics.discovery++;
      return;
    }
    const w = url.searchParams.get("watch");
    if (req.method === "GET" && (w === "true" || w === "1")) {
      metrics.watchesOpened++;
      metrics.openWatches++;
      metrics.peakOpenWatches = Math.max(metrics.peakOpenWatches, metrics.openWatches);
      res.once("close", () => metrics.openWatches--);
      return;
    }
    metrics.requests++;
    const verb = verbOf(req.method ?? "GET", path);
    metrics.byVerb[verb] = (metrics.byVerb[verb] ?? 0) + 1;
  });
}

function verbOf(method: string, path: string): string {
  // a collection path ends in the plural: /apis/g/v/namespaces/ns/plural or /apis/g/v/plural
  const parts = path.split("/").filter(Boolean);
  const rest = parts[0] === "api" ? parts.slice(2) : parts.slice(3);
  const afterNs = rest[0] === "namespaces" && rest.length >= 3 ? rest.slice(2) : rest;
  const named = afterNs.length >= 2;
  return requestVerb(method, named, false); // watches are counted apart, above
}
