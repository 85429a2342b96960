/** The sandbox's RBAC: an allow-list of PolicyRules for the kubeconfig's user, denials worded as kube-apiserver's. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startSandbox, type Sandbox } from "../../sandbox/index";
import { api, vmManifest } from "./helpers";

const VMS = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";
const USER = "system:serviceaccount:livevm-system:livevm-provider";

describe("sandbox RBAC", () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it("serves what a rule allows and answers the rest with kube-apiserver's 403 naming verb, resource and namespace", async () => {
    sb = await startSandbox({
      rbac: { rules: [{ apiGroups: ["kubevirt.io"], resources: ["virtualmachines"], verbs: ["list", "create"] }] },
    });
    assert.equal((await api(sb.url, "POST", VMS, vmManifest("a"))).status, 201);
    assert.equal((await api(sb.url, "GET", VMS)).status, 200);
    const get = await api(sb.url, "GET", `${VMS}/a`);
    assert.equal(get.status, 403);
    assert.deepEqual(
      { reason: get.body["reason"], code: get.body["code"], details: get.body["details"] },
      { reason: "Forbidden", code: 403, details: { name: "a", group: "kubevirt.io", kind: "virtualmachines" } },
    );
    assert.equal(
      get.body["message"],
      `virtualmachines.kubevirt.io "a" is forbidden: User "${USER}" cannot get resource "virtualmachines" in API group "kubevirt.io" in the namespace "default"`,
    );
    const watch = await api(sb.url, "GET", `${VMS}?watch=true`);
    assert.equal(watch.status, 403);
    assert.match(
      String(watch.body["message"]),
      /^virtualmachines\.kubevirt\.io is forbidden: .* cannot watch resource "virtualmachines"/,
    );
    const patch = await api(
      sb.url,
      "PATCH",
      `${VMS}/a`,
      { metadata: { labels: { x: "y" } } },
      "application/merge-patch+json",
    );
    assert.match(String(patch.body["message"]), /cannot patch resource "virtualmachines"/);
    const vmis = await api(sb.url, "GET", "/apis/kubevirt.io/v1/virtualmachineinstances");
    assert.match(
      String(vmis.body["message"]),
      /cannot list resource "virtualmachineinstances" in API group "kubevirt\.io" at the cluster scope$/,
    );
    const restart = await api(
      sb.url,
      "PUT",
      "/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/a/restart",
      {},
    );
    assert.equal(restart.status, 403);
    assert.match(
      String(restart.body["message"]),
      /cannot update resource "virtualmachines\/restart" in API group "subresources\.kubevirt\.io" in the namespace "default"$/,
    );
    // discovery is always allowed
    assert.equal((await api(sb.url, "GET", "/apis/kubevirt.io/v1")).status, 200);
    assert.equal((await api(sb.url, "GET", "/version")).status, 200);
  });

  it("matches subresources, wildcards and resourceNames as RBAC does, and setRbac changes the rules at once", async () => {
    sb = await startSandbox({
      rbac: {
        user: "alice",
        rules: [
          { apiGroups: ["subresources.kubevirt.io"], resources: ["virtualmachines/restart"], verbs: ["update"] },
          { apiGroups: ["kubevirt.io"], resources: ["*"], verbs: ["create"] },
          { apiGroups: ["kubevirt.io"], resources: ["virtualmachines"], verbs: ["get", "list"], resourceNames: ["a"] },
        ],
      },
    });
    assert.equal((await api(sb.url, "POST", VMS, vmManifest("a"))).status, 201);
    assert.equal((await api(sb.url, "POST", VMS, vmManifest("b"))).status, 201);
    assert.equal((await api(sb.url, "GET", `${VMS}/a`)).status, 200);
    const b = await api(sb.url, "GET", `${VMS}/b`);
    assert.match(String(b.body["message"]), /^virtualmachines\.kubevirt\.io "b" is forbidden: User "alice" cannot get/);
    assert.equal((await api(sb.url, "GET", VMS)).status, 403, "resourceNames never allow a list");
    const status = await api(sb.url, "GET", `${VMS}/a/status`);
    assert.match(String(status.body["message"]), /cannot get resource "virtualmachines\/status"/);
    assert.equal(
      (await api(sb.url, "PUT", "/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/a/restart", {}))
        .status,
      202,
    );
    sb.setRbac(undefined);
    assert.equal((await api(sb.url, "GET", `${VMS}/b`)).status, 200);
    sb.setRbac({ rules: [] });
    assert.equal((await api(sb.url, "GET", `${VMS}/a`)).status, 403);
    assert.throws(
      () => sb!.setRbac({ rules: [{ apiGroups: ["kubevirt.io"], resources: "vms", verbs: ["get"] } as never] }),
      /rbac\.rules\[0\]\.resources must be a list of strings/,
    );
  });

  it("kubectl shows the denial as kube-apiserver's own message", async () => {
    const dir = await mkdtemp(join(tmpdir(), "livevm-rbac-"));
    try {
      sb = await startSandbox({
        kubeconfigPath: join(dir, "kubeconfig"),
        rbac: { rules: [{ apiGroups: ["kubevirt.io"], resources: ["virtualmachines"], verbs: ["get"] }] },
      });
      const err = await promisify(execFile)("kubectl", [
        "--kubeconfig",
        join(dir, "kubeconfig"),
        "get",
        "virtualmachineinstances.kubevirt.io",
      ]).then(
        () => undefined,
        (e: { stderr: string }) => e.stderr,
      );
      assert.match(
        String(err),
        /virtualmachineinstances\.kubevirt\.io is forbidden: User "system:serviceaccount:livevm-system:livevm-provider" cannot list resource "virtualmachineinstances" in API group "kubevirt\.io" in the namespace "default"/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
