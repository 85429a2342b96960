/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies */
/**
 * @kubernetes/client-node 2.x against the sandbox: create a VM, merge-patch sockets and memory, watch the
 * VMI until the hotplug lands (same VMI UID), see the migration succeed, restart for a new UID, and get
 * KubeVirt's denial as an ApiException carrying the Status.
 */
import assert from "node:assert/strict";
import * as k8s from "@kubernetes/client-node";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox } from "../../sandbox/index";
import { vmManifest, waitFor } from "./helpers";

type Obj = k8s.KubernetesObject & { spec?: any; status?: any };

describe("sandbox with @kubernetes/client-node", function () {
  let sandbox: Sandbox;
  let kc: k8s.KubeConfig;
  let objects: k8s.KubernetesObjectApi;

  before(async () => {
    sandbox = await startSandbox({ migrationSeconds: 0.1, kubevirt: hotplugReadyKubeVirtSpec("1.9") });
    kc = new k8s.KubeConfig();
    kc.loadFromString(sandbox.kubeconfig);
    objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  });
  after(async () => sandbox?.close());

  const vmi = (name: string) =>
    objects.read<Obj>({
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachineInstance",
      metadata: { name, namespace: "default" },
    });

  it("creates a VM, hot-plugs it, and a watch sees currentCPUTopology and status.memory change", async () => {
    await objects.create(vmManifest("cn") as Obj);
    const first = await waitFor("the VMI", () => vmi("cn"));
    const seen: Obj[] = [];
    const watch = new k8s.Watch(kc);
    const done = new Promise<void>((resolve, reject) => {
      void watch
        .watch(
          "/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances",
          { fieldSelector: "metadata.name=cn", resourceVersion: first.metadata!.resourceVersion },
          (phase, obj: Obj) => {
            seen.push(obj);
            if (obj.status?.currentCPUTopology?.sockets === 3 && obj.status?.memory?.guestCurrent === "4Gi") resolve();
          },
          (err) => (err ? reject(err) : undefined),
        )
        .then((ctl) => done.finally(() => ctl.abort()));
    });
    await objects.patch(
      {
        apiVersion: "kubevirt.io/v1",
        kind: "VirtualMachine",
        metadata: { name: "cn", namespace: "default" },
        spec: { template: { spec: { domain: { cpu: { sockets: 3 }, memory: { guest: "4Gi" } } } } },
      } as Obj,
      undefined,
      undefined,
      undefined,
      undefined,
      k8s.PatchStrategy.MergePatch,
    );
    await done;
    // the watch saw the conditions come and go
    assert.ok(
      seen.some((o) =>
        o.status.conditions.some((c: k8s.V1Condition) => c.type === "HotVCPUChange" && c.status === "True"),
      ),
    );
    assert.ok(
      seen.some((o) =>
        o.status.conditions.some((c: k8s.V1Condition) => c.type === "HotMemoryChange" && c.status === "True"),
      ),
    );
    const after = await vmi("cn");
    assert.equal(after.metadata!.uid, first.metadata!.uid);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const list = (await custom.listNamespacedCustomObject({
      group: "kubevirt.io",
      version: "v1",
      namespace: "default",
      plural: "virtualmachineinstancemigrations",
      labelSelector: "kubevirt.io/vmi-name=cn",
    })) as { items: Obj[] };
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0]!.status.phase, "Succeeded");
    const phases = (list.items[0]!.status.phaseTransitionTimestamps as { phase: string }[]).map((p) => p.phase);
    assert.deepEqual(phases, [
      "Pending",
      "Scheduling",
      "Scheduled",
      "PreparingTarget",
      "TargetReady",
      "Running",
      "Succeeded",
    ]);
  });

  it("restart subresource gives a new VMI UID", async () => {
    const before = await vmi("cn");
    const res = await fetch(
      `${sandbox.url}/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/cn/restart`,
      { method: "PUT" },
    );
    assert.equal(res.status, 202);
    const after = await waitFor("a new VMI", async () => {
      const v = await vmi("cn").catch(() => undefined);
      return v && v.metadata!.uid !== before.metadata!.uid ? v : undefined;
    });
    assert.equal(after.status.memory.guestAtBoot, "4Gi");
    assert.deepEqual(after.status.currentCPUTopology, { sockets: 3, cores: 1, threads: 1 });
  });

  it("surfaces KubeVirt's admission denial as an ApiException with the Status", async () => {
    const bad = vmManifest("bad") as Obj;
    bad.spec.template.spec.domain.memory = { guest: "1Gi", maxGuest: "3001Mi" };
    await assert.rejects(objects.create(bad), (e: unknown) => {
      assert.ok(e instanceof k8s.ApiException);
      const body = JSON.parse(String((e as k8s.ApiException<string>).body));
      assert.equal(e.code, 422);
      assert.equal(body.reason, "Invalid");
      assert.deepEqual(body.details.causes, [
        {
          type: "FieldValueInvalid",
          message: "MaxGuest must be 2Mi aligned",
          field: "spec.template.spec.domain.memory.guest",
        },
      ]);
      return true;
    });
  });

  it("answers a stale update with 409 Conflict", async () => {
    const vm = await objects.read<Obj>({
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachine",
      metadata: { name: "cn", namespace: "default" },
    });
    const stale = structuredClone(vm);
    vm.metadata!.labels = { a: "1" };
    await objects.replace(vm);
    stale.metadata!.labels = { b: "2" };
    await assert.rejects(objects.replace(stale), (e: unknown) => e instanceof k8s.ApiException && e.code === 409);
  });
});
