/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies */
/** Kubernetes API semantics over raw HTTP: status codes and Status bodies as a real API server sends them. */
import assert from "node:assert/strict";
import http from "node:http";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { api, vmManifest, waitFor } from "./helpers";

const VMS = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";

function watchLines(url: string): Promise<{ status: number; lines: Record<string, any>[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let buf = "";
        res.on("data", (d: Buffer) => (buf += d.toString()));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            lines: buf
              .split("\n")
              .filter(Boolean)
              .map((l) => JSON.parse(l)),
          }),
        );
      })
      .on("error", reject);
  });
}

describe("sandbox API semantics", () => {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ migrationSeconds: 0.05, watchCacheSize: 200 });
  });
  after(async () => sb?.close());

  it("answers /version, /api, /apis and resource lists with subresources", async () => {
    assert.equal((await api(sb.url, "GET", "/version")).body.gitVersion, "v1.33.0");
    const groups = (await api(sb.url, "GET", "/apis")).body.groups as { name: string }[];
    assert.deepEqual(groups.map((g) => g.name).sort(), ["apps", "kubevirt.io", "subresources.kubevirt.io"]);
    const kv = (await api(sb.url, "GET", "/apis/kubevirt.io/v1")).body.resources as { name: string }[];
    assert.ok(kv.some((r) => r.name === "virtualmachines/status"));
    const sub = (await api(sb.url, "GET", "/apis/subresources.kubevirt.io/v1")).body.resources as { name: string }[];
    assert.deepEqual(
      sub.map((r) => r.name),
      ["virtualmachines/start", "virtualmachines/stop", "virtualmachines/restart"],
    );
  });

  it("rejects bad JSON with 400, wrong content type with 415, and never crashes", async () => {
    const bad = await api(sb.url, "POST", VMS, "{not json", "application/json");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.kind, "Status");
    assert.equal(bad.body.reason, "BadRequest");
    assert.match(String(bad.body.message), /json parse error/);
    const ct = await api(sb.url, "POST", VMS, JSON.stringify(vmManifest("x")), "text/plain");
    assert.equal(ct.status, 415);
    assert.equal(ct.body.reason, "UnsupportedMediaType");
    const arr = await api(sb.url, "POST", VMS, "[1,2]");
    assert.equal(arr.status, 400);
    const smp = await api(sb.url, "PATCH", `${VMS}/x`, "{}", "application/strategic-merge-patch+json");
    assert.equal(smp.status, 415, "custom resources refuse strategic merge patches");
    const empty = await api(sb.url, "POST", VMS, "", "application/json");
    assert.equal(empty.status, 400);
    // garbage at every endpoint: only 4xx, and the server still answers
    const paths = [
      VMS,
      `${VMS}/x`,
      `${VMS}/x/status`,
      "/api/v1/nodes/node01",
      "/api/v1/namespaces",
      "/apis/kubevirt.io/v1/namespaces/kubevirt/kubevirts/kubevirt",
    ];
    const bodies = [
      "null",
      "42",
      '"s"',
      "{}",
      '{"metadata":5}',
      '{"metadata":{"labels":{"a":1}}}',
      '{"spec":[]}',
      "[{}]",
      '[{"op":"boom","path":"/x"}]',
      '{"kind":"Pod"}',
      "\u0000\u0001",
    ];
    const types = [
      "application/json",
      "application/merge-patch+json",
      "application/json-patch+json",
      "application/apply-patch+yaml",
      "application/yaml",
    ];
    for (const p of paths)
      for (const b of bodies)
        for (const method of ["POST", "PUT", "PATCH"])
          for (const t of types) {
            const r = await api(sb.url, method, p, b, t);
            assert.ok(
              r.status < 500,
              `${method} ${p} ${t} ${JSON.stringify(b)} → ${r.status} ${JSON.stringify(r.body)}`,
            );
          }
    assert.equal((await api(sb.url, "GET", "/version")).status, 200);
  });

  it("validates fields: strict unknown fields are 400, warn prunes with a Warning header, wrong types are 422", async () => {
    const withUnknown = vmManifest("strict") as Record<string, any>;
    withUnknown.spec.template.spec.domain.cpu.socketz = 2;
    const strict = await api(sb.url, "POST", `${VMS}?fieldValidation=Strict`, withUnknown);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'strict decoding error: unknown field "spec.template.spec.domain.cpu.socketz"');
    const warn = await api(sb.url, "POST", VMS, withUnknown);
    assert.equal(warn.status, 201);
    assert.match(warn.headers.get("warning") ?? "", /unknown field \\"spec.template.spec.domain.cpu.socketz\\"/);
    assert.equal((warn.body.spec as any).template.spec.domain.cpu.socketz, undefined);
    const wrongType = vmManifest("wrongtype") as Record<string, any>;
    wrongType.spec.template.spec.domain.cpu.sockets = "two";
    const typed = await api(sb.url, "POST", VMS, wrongType);
    assert.equal(typed.status, 422);
    assert.equal((typed.body.details as any).causes[0].field, "spec.template.spec.domain.cpu.sockets");
    assert.match(String(typed.body.message), /must be of type integer/);
    const badMode = await api(sb.url, "POST", `${VMS}?fieldValidation=Loud`, vmManifest("m"));
    assert.equal(badMode.status, 400);
  });

  it("creates with generateName, needs a name, a namespace that exists, and a matching URL", async () => {
    const m = vmManifest("") as Record<string, any>;
    delete m.metadata.name;
    m.metadata.generateName = "gen-";
    const created = await api(sb.url, "POST", VMS, m);
    assert.equal(created.status, 201);
    assert.match((created.body.metadata as any).name, /^gen-[a-z0-9]{5}$/);
    delete m.metadata.generateName;
    const noName = await api(sb.url, "POST", VMS, m);
    assert.equal(noName.status, 422);
    const inNope = vmManifest("a") as Record<string, any>;
    delete inNope.metadata.namespace;
    const noNs = await api(sb.url, "POST", "/apis/kubevirt.io/v1/namespaces/nope/virtualmachines", inNope);
    assert.equal(noNs.status, 404);
    assert.equal(noNs.body.message, 'namespaces "nope" not found');
    const mismatch = await api(sb.url, "PUT", `${VMS}/other`, {
      ...vmManifest("x"),
      metadata: { name: "x", resourceVersion: "1" },
    });
    assert.equal(mismatch.status, 400);
    const missing = await api(sb.url, "GET", `${VMS}/missing`);
    assert.deepEqual(missing.body, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'virtualmachines.kubevirt.io "missing" not found',
      reason: "NotFound",
      details: { name: "missing", group: "kubevirt.io", kind: "virtualmachines" },
      code: 404,
    });
  });

  it("updates with optimistic concurrency, bumps generation on spec changes only, and splits status", async () => {
    assert.equal(((await api(sb.url, "POST", VMS, vmManifest("occ"))).body.metadata as any).generation, 1);
    // the VM controller writes status right away; read the current object
    const created = (await api(sb.url, "GET", `${VMS}/occ`)).body as any;
    const noRv = await api(sb.url, "PUT", `${VMS}/occ`, {
      ...created,
      metadata: { ...created.metadata, resourceVersion: undefined },
    });
    assert.equal(noRv.status, 422);
    const labelled = await api(sb.url, "PUT", `${VMS}/occ`, {
      ...created,
      metadata: { ...created.metadata, labels: { a: "b" } },
    });
    assert.equal(labelled.status, 200);
    assert.equal((labelled.body.metadata as any).generation, 1);
    const stale = await api(sb.url, "PUT", `${VMS}/occ`, created);
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, "Conflict");
    assert.match(
      String(stale.body.message),
      /the object has been modified; please apply your changes to the latest version and try again/,
    );
    const specChange = await api(
      sb.url,
      "PATCH",
      `${VMS}/occ`,
      { spec: { template: { spec: { hostname: "h" } } } },
      "application/merge-patch+json",
    );
    assert.equal((specChange.body.metadata as any).generation, 2);
    const statusViaMain = await api(
      sb.url,
      "PATCH",
      `${VMS}/occ`,
      { status: { printableStatus: "Hacked" } },
      "application/merge-patch+json",
    );
    assert.notEqual((statusViaMain.body.status as any).printableStatus, "Hacked");
    const viaStatus = await api(
      sb.url,
      "PATCH",
      `${VMS}/occ/status`,
      { spec: { running: true }, metadata: { labels: { z: "z" } }, status: { custom: "x" } },
      "application/merge-patch+json",
    );
    assert.equal(viaStatus.status, 200);
    assert.equal((viaStatus.body.status as any).custom, "x");
    assert.equal((viaStatus.body.spec as any).running, undefined);
  });

  it("applies JSON patches with test ops (422 when the test fails) and strategic merge patches on nodes", async () => {
    const ok = await api(
      sb.url,
      "PATCH",
      `${VMS}/occ`,
      [
        { op: "test", path: "/spec/template/spec/domain/cpu/sockets", value: 1 },
        { op: "replace", path: "/spec/template/spec/domain/cpu/sockets", value: 2 },
      ],
      "application/json-patch+json",
    );
    assert.equal(ok.status, 200);
    const failed = await api(
      sb.url,
      "PATCH",
      `${VMS}/occ`,
      [{ op: "test", path: "/spec/template/spec/domain/cpu/sockets", value: 1 }],
      "application/json-patch+json",
    );
    assert.equal(failed.status, 422);
    assert.match(JSON.stringify(failed.body), /testing value \/spec\/template\/spec\/domain\/cpu\/sockets failed/);
    const missingPath = await api(
      sb.url,
      "PATCH",
      `${VMS}/occ`,
      [{ op: "replace", path: "/spec/nope/x", value: 1 }],
      "application/json-patch+json",
    );
    assert.equal(missingPath.status, 422);
    const node = await api(
      sb.url,
      "PATCH",
      "/api/v1/nodes/node02",
      { metadata: { labels: { zone: "a" } } },
      "application/strategic-merge-patch+json",
    );
    assert.equal(node.status, 200);
    assert.equal((node.body.metadata as any).labels.zone, "a");
    assert.equal((node.body.metadata as any).labels["kubernetes.io/hostname"], "node02");
  });

  it("server-side apply: field managers, conflicts as 409 with causes, force, and removal of dropped fields", async () => {
    const path = "/api/v1/nodes/node03";
    const a = await api(
      sb.url,
      "PATCH",
      `${path}?fieldManager=a`,
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node03\n  labels:\n    team: a\n    keep: 'yes'\n",
      "application/apply-patch+yaml",
    );
    assert.equal(a.status, 200, JSON.stringify(a.body));
    const managers = (a.body.metadata as any).managedFields as { manager: string; operation: string }[];
    assert.ok(managers.some((m) => m.manager === "a" && m.operation === "Apply"));
    const noManager = await api(
      sb.url,
      "PATCH",
      path,
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node03\n",
      "application/apply-patch+yaml",
    );
    assert.equal(noManager.status, 400);
    const b = await api(
      sb.url,
      "PATCH",
      `${path}?fieldManager=b`,
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node03\n  labels:\n    team: b\n",
      "application/apply-patch+yaml",
    );
    assert.equal(b.status, 409);
    assert.equal(
      b.body.message,
      'Apply failed with 1 conflict: conflict with "a": .metadata.labels.team'.replace('"a"', '"a" using v1'),
    );
    assert.deepEqual((b.body.details as any).causes, [
      { type: "FieldManagerConflict", message: 'conflict with "a" using v1', field: ".metadata.labels.team" },
    ]);
    const forced = await api(
      sb.url,
      "PATCH",
      `${path}?fieldManager=b&force=true`,
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node03\n  labels:\n    team: b\n",
      "application/apply-patch+yaml",
    );
    assert.equal(forced.status, 200);
    const dropped = await api(
      sb.url,
      "PATCH",
      `${path}?fieldManager=a`,
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node03\n  labels: {}\n",
      "application/apply-patch+yaml",
    );
    assert.equal(dropped.status, 200);
    const labels = (dropped.body.metadata as any).labels;
    assert.equal(labels.keep, undefined, "a's dropped field is removed");
    assert.equal(labels.team, "b", "b's field stays");
  });

  it("lists with label/field selectors and pages with limit/continue", async () => {
    for (const n of ["sel-a", "sel-b", "sel-c"]) {
      const m = vmManifest(n) as any;
      m.metadata.labels = { group: n === "sel-c" ? "two" : "one" };
      assert.equal((await api(sb.url, "POST", VMS, m)).status, 201);
    }
    const one = await api(sb.url, "GET", `${VMS}?labelSelector=${encodeURIComponent("group in (one)")}`);
    assert.deepEqual(
      (one.body.items as any[]).map((i) => i.metadata.name),
      ["sel-a", "sel-b"],
    );
    const byName = await api(sb.url, "GET", `${VMS}?fieldSelector=metadata.name%3Dsel-c`);
    assert.equal((byName.body.items as unknown[]).length, 1);
    const badSel = await api(sb.url, "GET", `${VMS}?fieldSelector=spec.foo%3Dx`);
    assert.equal(badSel.status, 400);
    const page1 = await api(sb.url, "GET", `${VMS}?limit=2`);
    assert.equal((page1.body.items as unknown[]).length, 2);
    const cont = (page1.body.metadata as any).continue;
    assert.ok(cont);
    const page2 = await api(sb.url, "GET", `${VMS}?limit=100&continue=${cont}`);
    assert.ok((page2.body.items as unknown[]).length >= 1);
  });

  it("watches from a resourceVersion (ADDED/MODIFIED/DELETED), times out, and answers 410 for compacted versions", async () => {
    const rv = (await api(sb.url, "GET", VMS)).body.metadata as { resourceVersion: string };
    const done = watchLines(
      `${sb.url}${VMS}?watch=true&resourceVersion=${rv.resourceVersion}&timeoutSeconds=1&fieldSelector=metadata.name%3Dw1`,
    );
    await api(sb.url, "POST", VMS, vmManifest("w1"));
    await api(sb.url, "PATCH", `${VMS}/w1`, { metadata: { labels: { x: "y" } } }, "application/merge-patch+json");
    await api(sb.url, "DELETE", `${VMS}/w1`);
    const { lines } = await done;
    const types = lines.map((l) => l.type);
    assert.equal(types[0], "ADDED");
    assert.ok(types.includes("MODIFIED"));
    assert.equal(types[types.length - 1], "DELETED");
    // churn past the 200-event watch cache, then resume from the old version
    for (let i = 0; i < 250; i++)
      await api(
        sb.url,
        "PATCH",
        "/api/v1/nodes/node01",
        { metadata: { annotations: { n: String(i) } } },
        "application/merge-patch+json",
      );
    const gone = await watchLines(`${sb.url}${VMS}?watch=1&resourceVersion=${rv.resourceVersion}&timeoutSeconds=1`);
    assert.equal(gone.lines[0]!.type, "ERROR");
    assert.equal(gone.lines[0]!.object.code, 410);
    assert.equal(gone.lines[0]!.object.reason, "Expired");
  });

  it("keeps migrations with finalizers until the controller releases them", async () => {
    await api(sb.url, "POST", VMS, vmManifest("fin"));
    await waitFor("VMI", async () =>
      (await api(sb.url, "GET", "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/fin")).status === 200
        ? true
        : undefined,
    );
    const m = await api(sb.url, "POST", "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations", {
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachineInstanceMigration",
      metadata: { name: "manual" },
      spec: { vmiName: "fin" },
    });
    assert.equal(m.status, 201, JSON.stringify(m.body));
    assert.deepEqual((m.body.metadata as any).finalizers, ["kubevirt.io/migrationJobFinalize"]);
    assert.equal((m.body.metadata as any).labels["kubevirt.io/vmi-name"], "fin");
    await waitFor("migration to finish", async () =>
      (
        (await api(sb.url, "GET", "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations/manual"))
          .body.status as any
      )?.phase === "Succeeded"
        ? true
        : undefined,
    );
    const del = await api(
      sb.url,
      "DELETE",
      "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations/manual",
    );
    assert.equal(del.status, 200);
    await waitFor("migration to go", async () =>
      (await api(sb.url, "GET", "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations/manual"))
        .status === 404
        ? true
        : undefined,
    );
    const noVmi = await api(
      sb.url,
      "POST",
      "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstancemigrations",
      {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachineInstanceMigration",
        metadata: { name: "ghost" },
        spec: { vmiName: "ghost" },
      },
    );
    assert.equal(noVmi.status, 422);
  });

  it("answers 404 for unknown paths and 405 for unsupported methods", async () => {
    assert.equal((await api(sb.url, "GET", "/apis/example.com/v1/things")).status, 404);
    assert.equal((await api(sb.url, "POST", `${VMS}/x/status`, {})).status, 405);
    assert.equal(
      (await api(sb.url, "GET", "/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/x/start")).status,
      405,
    );
  });
});
