import { strict as assert } from "node:assert";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, type ProviderConfig } from "../../provider/config";
import { createKubeClient } from "../../provider/kubernetes/client";
import { isKubeconfigContent, resolveClusterAccess } from "../../provider/kubernetes/kubeconfig";

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster: {server: "http://127.0.0.1:1"}
users:
- name: u1
  user: {token: super-secret-token}
contexts:
- name: ctx-a
  context: {cluster: c1, user: u1, namespace: team-a}
- name: ctx-b
  context: {cluster: c1, user: u1}
current-context: ctx-a
`;

function config(extra: Partial<ProviderConfig>): ProviderConfig {
  return { ...DEFAULT_CONFIG, ...extra };
}

describe("provider kubeconfig resolution", function () {
  this.timeout(10000);
  const env = { HOME: "/nonexistent-home" };

  it("takes the kubeconfig as content or as a path, and the context's namespace", async () => {
    assert.equal(isKubeconfigContent(KUBECONFIG), true);
    assert.equal(isKubeconfigContent("/etc/kube/config"), false);
    const a = await resolveClusterAccess(config({ kubeconfig: KUBECONFIG }), env);
    assert.equal(a.namespace, "team-a");
    assert.equal(a.server, "http://127.0.0.1:1");
    const dir = mkdtempSync(join(tmpdir(), "livevm-kc-"));
    const file = join(dir, "config");
    writeFileSync(file, KUBECONFIG);
    const b = await resolveClusterAccess(config({ kubeconfig: file, context: "ctx-b", namespace: "vms" }), env);
    assert.equal(b.contextName, "ctx-b");
    assert.equal(b.namespace, "vms");
    const c = await resolveClusterAccess(config({}), { ...env, KUBECONFIG: file });
    assert.equal(c.source, `$KUBECONFIG (${file})`);
  });

  it("names a wrong context and the ones that exist", async () => {
    await assert.rejects(
      resolveClusterAccess(config({ kubeconfig: KUBECONFIG, context: "prod" }), env),
      /context "prod" is not in the provider's kubeconfig \(content\); it has: ctx-a, ctx-b/,
    );
  });

  it("says what is wrong with a missing or broken kubeconfig without quoting it", async () => {
    await assert.rejects(
      resolveClusterAccess(config({ kubeconfig: "/no/such/kubeconfig" }), env),
      /the provider's kubeconfig file \/no\/such\/kubeconfig does not exist/,
    );
    const broken = "apiVersion: v1\nclusters: [{name: x, cluster: {server: 12}}]\nusers: [{token: super-secret-token\n";
    await assert.rejects(resolveClusterAccess(config({ kubeconfig: broken }), env), (e: Error) => {
      assert.match(e.message, /is not a valid kubeconfig file/);
      assert.doesNotMatch(e.message, /super-secret-token/);
      return true;
    });
    await assert.rejects(
      resolveClusterAccess(config({}), env),
      /no Kubernetes configuration found: set the provider's kubeconfig/,
    );
  });

  it("fails fast when the API server cannot be reached", async () => {
    const access = await resolveClusterAccess(config({ kubeconfig: KUBECONFIG }), env);
    const client = await createKubeClient(access);
    const start = Date.now();
    await assert.rejects(
      client.request({ method: "GET", path: "/version", operation: "read version" }),
      /cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:1 \(context "ctx-a" from the provider's kubeconfig \(content\)\): ECONNREFUSED/,
    );
    assert.ok(Date.now() - start < 1000, "no retries against an unreachable server");
    client.close();
  });

  it("says which permission is missing, quoting the API server, and where the minimal role is", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          kind: "Status",
          status: "Failure",
          reason: "Forbidden",
          code: 403,
          message:
            'virtualmachines.kubevirt.io "vm1" is forbidden: User "ci" cannot patch resource "virtualmachines" in API group "kubevirt.io" in the namespace "default"',
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const access = await resolveClusterAccess(
      config({ kubeconfig: KUBECONFIG.replace("http://127.0.0.1:1", `http://127.0.0.1:${port}`) }),
      env,
    );
    const client = await createKubeClient(access);
    await assert.rejects(
      client.request({
        method: "PATCH",
        path: "/apis/kubevirt.io/v1/namespaces/default/virtualmachines/vm1",
        body: {},
        operation: "patch VirtualMachine default/vm1",
      }),
      /patch VirtualMachine default\/vm1: virtualmachines\.kubevirt\.io "vm1" is forbidden: User "ci" cannot patch resource "virtualmachines" in API group "kubevirt\.io" in the namespace "default" \(the provider's identity in context "ctx-a" lacks this permission; deploy\/rbac\/livevm-provider\.yaml, or the LiveVmProviderRbac component, grants what livevm needs\)/,
    );
    client.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
});
