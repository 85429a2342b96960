/**
 * Someone else (kubectl) writes the VM between Pulumi's preview and its update, or between the
 * provider's own read and its patch: the provider detects it and does not overwrite it. Its patch
 * carries the resourceVersion it read, so a write in between is a 409; it re-reads and goes on only when
 * the other write left the fields it changes alone.
 */
import { strict as assert } from "node:assert";
import { resourceTypeOfKind } from "../../sandbox/api/resources";
import { kubeconfigFor } from "../../sandbox/index";
import { sandboxRequest, vmInputs } from "../provider/support/sandboxVm";
import { startApiProxy, type ApiProxy } from "./apiProxy";
import { startFleetEnv, type FleetEnv } from "./support";

const VM = resourceTypeOfKind("VirtualMachine");
const VMIM = resourceTypeOfKind("VirtualMachineInstanceMigration");
const VMS = "/apis/kubevirt.io/v1/namespaces/default/virtualmachines";

describe("fleet: concurrent edits by someone else", function () {
  this.timeout(60000);
  let env: FleetEnv | undefined;
  let proxy: ApiProxy | undefined;
  before(async () => {
    env = await startFleetEnv(
      {},
      {
        kubeconfig: async (sandbox) => {
          proxy = await startApiProxy(sandbox.url);
          return kubeconfigFor(proxy.url, undefined);
        },
      },
    );
  });
  after(async () => {
    await env?.close();
    await proxy?.close();
  });

  const sockets = (name: string): number =>
    (
      env!.sandbox.store.get(VM, "default", name) as unknown as {
        spec: { template: { spec: { domain: { cpu: { sockets: number } } } } };
      }
    ).spec.template.spec.domain.cpu.sockets;
  const labels = (name: string): Record<string, string> =>
    env!.sandbox.store.get(VM, "default", name)?.metadata.labels ?? {};
  const migrations = (name: string): number =>
    env!.sandbox.store.list(VMIM, "default").filter((m) => m.metadata.labels?.["kubevirt.io/vmi-name"] === name).length;
  const kubectlPatch = (name: string, patch: unknown) =>
    sandboxRequest(env!.sandbox, "PATCH", `${VMS}/${name}`, patch, "application/merge-patch+json");
  const isPatchOf = (name: string) => (method: string, path: string) =>
    method === "PATCH" && path.startsWith(`${VMS}/${name}`);

  it("between preview and update: the update stops, naming the field, and leaves the other value in place", async () => {
    const { stack } = env!;
    await stack.up("edit1", vmInputs("edit1", { sockets: 2 }));
    const preview = await stack.preview("edit1", vmInputs("edit1", { sockets: 3 }));
    assert.ok("detailedDiff" in preview && "spec.template.spec.domain.cpu.sockets" in preview.detailedDiff);
    await kubectlPatch("edit1", { spec: { template: { spec: { domain: { cpu: { sockets: 4 } } } } } });
    await assert.rejects(
      stack.up("edit1", vmInputs("edit1", { sockets: 3 })),
      /VirtualMachine default\/edit1 was changed outside Pulumi .*cpu\.sockets is 4 in the cluster \(Pulumi applied 2, the program wants 3\)\. Nothing was changed/,
    );
    assert.equal(sockets("edit1"), 4, "the other edit is not overwritten");
  });

  it("between the provider's read and its patch, on the same field: a 409, a re-read, and no overwrite", async () => {
    const { stack } = env!;
    await stack.up("edit2", vmInputs("edit2", { sockets: 2 }));
    const before = migrations("edit2");
    proxy!.before(isPatchOf("edit2"), () =>
      kubectlPatch("edit2", { spec: { template: { spec: { domain: { cpu: { sockets: 4 } } } } } }).then(
        () => undefined,
      ),
    );
    await assert.rejects(
      stack.up("edit2", vmInputs("edit2", { sockets: 3 })),
      /was changed outside Pulumi .*cpu\.sockets is 4 in the cluster \(Pulumi applied 2, the program wants 3\)/,
    );
    assert.equal(sockets("edit2"), 4, "the other edit is not overwritten");
    assert.ok(
      proxy!.answered.some((a) => a.startsWith(`PATCH ${VMS}/edit2`) && a.endsWith("-> 409")),
      "the provider's patch carried the resourceVersion it read and was refused",
    );
    // the other writer's change is KubeVirt's to apply (live), not the provider's: nothing done twice
    await env!.engine.settle(300);
    assert.ok(migrations("edit2") - before <= 1);
  });

  it("between the provider's read and its patch, on another field: the update goes on and keeps the other write", async () => {
    const { stack } = env!;
    const created = await stack.up("edit3", vmInputs("edit3", { sockets: 2 }));
    proxy!.before(isPatchOf("edit3"), () =>
      kubectlPatch("edit3", { metadata: { labels: { team: "blue" } } }).then(() => undefined),
    );
    const updated = await stack.up("edit3", vmInputs("edit3", { sockets: 3 }));
    assert.equal(sockets("edit3"), 3);
    assert.deepEqual(labels("edit3"), { ...labels("edit3"), team: "blue" }, "the other write's label is kept");
    assert.equal(labels("edit3")["team"], "blue");
    assert.equal(updated.outputs["vmiUid"], created.outputs["vmiUid"], "still live, no restart");
    assert.ok(proxy!.answered.some((a) => a.startsWith(`PATCH ${VMS}/edit3`) && a.endsWith("-> 409")));
    assert.ok(proxy!.answered.some((a) => a.startsWith(`PATCH ${VMS}/edit3`) && a.endsWith("-> 200")));
  });
});
