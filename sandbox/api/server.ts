/**
 * The HTTP front of the sandbox: routing, content negotiation, discovery, CRUD, PATCH flavours,
 * server-side apply, WATCH streams, field validation, Status errors and fault injection.
 * Every failure becomes a Status object: no input can crash the server.
 */
import http from "node:http";
import { randomBytes } from "node:crypto";
import YAML from "yaml";
import {
  apiGroupList,
  apiResourceList,
  apiVersionOf,
  findResourceType,
  SUBRESOURCES_GROUP,
  VM_SUBRESOURCES,
  type ResourceType,
} from "./resources";
import {
  ApiError,
  badRequest,
  conflict,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  unsupportedMediaType,
  type StatusCause,
} from "./status";
import { clone, type KObject, type Store, type StoreEvent } from "./store";
import { parseFieldSelector, parseLabelSelector, type Selector } from "./selectors";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./patch";
import { recordUpdate, serverSideApply } from "./managedFields";
import { checkFields, SCHEMAS, type FieldProblem } from "./fieldSchema";
import type { FaultInjector } from "./faults";
import { authorize, requestVerb, type SandboxRbac } from "./authorizer";
import { openApiV2, openApiV3Document, openApiV3Root } from "./openapi";
import { acceptsTable, table } from "./table";

export type Operation = "CREATE" | "UPDATE" | "DELETE";

/** What the KubeVirt model plugs into the API: admission webhooks and the VM subresources. */
export interface ApiHooks {
  /** Mutates `obj` in place and throws an ApiError to deny (client requests only, not controllers). */
  admit(op: Operation, t: ResourceType, obj: KObject, old: KObject | undefined, subresource?: string): void;
  /** PUT subresources.kubevirt.io/v1/namespaces/{ns}/virtualmachines/{name}/{start|stop|restart}. */
  vmSubresource(namespace: string, name: string, action: string, body: unknown): void;
}

export interface ApiServerOptions {
  readonly store: Store;
  readonly hooks: ApiHooks;
  readonly faults: FaultInjector;
  readonly kubernetesVersion: string;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** The RBAC rules in force for the client (undefined: everything is allowed). */
  readonly rbac?: () => SandboxRbac | undefined;
  /** Longest a watch stays open without timeoutSeconds (seconds). */
  readonly maxWatchSeconds?: number;
}

