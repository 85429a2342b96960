import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EngineService, type IEngineServer } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { type LogSeverity, type LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { startProviderServer, type ProviderServer } from "../../provider/server";
import type { AnyResourceHandler } from "../../provider/resources/resource";

/**
 * A fake Pulumi engine for provider tests: an Engine gRPC service capturing Log calls, and a
 * ResourceProvider client speaking to the provider (started in-process on port 0, or the real
 * bin/pulumi-resource-livevm spawned as the engine would). Property values are wire JSON, so tests can
 * send and see secrets and unknowns exactly as the engine does.
 */

export interface CapturedLog {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
  readonly urn: string;
  readonly ephemeral: boolean;
}

export type Wire = Record<string, unknown>;

export interface DiffAnswer {
  readonly changes: "unknown" | "none" | "some";
  readonly replaces: string[];
  readonly stables: string[];
  readonly deleteBeforeReplace: boolean;
  readonly diffs: string[];
  readonly detailedDiff: Record<string, { kind: string; inputDiff: boolean }>;
  readonly hasDetailedDiff: boolean;
}

export interface ProviderCallError extends Error {
  readonly code: number;
  /** the state the provider asked the engine to record (ErrorResourceInitFailed) */
  readonly initFailed?: { id: string; properties: Wire; inputs?: Wire; reasons: string[] };
}

const SEVERITIES = ["debug", "info", "warning", "error"] as const;
const KIND_NAMES = ["add", "add-replace", "delete", "delete-replace", "update", "update-replace"];

export const TEST_STACK_URN = (type: string, name: string): string => `urn:pulumi:test::livevm::${type}::${name}`;

export class FakeEngine {
  readonly logs: CapturedLog[] = [];
  private engineServer?: grpc.Server;
  private providerServer?: ProviderServer;
  private child?: ChildProcess;

  /** The plugin's process id (the bin script execs node, so it is the provider's own), for benchmarks. */
  get pluginPid(): number | undefined {
    return this.child?.pid;
  }
  private client?: ResourceProviderClient;
  engineAddress = "";

  /** Starts the fake Engine service. */
  async start(): Promise<this> {
    const server = new grpc.Server();
    const impl: Partial<IEngineServer> = {
      log: (call: grpc.ServerUnaryCall<LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
        const r = call.request;
        this.logs.push({
          severity: SEVERITIES[r.getSeverity() as LogSeverity] ?? "info",
          message: r.getMessage(),
          urn: r.getUrn(),
          ephemeral: r.getEphemeral(),
        });
        cb(null, new Empty());
      },
    };
    server.addService(EngineService, impl as IEngineServer);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    this.engineServer = server;
    this.engineAddress = `127.0.0.1:${port}`;
    return this;
  }

  /** Starts the provider server in this process with the given handlers. */
  async startInProcess(handlers: readonly AnyResourceHandler[], version = "0.1.0"): Promise<this> {
    this.providerServer = await startProviderServer({ handlers, version, engineAddress: this.engineAddress });
    this.connect(this.providerServer.port);
    return this;
  }

  /** Spawns bin/pulumi-resource-livevm as the engine does and reads the port from its first stdout line. */
  async spawnPlugin(env: NodeJS.ProcessEnv = process.env): Promise<{ port: number; stdout: () => string }> {
    const bin = join(__dirname, "..", "..", "bin", "pulumi-resource-livevm");
    const child = spawn(bin, ["--logtostderr", "-v=9", this.engineAddress], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf("\n");
        if (nl >= 0) resolve(Number(out.slice(0, nl)));
      });
      child.on("exit", (code) => reject(new Error(`plugin exited with ${code} before printing a port: ${err}`)));
    });
    this.connect(port);
    return { port, stdout: () => out };
  }

  private connect(port: number): void {
    this.client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  }

  async stop(): Promise<void> {
    this.client?.close();
    if (this.providerServer) await this.providerServer.stop();
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child!.once("exit", r));
      this.child.kill("SIGTERM");
      await exited;
    }
    if (this.engineServer) await new Promise<void>((r) => this.engineServer!.tryShutdown(() => r()));
  }

  /** Kills the spawned plugin without warning (a crash in the middle of an operation). */
  async killPlugin(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    this.client?.close();
    this.client = undefined;
  }

  /** Waits until logs sent so far have arrived (Engine.Log calls are asynchronous). */
  async settle(ms = 30): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
  }

  logsFor(urn: string, severity?: CapturedLog["severity"]): CapturedLog[] {
    return this.logs.filter((l) => l.urn === urn && (!severity || l.severity === severity));
  }

  private call<Req, Res>(method: string, req: Req): Promise<Res> {
    const client = this.client as unknown as Record<
      string,
      (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void
    >;
    return new Promise<Res>((resolve, reject) =>
      client[method]!.call(this.client, req, (e, r) => (e ? reject(decodeError(e)) : resolve(r))),
    );
  }

  async getPluginInfo(): Promise<string> {
    const r = await this.call<Empty, { getVersion(): string }>("getPluginInfo", new Empty());
    return r.getVersion();
  }

  async getSchema(): Promise<Record<string, unknown>> {
    const r = await this.call<pb.GetSchemaRequest, pb.GetSchemaResponse>("getSchema", new pb.GetSchemaRequest());
    return JSON.parse(r.getSchema()) as Record<string, unknown>;
  }

  async checkConfig(news: Wire): Promise<{ inputs: Wire; failures: { property: string; reason: string }[] }> {
    const req = new pb.CheckRequest().setUrn("urn:pulumi:test::livevm::pulumi:providers:livevm::default");
    req.setNews(toStruct(news));
    const r = await this.call<pb.CheckRequest, pb.CheckResponse>("checkConfig", req);
    return { inputs: fromStruct(r.getInputs()), failures: failures(r) };
  }

  async configure(args: Wire): Promise<pb.ConfigureResponse> {
    const req = new pb.ConfigureRequest().setAcceptsecrets(true).setAcceptresources(true);
    req.setArgs(toStruct(args));
    return this.call("configure", req);
  }

  /** Configure through the legacy variables map (`livevm:config:key` → string). */
  async configureVariables(vars: Record<string, string>): Promise<pb.ConfigureResponse> {
    const req = new pb.ConfigureRequest().setAcceptsecrets(true);
    for (const [k, v] of Object.entries(vars)) req.getVariablesMap().set(k, v);
    return this.call("configure", req);
  }

  async check(
    urn: string,
    olds: Wire | undefined,
    news: Wire,
  ): Promise<{ inputs: Wire; failures: { property: string; reason: string }[] }> {
    const req = new pb.CheckRequest().setUrn(urn).setType(typeOf(urn)).setName(nameOf(urn));
    if (olds) req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const r = await this.call<pb.CheckRequest, pb.CheckResponse>("check", req);
    return { inputs: fromStruct(r.getInputs()), failures: failures(r) };
  }

  async diff(urn: string, id: string, olds: Wire, news: Wire, oldInputs?: Wire): Promise<DiffAnswer> {
    const req = new pb.DiffRequest().setUrn(urn).setId(id).setType(typeOf(urn)).setName(nameOf(urn));
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    const r = await this.call<pb.DiffRequest, pb.DiffResponse>("diff", req);
    const detailedDiff: DiffAnswer["detailedDiff"] = {};
    r.getDetaileddiffMap().forEach(
      (v, k) => (detailedDiff[k] = { kind: KIND_NAMES[v.getKind()]!, inputDiff: v.getInputdiff() }),
    );
    return {
      changes: (["unknown", "none", "some"] as const)[r.getChanges()]!,
      replaces: r.getReplacesList(),
      stables: r.getStablesList(),
      deleteBeforeReplace: r.getDeletebeforereplace(),
      diffs: r.getDiffsList(),
      detailedDiff,
      hasDetailedDiff: r.getHasdetaileddiff(),
    };
  }

  async create(
    urn: string,
    inputs: Wire,
    opts: { preview?: boolean; timeout?: number } = {},
  ): Promise<{ id: string; outputs: Wire }> {
    const req = new pb.CreateRequest().setUrn(urn).setType(typeOf(urn)).setName(nameOf(urn));
    req
      .setProperties(toStruct(inputs))
      .setPreview(opts.preview ?? false)
      .setTimeout(opts.timeout ?? 0);
    const r = await this.call<pb.CreateRequest, pb.CreateResponse>("create", req);
    return { id: r.getId(), outputs: fromStruct(r.getProperties()) };
  }

  async read(
    urn: string,
    id: string,
    state?: Wire,
    inputs?: Wire,
  ): Promise<{ id: string; outputs: Wire; inputs: Wire }> {
    const req = new pb.ReadRequest().setUrn(urn).setId(id).setType(typeOf(urn)).setName(nameOf(urn));
    if (state) req.setProperties(toStruct(state));
    if (inputs) req.setInputs(toStruct(inputs));
    const r = await this.call<pb.ReadRequest, pb.ReadResponse>("read", req);
    return { id: r.getId(), outputs: fromStruct(r.getProperties()), inputs: fromStruct(r.getInputs()) };
  }

  async update(
    urn: string,
    id: string,
    olds: Wire,
    news: Wire,
    opts: { preview?: boolean; timeout?: number; oldInputs?: Wire } = {},
  ): Promise<Wire> {
    const req = new pb.UpdateRequest().setUrn(urn).setId(id).setType(typeOf(urn)).setName(nameOf(urn));
    req
      .setOlds(toStruct(olds))
      .setNews(toStruct(news))
      .setPreview(opts.preview ?? false)
      .setTimeout(opts.timeout ?? 0);
    if (opts.oldInputs) req.setOldInputs(toStruct(opts.oldInputs));
    const r = await this.call<pb.UpdateRequest, pb.UpdateResponse>("update", req);
    return fromStruct(r.getProperties());
  }

  async delete(urn: string, id: string, state: Wire, timeout = 0): Promise<void> {
    const req = new pb.DeleteRequest().setUrn(urn).setId(id).setType(typeOf(urn)).setName(nameOf(urn));
    req.setProperties(toStruct(state)).setTimeout(timeout);
    await this.call("delete", req);
  }

  async cancel(): Promise<void> {
    await this.call("cancel", new Empty());
  }
}

