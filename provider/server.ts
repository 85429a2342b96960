import * as grpc from "@grpc/grpc-js";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PluginInfo, type PluginAttach } from "@pulumi/pulumi/proto/plugin_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderService, type IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { checkConfig, configKey, DEFAULT_CONFIG, resolveConfig, type ProviderConfig } from "./config";
import { callbackEngineLog, connectEngineLog, type EngineLog, type LogEntry } from "./engineLog";
import {
  decodeProperties,
  encodeProperties,
  hasPath,
  type DecodedProperties,
  type PropertyPathSegments,
} from "./properties";
import {
  InputError,
  PartialFailure,
  type AnyResourceHandler,
  type PropertyDiffKind,
  type PropertyMap,
  type ResourceContext,
} from "./resources/resource";
import { buildSchema } from "./schema";

/**
 * The livevm ResourceProvider gRPC server: decodes the engine's requests, dispatches them by type token
 * to the registered ResourceHandlers, and encodes their answers (detailed diffs, secrets, unknowns,
 * partial failures). Written on the proto stubs directly because the SDK's provider.main() cannot
 * send detailed diffs nor see the provider configuration.
 */

export interface ProviderServerOptions {
  readonly handlers: readonly AnyResourceHandler[];
  readonly version: string;
  /** the engine's gRPC address (the plugin's first argument); logs go there */
  readonly engineAddress?: string;
  /** receives logs when there is no engine address (tests) */
  readonly logSink?: (entry: LogEntry) => void;
}

export interface ProviderServer {
  readonly port: number;
  /** the configuration set by the last Configure call */
  config(): ProviderConfig;
  stop(): Promise<void>;
}

const KIND: Record<PropertyDiffKind, pb.PropertyDiff.Kind> = {
  add: pb.PropertyDiff.Kind.ADD,
  "add-replace": pb.PropertyDiff.Kind.ADD_REPLACE,
  delete: pb.PropertyDiff.Kind.DELETE,
  "delete-replace": pb.PropertyDiff.Kind.DELETE_REPLACE,
  update: pb.PropertyDiff.Kind.UPDATE,
  "update-replace": pb.PropertyDiff.Kind.UPDATE_REPLACE,
};

/** The resource's logical name: the last `::` segment of its URN. */
export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

function structToJs(s: Struct | undefined): Record<string, unknown> | undefined {
  return s ? (s.toJavaScript() as Record<string, unknown>) : undefined;
}

function jsToStruct(v: Record<string, unknown>): Struct {
  // Struct.fromJavaScript rejects undefined; JSON round-trip drops undefined fields.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(v)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

/** Every string value found at a secret path, so copies of it elsewhere in outputs are marked too. */
function secretStrings(decoded: DecodedProperties): Set<string> {
  const out = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === "string" && v.length >= 4) out.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === "object") Object.values(v).forEach(collect);
  };
  for (const path of decoded.secretPaths) {
    let cur: unknown = decoded.value;
    for (const seg of path) cur = (cur as Record<string | number, unknown> | undefined)?.[seg];
    collect(cur);
  }
  return out;
}

/**
 * The secret paths to apply to `outputs`: the same paths as in the sources, plus every path holding a
 * string that was secret in a source (a secret copied into an output stays secret).
 */
export function outputSecretPaths(outputs: PropertyMap, ...sources: DecodedProperties[]): PropertyPathSegments[] {
  const paths: PropertyPathSegments[] = [];
  const strings = new Set<string>();
  for (const s of sources) {
    for (const p of s.secretPaths) if (hasPath(outputs, p)) paths.push(p);
    for (const str of secretStrings(s)) strings.add(str);
  }
  if (strings.size > 0) {
    const walk = (v: unknown, path: (string | number)[]): void => {
      if (typeof v === "string" && strings.has(v)) paths.push(path);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    };
    walk(outputs, []);
  }
  return paths;
}

