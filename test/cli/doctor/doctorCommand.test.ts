/**
 * `livevm doctor` end to end over HTTP: a minimal Kubernetes API on 127.0.0.1 (port 0) serving a
 * KubeVirt CR, nodes, VMs and VMIs, reached through a kubeconfig file and @kubernetes/client-node.
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { type AddressInfo } from "node:net";
import { runDoctor } from "../../../cli/doctor/command";
import { EXIT } from "../../../cli/run";
import { kubeVirtCr, vmSnapshot } from "./fixtures";

interface FakeCluster {
  kubeVirts: unknown[] | "no-crd";
  nodes: unknown[] | "forbidden";
  vms: Array<{ vm: unknown; vmi?: unknown }>;
  vmListForbidden?: boolean;
}

function status(code: number, reason: string, message: string) {
  return { kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code };
}

function apiNode(name: string, labels: Record<string, string> = {}) {
  return {
    metadata: { name, labels: { "kubevirt.io/schedulable": "true", ...labels } },
    spec: {},
    status: { conditions: [{ type: "Ready", status: "True" }] },
  };
}

async function startFakeApi(
  cluster: FakeCluster,
): Promise<{ url: string; close(): Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(`${req.method} ${url.pathname}`);
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (p === "/apis/kubevirt.io/v1/kubevirts") {
      if (cluster.kubeVirts === "no-crd")
        return send(404, status(404, "NotFound", "the server could not find the requested resource"));
      return send(200, { kind: "KubeVirtList", items: cluster.kubeVirts });
    }
    if (p === "/api/v1/nodes") {
      if (cluster.nodes === "forbidden") {
        return send(
          403,
          status(
            403,
            "Forbidden",
            'nodes is forbidden: User "dev" cannot list resource "nodes" in API group "" at the cluster scope',
          ),
        );
      }
      return send(200, { kind: "NodeList", apiVersion: "v1", metadata: {}, items: cluster.nodes });
    }
    const ns = (o: { vm: unknown }) => (o.vm as { metadata: { namespace: string } }).metadata.namespace;
    const nm = (o: { vm: unknown }) => (o.vm as { metadata: { name: string } }).metadata.name;
    if (p === "/apis/kubevirt.io/v1/virtualmachines") {
      if (cluster.vmListForbidden) {
        return send(
          403,
          status(
            403,
            "Forbidden",
            'virtualmachines.kubevirt.io is forbidden: User "dev" cannot list resource "virtualmachines"',
          ),
        );
      }
      return send(200, { items: cluster.vms.map((o) => o.vm) });
    }
    if ((m = /^\/apis\/kubevirt\.io\/v1\/namespaces\/([^/]+)\/virtualmachines$/.exec(p))) {
      return send(200, { items: cluster.vms.filter((o) => ns(o) === m![1]).map((o) => o.vm) });
    }
    if (
      (m = /^\/apis\/kubevirt\.io\/v1\/namespaces\/([^/]+)\/(virtualmachines|virtualmachineinstances)\/([^/]+)$/.exec(
        p,
      ))
    ) {
      const found = cluster.vms.find((o) => ns(o) === m![1] && nm(o) === m![3]);
      const obj = m[2] === "virtualmachines" ? found?.vm : found?.vmi;
      if (!obj) return send(404, status(404, "NotFound", `${m[2]}.kubevirt.io "${m[3]}" not found`));
      return send(200, obj);
    }
    send(404, status(404, "NotFound", "the server could not find the requested resource"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function writeKubeconfig(dir: string, server: string, namespace = "default"): string {
  const file = path.join(dir, "kubeconfig");
  fs.writeFileSync(
    file,
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      `- name: fake\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`, // client-node refuses plain http otherwise
      "users:",
      "- name: dev\n  user:\n    token: not-a-secret",
      "contexts:",
      `- name: fake\n  context:\n    cluster: fake\n    user: dev\n    namespace: ${namespace}`,
      "current-context: fake",
      "",
    ].join("\n"),
  );
  return file;
}

async function doctor(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runDoctor(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("livevm doctor against a Kubernetes API", () => {
  let dir: string;
  let api: Awaited<ReturnType<typeof startFakeApi>> | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "livevm-doctor-"));
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const healthyVm = vmSnapshot("web", {
    sockets: 2,
    maxSockets: 8,
    guest: "2Gi",
    maxGuest: "8Gi",
    kernelRelease: "6.1.0-56-amd64",
  });

  it("a ready cluster: table output, exit 0", async () => {
    api = await startFakeApi({
      kubeVirts: [kubeVirtCr("v1.6.0")],
      nodes: [apiNode("node-a"), apiNode("node-b")],
      vms: [healthyVm],
    });
    const r = await doctor(["--kubeconfig", writeKubeconfig(dir, api.url)]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, EXIT.ok, r.stdout);
    assert.match(r.stdout, /default\/web\s+CPU headroom\s+ok\s+2 of max 8 sockets/);
    assert.match(r.stdout, /default\/web\s+guest kernel\s+ok\s+Linux 6\.1 supports memory hotplug/);
    assert.match(r.stdout, /Nothing blocks live updates\.\n$/);
  });

  it("a v1.5 cluster with one node and an old guest kernel: JSON output, exit 3, every problem named", async () => {
    const old = vmSnapshot("legacy", {
      sockets: 1,
      maxSockets: 4,
      guest: "2Gi",
      maxGuest: "8Gi",
      kernelRelease: "4.18.0-553.el8_10.x86_64",
    });
    api = await startFakeApi({ kubeVirts: [kubeVirtCr("v1.5.1")], nodes: [apiNode("node-a")], vms: [healthyVm, old] });
    const r = await doctor(["--kubeconfig", writeKubeconfig(dir, api.url), "-o", "json"]);
    assert.equal(r.code, EXIT.restart);
    const report = JSON.parse(r.stdout) as {
      blocking: boolean;
      checks: Array<{ scope: string; code: string; severity: string }>;
    };
    assert.equal(report.blocking, true);
    const blocking = report.checks.filter((c) => c.severity === "blocking").map((c) => `${c.scope}:${c.code}`);
    assert.deepEqual(blocking.sort(), [
      "cluster:nodes-too-few",
      "cluster:rollout-stage",
      "default/legacy:kernel-too-old-for-memory-hotplug",
      "default/legacy:no-migration-target",
      "default/web:no-migration-target",
    ]);
  });

  it("named VMs resolve in the context's namespace or as namespace/name; a missing one is an error with the API's message", async () => {
    const other = vmSnapshot("db", { maxSockets: 4, maxGuest: "8Gi", kernelRelease: "6.1.0" });
    (other.vm.metadata as { namespace: string }).namespace = "prod";
    (other.vmi!.metadata as { namespace: string }).namespace = "prod";
    api = await startFakeApi({
      kubeVirts: [kubeVirtCr("v1.9.0")],
      nodes: [apiNode("a"), apiNode("b")],
      vms: [healthyVm, other],
    });
    const kubeconfig = writeKubeconfig(dir, api.url);
    const r = await doctor(["--kubeconfig", kubeconfig, "web", "prod/db"]);
    assert.equal(r.code, EXIT.ok, r.stdout);
    assert.match(r.stdout, /default\/web/);
    assert.match(r.stdout, /prod\/db/);
    assert.ok(!api.requests.includes("GET /apis/kubevirt.io/v1/virtualmachines"), "named VMs are fetched one by one");

    const missing = await doctor(["--kubeconfig", kubeconfig, "--namespace", "prod", "nope"]);
    assert.equal(missing.code, EXIT.error);
    assert.match(
      missing.stderr,
      /reading VirtualMachine prod\/nope: HTTP 404: virtualmachines\.kubevirt\.io "nope" not found/,
    );

    const scoped = await doctor(["--kubeconfig", kubeconfig, "-n", "prod"]);
    assert.doesNotMatch(scoped.stdout, /default\/web/);
    assert.match(scoped.stdout, /prod\/db/);
  });

  it("surfaces the API server's own messages: no KubeVirt CRD, nodes forbidden, VM list forbidden", async () => {
    api = await startFakeApi({ kubeVirts: "no-crd", nodes: "forbidden", vms: [] });
    const kubeconfig = writeKubeconfig(dir, api.url);
    const r = await doctor(["--kubeconfig", kubeconfig]);
    assert.equal(r.code, EXIT.restart);
    assert.match(r.stdout, /KubeVirt\s+BLOCKING\s+the KubeVirt CRD \(kubevirts\.kubevirt\.io\) is not installed/);
    assert.match(
      r.stdout,
      /nodes\s+WARN\s+cannot list nodes.*HTTP 403: nodes is forbidden: User "dev" cannot list resource "nodes"/,
    );
    await api.close();

    api = await startFakeApi({ kubeVirts: [kubeVirtCr("v1.6.0")], nodes: [], vms: [], vmListForbidden: true });
    const empty = await doctor(["--kubeconfig", writeKubeconfig(dir, api.url), "-n", "nothing-here"]);
    assert.match(empty.stdout, /no VirtualMachines in scope/);
    const denied = await doctor(["--kubeconfig", writeKubeconfig(dir, api.url)]);
    assert.equal(denied.code, EXIT.error);
    assert.match(denied.stderr, /listing VirtualMachines: HTTP 403: virtualmachines\.kubevirt\.io is forbidden/);
  });

  it("an unreachable API server is an error naming the server and the reason", async () => {
    api = await startFakeApi({ kubeVirts: [], nodes: [], vms: [] });
    const url = api.url;
    await api.close();
    api = undefined;
    const r = await doctor(["--kubeconfig", writeKubeconfig(dir, url)]);
    assert.equal(r.code, EXIT.error);
    assert.match(
      r.stderr,
      /listing KubeVirt CRs: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(API server http:\/\/127\.0\.0\.1:\d+\)/,
    );
  });

  it("rejects bad arguments and kubeconfigs with exit 2, naming the problem", async () => {
    const missingFile = await doctor(["--kubeconfig", path.join(dir, "nope")]);
    assert.equal(missingFile.code, EXIT.usage);
    assert.match(missingFile.stderr, /--kubeconfig .*nope: no such file/);
    api = await startFakeApi({ kubeVirts: [], nodes: [], vms: [] });
    const kubeconfig = writeKubeconfig(dir, api.url);
    const badContext = await doctor(["--kubeconfig", kubeconfig, "--context", "prod"]);
    assert.equal(badContext.code, EXIT.usage);
    assert.match(badContext.stderr, /--context prod: no such context in the kubeconfig \(it has: fake\)/);
    assert.equal((await doctor(["--output", "yaml"])).code, EXIT.usage);
    assert.match((await doctor(["--frobnicate"])).stderr, /unknown option "--frobnicate"/);
    assert.match((await doctor(["Bad_Name"])).stderr, /"Bad_Name" is not a VM name/);
    const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
    try {
      delete process.env.KUBECONFIG;
      process.env.HOME = dir;
      const none = await doctor([]);
      assert.equal(none.code, EXIT.usage);
      assert.match(none.stderr, /no kubeconfig: pass --kubeconfig, set \$KUBECONFIG, or create .*\.kube\/config/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const help = await doctor(["--help"]);
    assert.equal(help.code, EXIT.ok);
    assert.match(help.stdout, /^usage: livevm doctor/);
  });
});