interface Request {
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

interface Reply {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

/**
 * openapi_v2.Document { swagger: "2.0", info: { title: "livevm sandbox" } } in protobuf wire format: no
 * paths, so kubectl skips client-side schema validation for our kinds and uses merge patches for them.
 */
const OPENAPI_V2_PROTOBUF = (() => {
  const str = (field: number, s: string) =>
    Buffer.concat([Buffer.from([(field << 3) | 2, Buffer.byteLength(s)]), Buffer.from(s)]);
  const info = str(1, "livevm sandbox");
  return Buffer.concat([str(1, "2.0"), Buffer.from([(2 << 3) | 2, info.length]), info]);
})();

const MAX_BODY = 8 * 1024 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function mediaType(headers: http.IncomingHttpHeaders): string {
  return (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

function decodeBody(req: Request, allowed: string[]): unknown {
  const type = mediaType(req.headers);
  if (!allowed.includes(type)) throw unsupportedMediaType(type, allowed);
  const text = req.body.toString("utf8");
  if (text.trim() === "") throw badRequest("the request body is empty; expected a JSON or YAML object");
  if (type.endsWith("yaml")) {
    let doc: unknown;
    try {
      doc = YAML.parse(text, { uniqueKeys: true, intAsBigInt: false });
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    return doc;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** Watch lines are serialised once per event and type, however many watches receive them. */
const serialised = new WeakMap<object, Map<string, string>>();
function eventLine(type: string, object: unknown): string {
  if (object === null || typeof object !== "object") return JSON.stringify({ type, object }) + "\n";
  let byType = serialised.get(object);
  if (!byType) {
    byType = new Map();
    serialised.set(object, byType);
  }
  let line = byType.get(type);
  if (line === undefined) {
    line = JSON.stringify({ type, object }) + "\n";
    byType.set(type, line);
  }
  return line;
}

function randomSuffix(): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  const bytes = randomBytes(5);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}

function userAgentManager(headers: http.IncomingHttpHeaders): string {
  const ua = headers["user-agent"] ?? "unknown";
  return ua.split("/")[0]!.split(" ")[0]!.slice(0, 128) || "unknown";
}

function kindOf(t: ResourceType): string {
  return t.kind;
}

interface Route {
  readonly t: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

export function createApiServer(options: ApiServerOptions): http.Server {
  const { store, hooks, faults } = options;
  const openWatches = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      let url: URL;
      try {
        url = new URL(req.url ?? "/", "http://sandbox");
      } catch {
        send(res, new ApiError(400, "BadRequest", `invalid request URL ${JSON.stringify(req.url)}`).toStatus(), 400);
        return;
      }
      if (tooLarge) {
        send(res, new ApiError(413, "RequestEntityTooLarge", "the request body is too large").toStatus(), 413);
        return;
      }
      const request: Request = { method: req.method ?? "GET", url, headers: req.headers, body: Buffer.concat(chunks) };
      handle(request, res).catch((e: unknown) => {
        const err = e instanceof ApiError ? e : internalError((e as Error)?.message ?? String(e));
        if (!(e instanceof ApiError)) process.emitWarning(`sandbox: ${(e as Error)?.stack ?? String(e)}`);
        if (!res.headersSent) send(res, err.toStatus(), err.code);
        else res.end();
      });
    });
  });
  server.on("close", () => {
    for (const w of openWatches) w.end();
  });
  (server as http.Server & { closeWatches?: () => void }).closeWatches = () => {
    for (const w of openWatches) w.end();
  };

  function send(res: http.ServerResponse, body: unknown, code = 200, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(code, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-cache, private",
      ...headers,
    });
    res.end(text);
  }

  async function handle(req: Request, res: http.ServerResponse): Promise<void> {
    if (options.token) {
      const auth = req.headers.authorization ?? "";
      if (auth !== `Bearer ${options.token}`) {
        throw new ApiError(401, "Unauthorized", "Unauthorized");
      }
    }
    const path = req.url.pathname.replace(/\/+$/, "") || "/";
    const discovery = discover(req, path);
    if (discovery) {
      if (Buffer.isBuffer(discovery.body)) {
        res.writeHead(discovery.code, {
          "content-type": discovery.contentType!,
          "content-length": discovery.body.length,
        });
        res.end(discovery.body);
      } else send(res, discovery.body, discovery.code);
      return;
    }
    const route = parseRoute(path);
    if (!route) throw new ApiError(404, "NotFound", "the server could not find the requested resource");
    const rbac = options.rbac?.();
    if (rbac) {
      const w = req.url.searchParams.get("watch");
      const named = route.kind === "vmSubresource" || route.route.name !== undefined;
      authorize(
        rbac,
        route.kind === "vmSubresource"
          ? {
              verb: requestVerb(req.method, named, false),
              apiGroup: SUBRESOURCES_GROUP,
              resource: "virtualmachines",
              subresource: route.action,
              namespace: route.namespace,
              name: route.name,
            }
          : {
              verb: requestVerb(req.method, named, w === "true" || w === "1"),
              apiGroup: route.route.t.group,
              resource: route.route.t.plural,
              ...(route.route.subresource ? { subresource: route.route.subresource } : {}),
              ...(route.route.namespace ? { namespace: route.route.namespace } : {}),
              ...(route.route.name ? { name: route.route.name } : {}),
            },
      );
    }

    const delay = faults.latency();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (faults.serverError()) throw internalError("sandbox: injected API server error");
    const isWrite = req.method !== "GET" && req.method !== "HEAD";
    if (isWrite && faults.writeConflict()) {
      throw conflict(
        route.kind === "resource" ? route.route.t.group : SUBRESOURCES_GROUP,
        route.kind === "resource" ? route.route.t.plural : "virtualmachines",
        route.kind === "resource" ? (route.route.name ?? "") : route.name,
        "the object has been modified; please apply your changes to the latest version and try again (sandbox: injected conflict)",
      );
    }

    if (route.kind === "vmSubresource") {
      if (req.method !== "PUT") throw methodNotAllowed(req.method);
      let body: unknown = {};
      if (req.body.length > 0) body = decodeBody(req, ["application/json", "application/yaml", ""]);
      hooks.vmSubresource(route.namespace, route.name, route.action, body);
      res.writeHead(202, { "content-length": 0 });
      res.end();
      return;
    }
    const reply = await resource(req, route.route, res);
    if (reply) send(res, reply.body, reply.code, reply.headers);
  }

  function discover(req: Request, path: string): Reply | undefined {
    if (req.method !== "GET") return undefined;
    if (path === "/version") {
      const [major, minor] = options.kubernetesVersion.replace(/^v/, "").split(".");
      return {
        code: 200,
        body: {
          major,
          minor,
          gitVersion: options.kubernetesVersion,
          gitCommit: "livevm-sandbox",
          gitTreeState: "clean",
          buildDate: "2026-01-01T00:00:00Z",
          goVersion: "go1.24",
          compiler: "gc",
          platform: "linux/amd64",
        },
      };
    }
    if (path === "/healthz" || path === "/readyz" || path === "/livez") return { code: 200, body: "ok" };
    if (path === "/api")
      return {
        code: 200,
        body: {
          kind: "APIVersions",
          versions: ["v1"],
          serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1" }],
        },
      };
    if (path === "/apis") return { code: 200, body: apiGroupList() };
    let m = /^\/api\/(v1)$/.exec(path);
    if (m) return { code: 200, body: apiResourceList("", m[1]!) };
    m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (m) {
      const list = apiResourceList(m[1]!, m[2]!);
      if (list) return { code: 200, body: list };
      return {
        code: 404,
        body: new ApiError(404, "NotFound", "the server could not find the requested resource").toStatus(),
      };
    }
    m = /^\/apis\/([^/]+)$/.exec(path);
    if (m) {
      const group = (apiGroupList().groups as { name: string }[]).find((g) => g.name === m![1]);
      if (group) return { code: 200, body: { kind: "APIGroup", apiVersion: "v1", ...group } };
    }
    if (path === "/openapi/v2") {
      // kubectl up to 1.28 fetches the v2 document as protobuf only; answer with a valid, minimal one
      if ((req.headers.accept ?? "").includes("protobuf"))
        return {
          code: 200,
          body: OPENAPI_V2_PROTOBUF,
          contentType: "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
        };
      return { code: 200, body: openApiV2() };
    }
    if (path === "/openapi/v3") return { code: 200, body: openApiV3Root() };
    if (path.startsWith("/openapi/v3/")) {
      const doc = openApiV3Document(path.slice("/openapi/v3/".length));
      if (doc) return { code: 200, body: doc };
      return {
        code: 404,
        body: new ApiError(404, "NotFound", "the server could not find the requested resource").toStatus(),
      };
    }
    return undefined;
  }

  type ParsedRoute =
    { kind: "resource"; route: Route } | { kind: "vmSubresource"; namespace: string; name: string; action: string };

  function parseRoute(path: string): ParsedRoute | undefined {
    let group: string;
    let version: string;
    let rest: string[];
    const parts = path
      .split("/")
      .filter((p) => p !== "")
      .map(decodeURIComponent);
    if (parts[0] === "api") {
      group = "";
      version = parts[1] ?? "";
      rest = parts.slice(2);
    } else if (parts[0] === "apis") {
      group = parts[1] ?? "";
      version = parts[2] ?? "";
      rest = parts.slice(3);
    } else return undefined;
    if (group === SUBRESOURCES_GROUP) {
      if (version !== "v1" || rest[0] !== "namespaces" || rest[2] !== "virtualmachines" || rest.length !== 5)
        return undefined;
      const action = rest[4]!;
      if (!(VM_SUBRESOURCES as readonly string[]).includes(action)) return undefined;
      return { kind: "vmSubresource", namespace: rest[1]!, name: rest[3]!, action };
    }
    let namespace: string | undefined;
    if (
      rest[0] === "namespaces" &&
      rest.length >= 3 &&
      !(group === "" && (rest[2] === "status" || rest[2] === "finalize") && rest.length === 3)
    ) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const t = findResourceType(group, version, rest[0] ?? "");
    if (!t || rest.length > 3) return undefined;
    if (namespace !== undefined && !t.namespaced) return undefined;
    const subresource = rest[2];
    if (subresource !== undefined && !(subresource === "status" && t.hasStatus)) return undefined;
    return { kind: "resource", route: { t, namespace, name: rest[1], subresource } };
  }

  function selectors(req: Request, t: ResourceType): Selector {
    const label = parseLabelSelector(req.url.searchParams.get("labelSelector"));
    const field = parseFieldSelector(req.url.searchParams.get("fieldSelector"), kindOf(t));
    return (o) => label(o) && field(o);
  }

  function ensureNamespace(t: ResourceType, namespace: string | undefined): void {
    if (!t.namespaced || namespace === undefined) return;
    const nsType = findResourceType("", "v1", "namespaces")!;
    if (!store.get(nsType, undefined, namespace)) throw notFound("", "namespaces", namespace);
  }

  /** Field validation per `fieldValidation` (Ignore | Warn, the default | Strict). */
  function validateFields(req: Request, t: ResourceType, obj: KObject, name: string): string[] {
    const schema = SCHEMAS[t.kind];
    const mode = req.url.searchParams.get("fieldValidation") ?? "Warn";
    if (!["Ignore", "Warn", "Strict"].includes(mode))
      throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict", got ${JSON.stringify(mode)}`);
    if (!schema) return [];
    const problems: FieldProblem[] = [];
    checkFields(obj, schema, "", mode !== "Strict", problems);
    const typeProblems = problems.filter((p) => p.kind === "type");
    if (typeProblems.length > 0) {
      const causes: StatusCause[] = typeProblems.map((p) => ({
        type: "FieldValueInvalid",
        message: `Invalid value: "${p.actual}": ${p.path} in body must be of type ${p.expected}: "${p.actual}"`,
        field: p.path,
      }));
      throw invalid(t.kind, t.group, name, causes);
    }
    const unknown = problems.filter((p) => p.kind === "unknown").map((p) => `unknown field "${p.path}"`);
    if (mode === "Strict" && unknown.length > 0) {
      throw badRequest(`strict decoding error: ${unknown.join(", ")}`);
    }
    return mode === "Warn" ? unknown : [];
  }

  function warningHeaders(warnings: string[]): Record<string, string> {
    if (warnings.length === 0) return {};
    return { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(", ") };
  }

  function checkIdentity(req: Request, t: ResourceType, body: unknown, route: Route): KObject {
    if (!isObject(body))
      throw badRequest(
        `the request body must be a JSON or YAML object, got ${Array.isArray(body) ? "array" : typeof body}`,
      );
    const apiVersion = apiVersionOf(t);
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersion)
      throw badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
      );
    if (body.kind !== undefined && body.kind !== t.kind)
      throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${t.kind})`);
    const metadata = body.metadata === undefined ? {} : body.metadata;
    if (!isObject(metadata))
      throw invalid(t.kind, t.group, "", [
        { type: "FieldValueInvalid", message: "Invalid value: must be an object", field: "metadata" },
      ]);
    if (
      t.namespaced &&
      metadata.namespace !== undefined &&
      route.namespace !== undefined &&
      metadata.namespace !== route.namespace
    )
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    if (route.name !== undefined && metadata.name !== undefined && metadata.name !== route.name)
      throw badRequest(
        `the name of the object (${String(metadata.name)}) does not match the name on the URL (${route.name})`,
      );
    for (const key of ["labels", "annotations"] as const) {
      const m = metadata[key];
      if (m === undefined || m === null) continue;
      if (!isObject(m) || Object.values(m).some((v) => typeof v !== "string"))
        throw invalid(t.kind, t.group, String(metadata.name ?? ""), [
          {
            type: "FieldValueInvalid",
            message: `Invalid value: metadata.${key} must map strings to strings`,
            field: `metadata.${key}`,
          },
        ]);
    }
    const obj = { ...body, apiVersion, kind: t.kind, metadata: { ...metadata } } as KObject;
    if (t.namespaced) obj.metadata.namespace = route.namespace ?? (metadata.namespace as string | undefined);
    return obj;
  }

  const NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

  async function resource(req: Request, route: Route, res: http.ServerResponse): Promise<Reply | undefined> {
    const { t, namespace, name, subresource } = route;
    const dryRun = req.url.searchParams.getAll("dryRun").includes("All");
    if (name === undefined) {
      switch (req.method) {
        case "GET": {
          const w = req.url.searchParams.get("watch");
          if (w === "true" || w === "1") {
            watch(req, t, namespace, res);
            return undefined;
          }
          const body = list(req, t, namespace);
          const tableVersion = acceptsTable(req.headers.accept);
          if (!tableVersion) return { code: 200, body };
          return {
            code: 200,
            body: table(
              t,
              body.items as KObject[],
              body.metadata as Record<string, unknown>,
              req.url.searchParams.get("includeObject"),
              tableVersion,
            ),
          };
        }
        case "POST":
          return create(req, route, dryRun);
        case "DELETE": {
          const sel = selectors(req, t);
          const items = store
            .peekAll(t, namespace)
            .filter(sel)
            .map((o) => o.metadata);
          const deleted = dryRun ? [] : items.map((m) => store.delete(t, m.namespace, m.name));
          return { code: 200, body: { kind: t.listKind, apiVersion: apiVersionOf(t), metadata: {}, items: deleted } };
        }
        default:
          throw methodNotAllowed(req.method);
      }
    }
    switch (req.method) {
      case "GET": {
        const o = store.get(t, namespace, name);
        if (!o) throw notFound(t.group, t.plural, name);
        const tableVersion = acceptsTable(req.headers.accept);
        if (tableVersion && !subresource)
          return {
            code: 200,
            body: table(
              t,
              [o],
              { resourceVersion: o.metadata.resourceVersion },
              req.url.searchParams.get("includeObject"),
              tableVersion,
            ),
          };
        return { code: 200, body: o };
      }
      case "PUT":
        return replace(req, route, dryRun);
      case "PATCH":
        return patch(req, route, dryRun);
      case "DELETE": {
        if (subresource) throw methodNotAllowed(req.method);
        const current = store.get(t, namespace, name);
        if (!current) throw notFound(t.group, t.plural, name);
        let opts: Record<string, unknown> = {};
        if (req.body.length > 0) {
          const b = decodeBody(req, ["application/json", "application/yaml", ""]);
          if (isObject(b)) opts = b;
        }
        const pre = isObject(opts.preconditions) ? opts.preconditions : {};
        hooks.admit("DELETE", t, current, current);
        if (dryRun) return { code: 200, body: current };
        const deleted = store.delete(
          t,
          namespace,
          name,
          pre.resourceVersion as string | undefined,
          pre.uid as string | undefined,
        );
        return { code: 200, body: deleted };
      }
      default:
        throw methodNotAllowed(req.method);
    }
  }

  function list(req: Request, t: ResourceType, namespace: string | undefined): Record<string, unknown> {
    const sel = selectors(req, t);
    const all = store
      .peekAll(t, namespace)
      .filter(sel)
      .sort((a, b) =>
        `${a.metadata.namespace ?? ""}/${a.metadata.name}`.localeCompare(
          `${b.metadata.namespace ?? ""}/${b.metadata.name}`,
        ),
      );
    const limitRaw = req.url.searchParams.get("limit");
    const cont = req.url.searchParams.get("continue");
    let offset = 0;
    if (cont) {
      const n = Number(Buffer.from(cont, "base64url").toString("utf8"));
      if (!Number.isInteger(n) || n < 0) throw badRequest(`continue key is not valid: ${JSON.stringify(cont)}`);
      offset = n;
    }
    const limit = limitRaw ? Number(limitRaw) : 0;
    if (limitRaw && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`limit must be a non-negative integer`);
    const page = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const next = limit > 0 && offset + limit < all.length ? offset + limit : undefined;
    return {
      kind: t.listKind,
      apiVersion: apiVersionOf(t),
      metadata: {
        resourceVersion: String(store.currentRevision),
        ...(next !== undefined
          ? { continue: Buffer.from(String(next)).toString("base64url"), remainingItemCount: all.length - next }
          : {}),
      },
      items: page,
    };
  }

  function watch(req: Request, t: ResourceType, namespace: string | undefined, res: http.ServerResponse): void {
    const sel = selectors(req, t);
    const rvParam = req.url.searchParams.get("resourceVersion");
    const timeoutRaw = req.url.searchParams.get("timeoutSeconds");
    const bookmarks = req.url.searchParams.get("allowWatchBookmarks") === "true";
    const sendInitial = req.url.searchParams.get("sendInitialEvents") === "true";
    const timeout = timeoutRaw ? Number(timeoutRaw) : (options.maxWatchSeconds ?? 1800);
    if (!Number.isFinite(timeout) || timeout < 0) throw badRequest("timeoutSeconds must be a non-negative number");
    let rv: number | undefined;
    if (rvParam !== null && rvParam !== "" && rvParam !== "0") {
      rv = Number(rvParam);
      if (!Number.isInteger(rv) || rv < 0)
        throw badRequest(`resourceVersion: Invalid value: ${JSON.stringify(rvParam)}: must be a non-negative integer`);
    }
    res.writeHead(200, {
      "content-type": "application/json",
      "transfer-encoding": "chunked",
      "cache-control": "no-cache, private",
    });
    res.flushHeaders();
    openWatches.add(res);
    let closed = false;
    const inNs = (o: KObject) => namespace === undefined || !t.namespaced || o.metadata.namespace === namespace;
    const tableVersion = acceptsTable(req.headers.accept);
    const includeObject = req.url.searchParams.get("includeObject");
    let columnsSent = false;
    const write = (type: string, object: unknown): boolean => {
      if (closed) return false;
      if (tableVersion && type !== "ERROR" && type !== "BOOKMARK") {
        // like the API server: column definitions ride on the first event only
        const o = object as KObject;
        res.write(
          JSON.stringify({
            type,
            object: table(
              t,
              [o],
              { resourceVersion: o.metadata.resourceVersion },
              includeObject,
              tableVersion,
              !columnsSent,
            ),
          }) + "\n",
        );
        columnsSent = true;
      } else res.write(eventLine(type, object));
      if (type !== "BOOKMARK" && type !== "ERROR" && faults.dropWatch()) {
        finish();
        return false;
      }
      return true;
    };
    const deliver = (e: StoreEvent): void => {
      const now = inNs(e.object) && sel(e.object);
      const before = e.previous !== undefined && inNs(e.previous) && sel(e.previous);
      if (e.type === "DELETED") {
        if (before || now) write("DELETED", e.object);
      } else if (e.type === "ADDED") {
        if (now) write("ADDED", e.object);
      } else if (now && before) write("MODIFIED", e.object);
      else if (now) write("ADDED", e.object);
      else if (before) write("DELETED", e.object);
    };
    const unsubscribe = store.subscribe((e) => {
      if (e.resource === `${t.group}/${t.plural}`) deliver(e);
    });
    const timer = setTimeout(() => finish(), timeout * 1000);
    timer.unref(); // the open connection keeps the process alive, not the watch's deadline
    function finish(): void {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      unsubscribe();
      openWatches.delete(res);
      res.end();
    }
    res.on("close", finish);
    // the connection can be gone already (the sandbox closed while this request was being handled): its
    // 'close' has fired before we listened, so finish now instead of holding the timer for `timeout` seconds
    if (res.destroyed) finish();
    if (rv === undefined) {
      const current = store.peekAll(t, namespace).filter(sel);
      for (const o of current) if (!write("ADDED", o)) return;
      if (sendInitial && bookmarks)
        write("BOOKMARK", {
          kind: t.kind,
          apiVersion: apiVersionOf(t),
          metadata: {
            resourceVersion: String(store.currentRevision),
            annotations: { "k8s.io/initial-events-end": "true" },
          },
        });
      return;
    }
    const replay = store.eventsSince(t, rv);
    if (!replay) {
      write(
        "ERROR",
        new ApiError(
          410,
          "Expired",
          `too old resource version: ${rv} (${store.oldestReplayableRevision + 1})`,
        ).toStatus(),
      );
      finish();
      return;
    }
    for (const e of replay) {
      deliver(e);
      if (closed) return;
    }
  }

  function admitAndValidate(
    req: Request,
    op: Operation,
    t: ResourceType,
    obj: KObject,
    old: KObject | undefined,
    sub?: string,
  ): string[] {
    const warnings = validateFields(req, t, obj, obj.metadata.name);
    hooks.admit(op, t, obj, old, sub);
    return warnings;
  }

  function fieldManager(req: Request): string {
    return req.url.searchParams.get("fieldManager") ?? userAgentManager(req.headers);
  }

  function create(req: Request, route: Route, dryRun: boolean): Reply {
    const { t } = route;
    if (route.subresource) throw methodNotAllowed("POST");
    const body = decodeBody(req, ["application/json", "application/yaml"]);
    const obj = checkIdentity(req, t, body, route);
    const meta = obj.metadata;
    if (!meta.name) {
      if (typeof meta.generateName === "string" && meta.generateName) meta.name = meta.generateName + randomSuffix();
      else
        throw invalid(t.kind, t.group, "", [
          {
            type: "FieldValueRequired",
            message: "Required value: name or generateName is required",
            field: "metadata.name",
          },
        ]);
    }
    if (typeof meta.name !== "string" || !NAME_RE.test(meta.name) || meta.name.length > 253)
      throw invalid(t.kind, t.group, String(meta.name), [
        {
          type: "FieldValueInvalid",
          message: `Invalid value: ${JSON.stringify(meta.name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
          field: "metadata.name",
        },
      ]);
    if (t.namespaced && !meta.namespace) meta.namespace = "default";
    ensureNamespace(t, meta.namespace);
    if (t.hasStatus && t.custom) delete obj.status;
    delete meta.managedFields;
    const warnings = admitAndValidate(req, "CREATE", t, obj, undefined);
    recordUpdate(undefined, obj, fieldManager(req), apiVersionOf(t));
    if (dryRun) return { code: 201, body: obj, headers: warningHeaders(warnings) };
    const created = store.create(t, obj);
    return { code: 201, body: created, headers: warningHeaders(warnings) };
  }

  /** Shared tail of PUT and PATCH: spec/status split, validation, admission, optimistic concurrency. */
  function writeUpdate(
    req: Request,
    route: Route,
    current: KObject,
    next: KObject,
    dryRun: boolean,
    managedBySsa: boolean,
  ): Reply {
    const { t, subresource } = route;
    if (subresource === "status") {
      const { status } = next;
      next = clone(current);
      if (status === undefined) delete next.status;
      else next.status = status;
      next.metadata.resourceVersion = (next.metadata.resourceVersion, current.metadata.resourceVersion);
    } else if (t.hasStatus && t.custom) {
      if (current.status === undefined) delete next.status;
      else next.status = clone(current.status);
    }
    const warnings = admitAndValidate(req, "UPDATE", t, next, current, subresource);
    if (!managedBySsa) {
      next.metadata.managedFields = current.metadata.managedFields;
      recordUpdate(current, next, fieldManager(req), apiVersionOf(t), subresource);
    }
    if (dryRun) return { code: 200, body: next, headers: warningHeaders(warnings) };
    const expect = next.metadata.resourceVersion || undefined;
    const updated = store.update(t, next, expect);
    return { code: 200, body: updated, headers: warningHeaders(warnings) };
  }

  function replace(req: Request, route: Route, dryRun: boolean): Reply {
    const { t, namespace, name } = route;
    const body = decodeBody(req, ["application/json", "application/yaml"]);
    const obj = checkIdentity(req, t, body, route);
    obj.metadata.name = name!;
    const current = store.get(t, namespace, name!);
    if (!current) throw notFound(t.group, t.plural, name!);
    if (t.custom && !obj.metadata.resourceVersion)
      throw invalid(t.kind, t.group, name!, [
        {
          type: "FieldValueInvalid",
          message: "Invalid value: 0x0: must be specified for an update",
          field: "metadata.resourceVersion",
        },
      ]);
    return writeUpdate(req, route, current, obj, dryRun, false);
  }

  function patch(req: Request, route: Route, dryRun: boolean): Reply {
    const { t, namespace, name } = route;
    const type = mediaType(req.headers);
    const accepted = [
      "application/json-patch+json",
      "application/merge-patch+json",
      ...(t.custom ? [] : ["application/strategic-merge-patch+json"]),
      "application/apply-patch+yaml",
    ];
    if (!accepted.includes(type)) throw unsupportedMediaType(type, accepted);
    const body = decodeBody(req, [type]);
    const current = store.get(t, namespace, name!);
    if (type === "application/apply-patch+yaml") {
      const manager = req.url.searchParams.get("fieldManager");
      if (!manager) throw badRequest("PATCH /apply requires fieldManager");
      const force = req.url.searchParams.get("force") === "true";
      const applied = checkIdentity(req, t, body, route);
      if (
        applied.apiVersion === undefined ||
        !isObject(body) ||
        body.apiVersion === undefined ||
        body.kind === undefined
      )
        throw badRequest("apiVersion and kind must be set in an apply patch");
      applied.metadata.name = name!;
      if (!current) {
        ensureNamespace(t, namespace);
        const merged = serverSideApply(undefined, applied, manager, force, apiVersionOf(t)) as KObject;
        if (t.custom && t.hasStatus) delete merged.status;
        const warnings = admitAndValidate(req, "CREATE", t, merged, undefined);
        if (dryRun) return { code: 201, body: merged, headers: warningHeaders(warnings) };
        return { code: 201, body: store.create(t, merged), headers: warningHeaders(warnings) };
      }
      const merged = serverSideApply(current, applied, manager, force, apiVersionOf(t)) as KObject;
      merged.metadata.resourceVersion = applied.metadata.resourceVersion ?? current.metadata.resourceVersion;
      return writeUpdate(req, route, current, merged, dryRun, true);
    }
    if (!current) throw notFound(t.group, t.plural, name!);
    let patched: unknown;
    if (type === "application/json-patch+json") patched = applyJsonPatch(current, body);
    else if (!isObject(body))
      throw badRequest(`the patch must be a JSON object, got ${Array.isArray(body) ? "array" : typeof body}`);
    else if (type === "application/merge-patch+json") patched = applyMergePatch(current, body);
    else patched = applyStrategicMergePatch(current, body);
    const next = checkIdentity(req, t, patched, route);
    next.metadata.name = name!;
    return writeUpdate(req, route, current, next, dryRun, false);
  }

  return server;
}
