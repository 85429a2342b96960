import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { SECRET_SIG, SIG_KEY, UNKNOWN, UNKNOWN_WIRE } from "../../provider/properties";
import { PartialFailure, type ResourceContext, type ResourceHandler } from "../../provider/resources/resource";
import { FakeEngine, TEST_STACK_URN, type ProviderCallError } from "./fakeEngine";

/** A minimal handler exercising the server's plumbing: it echoes inputs and records what it saw. */
function echoHandler(seen: { ctx?: ResourceContext; signalAborted?: boolean }): ResourceHandler {
  return {
    token: "livevm:test:Echo",
    schema: { description: "test", properties: {}, inputProperties: {} },
    async check(_olds, news) {
      const failures =
        typeof news["size"] === "number" || news["size"] === undefined
          ? []
          : [{ property: "size", reason: "expected a number" }];
      return { inputs: { ...news, defaulted: "yes" }, failures };
    },
    async diff(_id, olds, news, ctx) {
      ctx.log("warning", `size ${String(olds["size"])} -> ${String(news["size"])}: live`);
      return {
        changes: olds["size"] !== news["size"],
        replaces: olds["name"] !== news["name"] ? ["name"] : [],
        detailedDiff: {
          size: { kind: "update", inputDiff: true },
          ...(olds["name"] !== news["name"] ? { name: { kind: "update-replace", inputDiff: true } } : {}),
        },
      };
    },
    async create(inputs, ctx) {
      seen.ctx = ctx;
      if (ctx.preview) return { id: "", outputs: { ...inputs, status: UNKNOWN } };
      if (inputs["fail"])
        throw new PartialFailure("created but never became ready", "echo-1", { ...inputs, status: "broken" });
      ctx.status("creating");
      return { id: "echo-1", outputs: { ...inputs, status: "ok", copy: inputs["password"] } };
    },
    async read(id, state) {
      return id === "gone" ? undefined : { id, outputs: { ...state, status: "read" }, inputs: { size: 1 } };
    },
    async update(_id, _olds, news, ctx) {
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener("abort", () => resolve());
      });
      seen.signalAborted = ctx.signal.aborted;
      throw new Error(`cancelled: ${(ctx.signal.reason as Error).message}; size stays ${String(news["size"])}`);
    },
    async delete() {},
  };
}