function typeOf(urn: string): string {
  return urn.split("::")[2] ?? "";
}
function nameOf(urn: string): string {
  return urn.split("::")[3] ?? "";
}

function toStruct(v: Wire): Struct {
  return Struct.fromJavaScript(v as Parameters<typeof Struct.fromJavaScript>[0]);
}
function fromStruct(s: Struct | undefined): Wire {
  return s ? (s.toJavaScript() as Wire) : {};
}
function failures(r: pb.CheckResponse): { property: string; reason: string }[] {
  return r.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
}

function decodeError(e: grpc.ServiceError): ProviderCallError {
  const out = Object.assign(new Error(e.details || e.message), { code: e.code }) as ProviderCallError & {
    initFailed?: ProviderCallError["initFailed"];
  };
  const bin = e.metadata?.get("grpc-status-details-bin")[0];
  if (bin) {
    const status = Status.deserializeBinary(new Uint8Array(bin as Buffer));
    for (const any of status.getDetailsList()) {
      const d = any.unpack(ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
      if (d)
        out.initFailed = {
          id: d.getId(),
          properties: fromStruct(d.getProperties()),
          ...(d.hasInputs() ? { inputs: fromStruct(d.getInputs()) } : {}),
          reasons: d.getReasonsList(),
        };
    }
  }
  return out;
}