function grpcError(e: unknown): grpc.ServiceError {
  const err = e instanceof Error ? e : new Error(String(e));
  const metadata = new grpc.Metadata();
  let code = grpc.status.UNKNOWN;
  if (err instanceof InputError) code = grpc.status.INVALID_ARGUMENT;
  if (err instanceof PartialFailure) {
    const detail = new pb.ErrorResourceInitFailed();
    detail.setId(err.id);
    detail.setProperties(jsToStruct(err.outputs));
    if (err.inputs) detail.setInputs(jsToStruct(err.inputs));
    detail.setReasonsList([err.message]);
    const any = new Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new Status();
    status.setCode(code);
    status.setMessage(err.message);
    status.addDetails(any);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(err.message), { code, details: err.message, metadata }) as grpc.ServiceError;
}

function unary<Req, Res>(fn: (req: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request).then(
      (res) => callback(null, res),
      (e: unknown) => callback(grpcError(e)),
    );
  };
}

export async function startProviderServer(
  options: ProviderServerOptions,
  host = "127.0.0.1:0",
): Promise<ProviderServer> {
  const handlers = new Map<string, AnyResourceHandler>();
  for (const h of options.handlers) {
    if (handlers.has(h.token)) throw new Error(`two resource handlers registered for ${h.token}`);
    handlers.set(h.token, h);
  }
  let engine: EngineLog = options.engineAddress
    ? connectEngineLog(options.engineAddress)
    : callbackEngineLog(options.logSink ?? (() => undefined));
  let config: ProviderConfig = DEFAULT_CONFIG;
  let configSecrets: DecodedProperties = { value: {}, secretPaths: [] };
  const cancel = new AbortController();
  const schema = JSON.stringify(buildSchema(options.handlers, options.version), null, 2);

  const handlerFor = (type: string, urn: string): AnyResourceHandler => {
    const token = type || urnType(urn);
    const h = handlers.get(token);
    if (!h)
      throw new InputError(
        "type",
        `livevm has no resource type ${JSON.stringify(token)}; known: ${[...handlers.keys()].join(", ")}`,
      );
    return h;
  };
  const context = (urn: string, type: string, preview: boolean, timeout: number): ResourceContext => ({
    urn,
    type,
    name: urnName(urn),
    preview,
    config,
    signal: cancel.signal,
    ...(timeout > 0 ? { timeoutSeconds: timeout } : {}),
    log: (severity, message) => engine.log({ severity, message: redact(message), urn, ephemeral: false }),
    status: (message) => engine.log({ severity: "info", message: redact(message), urn, ephemeral: true }),
  });
  /** Never let the kubeconfig reach the engine, even if some error message quoted it. */
  const redact = (message: string): string => {
    const kc = config.kubeconfig;
    return kc && kc.length >= 8 && message.includes(kc) ? message.split(kc).join("[secret kubeconfig]") : message;
  };
  const rawConfig = (req: pb.ConfigureRequest | pb.CheckRequest): Record<string, unknown> => {
    if (req instanceof pb.ConfigureRequest) {
      if (req.hasArgs()) return structToJs(req.getArgs()) ?? {};
      const out: Record<string, unknown> = {};
      req.getVariablesMap().forEach((v, k) => (out[configKey(k)] = v));
      return out;
    }
    return structToJs(req.getNews()) ?? {};
  };

  const impl: Partial<IResourceProviderServer> = {
    getPluginInfo: unary(async () => new PluginInfo().setVersion(options.version)),
    getSchema: unary(async (req: pb.GetSchemaRequest) => {
      if (req.getVersion() > 0)
        throw new InputError("version", `unsupported schema version ${req.getVersion()}; livevm serves version 0`);
      return new pb.GetSchemaResponse().setSchema(schema);
    }),
    checkConfig: unary(async (req: pb.CheckRequest) => {
      const decoded = decodeProperties(rawConfig(req));
      const res = new pb.CheckResponse();
      const failures = checkConfig(decoded.value).map((p) =>
        new pb.CheckFailure().setProperty(p.key).setReason(p.reason),
      );
      res.setFailuresList(failures);
      res.setInputs(jsToStruct(encodeProperties(decoded.value, decoded.secretPaths)));
      return res;
    }),
    diffConfig: unary(async (req: pb.DiffRequest) => {
      const olds = decodeProperties(structToJs(req.getOldInputs()) ?? structToJs(req.getOlds())).value;
      const news = decodeProperties(structToJs(req.getNews())).value;
      const res = new pb.DiffResponse();
      const map = res.getDetaileddiffMap();
      for (const key of new Set([...Object.keys(olds), ...Object.keys(news)])) {
        if (key === "version") continue;
        if (JSON.stringify(olds[key]) === JSON.stringify(news[key])) continue;
        const kind = !(key in olds) ? KIND.add : !(key in news) ? KIND.delete : KIND.update;
        map.set(key, new pb.PropertyDiff().setKind(kind).setInputdiff(true));
      }
      res.setChanges(
        map.getLength() > 0 ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE,
      );
      res.setHasdetaileddiff(true);
      return res;
    }),
    configure: unary(async (req: pb.ConfigureRequest) => {
      configSecrets = decodeProperties(rawConfig(req));
      const problems = checkConfig(configSecrets.value);
      if (problems.length > 0)
        throw new InputError(problems[0]!.key, problems.map((p) => `${p.key}: ${p.reason}`).join("; "));
      config = resolveConfig(configSecrets.value);
      return new pb.ConfigureResponse()
        .setAcceptsecrets(true)
        .setSupportspreview(true)
        .setAcceptresources(false)
        .setAcceptoutputs(false);
    }),
    check: unary(async (req: pb.CheckRequest) => {
      const h = handlerFor(req.getType(), req.getUrn());
      const ctx = context(req.getUrn(), h.token, false, 0);
      const olds = req.hasOlds() ? decodeProperties(structToJs(req.getOlds())) : undefined;
      const news = decodeProperties(structToJs(req.getNews()));
      const oldInputs = olds && Object.keys(olds.value).length > 0 ? olds.value : undefined;
      const result = await h.check(oldInputs, news.value, ctx);
      const res = new pb.CheckResponse();
      res.setInputs(jsToStruct(encodeProperties(result.inputs, outputSecretPaths(result.inputs, news))));
      res.setFailuresList(
        result.failures.map((f) => new pb.CheckFailure().setProperty(f.property).setReason(f.reason)),
      );
      return res;
    }),
    diff: unary(async (req: pb.DiffRequest) => {
      const h = handlerFor(req.getType(), req.getUrn());
      const ctx = context(req.getUrn(), h.token, true, 0);
      const olds = decodeProperties(structToJs(req.getOlds()));
      const news = decodeProperties(structToJs(req.getNews()));
      const oldInputs = req.hasOldInputs() ? decodeProperties(structToJs(req.getOldInputs())).value : undefined;
      const result = await h.diff(req.getId(), olds.value, news.value, ctx, {
        ...(oldInputs ? { oldInputs } : {}),
        ignoreChanges: req.getIgnorechangesList(),
      });
      const res = new pb.DiffResponse();
      res.setChanges(
        result.changes === undefined
          ? pb.DiffResponse.DiffChanges.DIFF_UNKNOWN
          : result.changes
            ? pb.DiffResponse.DiffChanges.DIFF_SOME
            : pb.DiffResponse.DiffChanges.DIFF_NONE,
      );
      res.setReplacesList([...result.replaces]);
      res.setStablesList([...(result.stables ?? [])]);
      res.setDeletebeforereplace(result.deleteBeforeReplace ?? false);
      const map = res.getDetaileddiffMap();
      const topLevel = new Set<string>();
      for (const [path, d] of Object.entries(result.detailedDiff)) {
        map.set(path, new pb.PropertyDiff().setKind(KIND[d.kind]).setInputdiff(d.inputDiff));
        topLevel.add(/^[^.[]+/.exec(path)?.[0] ?? path);
      }
      res.setDiffsList([...topLevel]);
      res.setHasdetaileddiff(true);
      return res;
    }),
    create: unary(async (req: pb.CreateRequest) => {
      const h = handlerFor(req.getType(), req.getUrn());
      const ctx = context(req.getUrn(), h.token, req.getPreview(), req.getTimeout());
      const inputs = decodeProperties(structToJs(req.getProperties()));
      try {
        const result = await h.create(inputs.value, ctx);
        const res = new pb.CreateResponse().setId(result.id);
        res.setProperties(jsToStruct(encodeProperties(result.outputs, outputSecretPaths(result.outputs, inputs))));
        return res;
      } catch (e) {
        throw withSecrets(e, inputs);
      }
    }),
    read: unary(async (req: pb.ReadRequest) => {
      const h = handlerFor(req.getType(), req.getUrn());
      const ctx = context(req.getUrn(), h.token, false, req.getTimeout());
      const state = req.hasProperties() ? decodeProperties(structToJs(req.getProperties())) : undefined;
      const inputs = req.hasInputs() ? decodeProperties(structToJs(req.getInputs())) : undefined;
      const stateValue = state && Object.keys(state.value).length > 0 ? state.value : undefined;
      const inputsValue = inputs && Object.keys(inputs.value).length > 0 ? inputs.value : undefined;
      const result = await h.read(req.getId(), stateValue, inputsValue, ctx);
      const res = new pb.ReadResponse();
      if (!result) return res; // empty id: the resource is gone
      const sources = [state, inputs].filter((x): x is DecodedProperties => x !== undefined);
      res.setId(result.id);
      res.setProperties(jsToStruct(encodeProperties(result.outputs, outputSecretPaths(result.outputs, ...sources))));
      res.setInputs(jsToStruct(encodeProperties(result.inputs, outputSecretPaths(result.inputs, ...sources))));
      return res;
    }),
    update: unary(async (req: pb.UpdateRequest) => {
      const h = handlerFor(req.getType(), req.getUrn());
      const ctx = context(req.getUrn(), h.token, req.getPreview(), req.getTimeout());
      const olds = decodeProperties(structToJs(req.getOlds()));
      const news = decodeProperties(structToJs(req.getNews()));
      const oldInputs = req.hasOldInputs() ? decodeProperties(structToJs(req.getOldInputs())).value : undefined;
      try {
        const result = await h.update(req.getId(), olds.value, news.value, ctx, oldInputs);
        const res = new pb.UpdateResponse();
        res.setProperties(jsToStruct(encodeProperties(result.outputs, outputSecretPaths(result.outputs, news, olds))));
        return res;
      } catch (e) {
        throw withSecrets(e, news, olds);
      }
    }),
    delete: unary(async (req: pb.DeleteRequest) => {
      const h = handlerFor(req.getType(), req.getUrn());
      const ctx = context(req.getUrn(), h.token, false, req.getTimeout());
      const state = decodeProperties(structToJs(req.getProperties()));
      await h.delete(req.getId(), state.value, ctx);
      return new Empty();
    }),
    cancel: unary(async () => {
      cancel.abort(new Error("the Pulumi engine cancelled the operation"));
      return new Empty();
    }),
    attach: unary(async (req: PluginAttach) => {
      engine.close();
      engine = connectEngineLog(req.getAddress());
      return new Empty();
    }),
  };

  const server = new grpc.Server({ "grpc.max_receive_message_length": 1024 * 1024 * 400 });
  server.addService(ResourceProviderService, impl as IResourceProviderServer);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(host, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    port,
    config: () => config,
    stop: async () => {
      cancel.abort(new Error("the provider is shutting down"));
      await engine.flush();
      engine.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}

/** The type token inside a URN: urn:pulumi:stack::project::[parent$]type::name. */
export function urnType(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  const types = qualified.split("$");
  return types[types.length - 1] ?? "";
}

/** Re-marks secrets in a partial failure's recorded state. */
function withSecrets(e: unknown, ...sources: DecodedProperties[]): unknown {
  if (!(e instanceof PartialFailure)) return e;
  const outputs = encodeProperties(e.outputs, outputSecretPaths(e.outputs, ...sources));
  const inputs = e.inputs ? encodeProperties(e.inputs, outputSecretPaths(e.inputs, ...sources)) : undefined;
  return new PartialFailure(e.message, e.id, outputs, inputs);
}