describe("provider gRPC server", () => {
  const urn = TEST_STACK_URN("livevm:test:Echo", "e1");
  let engine: FakeEngine;
  const seen: { ctx?: ResourceContext; signalAborted?: boolean } = {};

  beforeEach(async () => {
    engine = await new FakeEngine().start();
    await engine.startInProcess([echoHandler(seen)]);
  });
  afterEach(async () => engine.stop());

  it("answers GetPluginInfo and Configure with preview and secrets support", async () => {
    assert.equal(await engine.getPluginInfo(), "0.1.0");
    const res = await engine.configure({ namespace: "vms", onRestartRequired: "fail" });
    assert.equal(res.getSupportspreview(), true);
    assert.equal(res.getAcceptsecrets(), true);
    await engine.create(urn, { size: 1 });
    assert.equal(seen.ctx!.config.namespace, "vms");
    assert.equal(seen.ctx!.config.onRestartRequired, "fail");
    assert.equal(seen.ctx!.name, "e1");
  });

  it("reads the legacy variables map and rejects bad configuration naming the key", async () => {
    await engine.configureVariables({
      "livevm:config:kubevirtNamespace": "kv",
      "livevm:config:timeouts": '{"update":30}',
    });
    await engine.create(urn, { size: 1 });
    assert.equal(seen.ctx!.config.kubevirtNamespace, "kv");
    assert.equal(seen.ctx!.config.timeouts.update, 30);
    await assert.rejects(engine.configure({ onRestartRequired: "sometimes" }), (e: ProviderCallError) => {
      assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
      assert.match(e.message, /onRestartRequired: expected one of "restart", "warn", "fail", got "sometimes"/);
      return true;
    });
    const checked = await engine.checkConfig({ timeouts: { update: -1 } });
    assert.deepEqual(checked.failures, [
      { property: "timeouts.update", reason: "expected a positive number of seconds, got -1" },
    ]);
  });

  it("keeps secrets secret through Check and into outputs, including copies", async () => {
    const secret = { [SIG_KEY]: SECRET_SIG, value: "hunter2-long" };
    const checked = await engine.check(urn, undefined, { size: 2, password: secret });
    assert.deepEqual(checked.inputs, { size: 2, password: secret, defaulted: "yes" });
    const created = await engine.create(urn, checked.inputs);
    assert.deepEqual(created.outputs["password"], secret);
    assert.deepEqual(created.outputs["copy"], secret, "a secret copied to another output stays secret");
    assert.equal(created.outputs["status"], "ok");
  });

  it("reports Check failures with the property path", async () => {
    const checked = await engine.check(urn, undefined, { size: "big" });
    assert.deepEqual(checked.failures, [{ property: "size", reason: "expected a number" }]);
  });

  it("returns detailed diffs with replace kinds and attaches warnings to the resource URN", async () => {
    const d = await engine.diff(urn, "echo-1", { size: 1, name: "a" }, { size: 2, name: "b" });
    assert.equal(d.changes, "some");
    assert.equal(d.hasDetailedDiff, true);
    assert.deepEqual(d.detailedDiff, {
      size: { kind: "update", inputDiff: true },
      name: { kind: "update-replace", inputDiff: true },
    });
    assert.deepEqual(d.replaces, ["name"]);
    await engine.settle();
    assert.deepEqual(
      engine.logsFor(urn, "warning").map((l) => l.message),
      ["size 1 -> 2: live"],
    );
  });

  it("passes unknowns in preview both ways", async () => {
    const created = await engine.create(urn, { size: UNKNOWN_WIRE }, { preview: true });
    assert.equal(created.outputs["size"], UNKNOWN_WIRE);
    assert.equal(created.outputs["status"], UNKNOWN_WIRE);
    assert.equal(seen.ctx!.preview, true);
  });

  it("records partial failures as ErrorResourceInitFailed so nothing is done twice", async () => {
    await assert.rejects(engine.create(urn, { size: 1, fail: true }), (e: ProviderCallError) => {
      assert.match(e.message, /created but never became ready/);
      assert.equal(e.initFailed?.id, "echo-1");
      assert.equal(e.initFailed?.properties["status"], "broken");
      return true;
    });
  });

  it("reads, and reports a vanished resource with an empty id", async () => {
    const r = await engine.read(urn, "echo-1", { size: 3 });
    assert.deepEqual(r, { id: "echo-1", outputs: { size: 3, status: "read" }, inputs: { size: 1 } });
    const gone = await engine.read(urn, "gone", { size: 3 });
    assert.equal(gone.id, "");
  });

  it("sends status messages as ephemeral logs", async () => {
    await engine.create(urn, { size: 1 });
    await engine.settle();
    assert.deepEqual(
      engine
        .logsFor(urn)
        .filter((l) => l.ephemeral)
        .map((l) => l.message),
      ["creating"],
    );
  });

  it("aborts running operations on Cancel", async () => {
    const pending = assert.rejects(
      engine.update(urn, "echo-1", { size: 1 }, { size: 2 }),
      /cancelled: the Pulumi engine cancelled the operation; size stays 2/,
    );
    await new Promise((r) => setTimeout(r, 20));
    await engine.cancel();
    await pending;
    assert.equal(seen.signalAborted, true);
  });

  it("names the known types when asked for an unknown one", async () => {
    await assert.rejects(
      engine.check(TEST_STACK_URN("livevm:test:Nope", "x"), undefined, {}),
      /livevm has no resource type "livevm:test:Nope"; known: livevm:test:Echo/,
    );
  });
});

describe("pulumi-resource-livevm executable", () => {
  let engine: FakeEngine;
  before(async () => {
    engine = await new FakeEngine().start();
  });
  after(async () => engine.stop());

  it("prints only its port on stdout and serves the schema", async function () {
    this.timeout(30000);
    const { port, stdout } = await engine.spawnPlugin();
    assert.ok(port > 0);
    assert.equal(stdout(), `${port}\n`);
    assert.equal(await engine.getPluginInfo(), "0.1.0");
    const schema = await engine.getSchema();
    const checkedIn = JSON.parse(
      readFileSync(join(__dirname, "..", "..", "provider", "schema.json"), "utf8"),
    ) as unknown;
    assert.deepEqual(
      schema,
      checkedIn,
      "provider/schema.json is out of date: run ./scripts/run node --import tsx provider/writeSchema.ts",
    );
    assert.ok((schema["resources"] as Record<string, unknown>)["livevm:kubevirt:VirtualMachine"]);
  });
});
