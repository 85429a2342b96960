import * as assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as livevm from "../../sdk";
import { CpuManagerNodes, HotplugVirtualMachine, KubeVirtLiveUpdates } from "../../components";
import { byType, installMocks, kubevirtCr, reset, uninstallMocks, valueOf } from "./mockCluster";

describe("components: explicit providers reach every child", () => {
  before(installMocks);
  after(uninstallMocks);

  it("a kubernetes provider given to KubeVirtLiveUpdates and CpuManagerNodes is used for the read and the patches", async () => {
    reset(kubevirtCr("v1.8.0"));
    const cluster = new k8s.Provider("prod", { context: "prod" });
    const live = new KubeVirtLiveUpdates("live", { version: "v1.8.0" }, { providers: [cluster] });
    const nodes = new CpuManagerNodes("pinned", { version: "v1.8.0", nodes: ["n1"] }, { providers: [cluster] });
    await Promise.all([valueOf(live.patch.urn), valueOf(nodes.gatePatch!.urn), valueOf(nodes.nodePatches[0]!.urn)]);
    const children = [
      ...byType("kubernetes:kubevirt.io/v1:KubeVirt"),
      ...byType("kubernetes:kubevirt.io/v1:KubeVirtPatch"),
      ...byType("kubernetes:core/v1:NodePatch"),
    ];
    assert.equal(children.length, 5, "two reads, two KubeVirt patches, one node patch");
    for (const child of children) assert.match(child.provider ?? "", /pulumi:providers:kubernetes::prod::/, child.name);
  });

  it("a livevm provider given to HotplugVirtualMachine is used for its VirtualMachine", async () => {
    reset(undefined);
    const provider = new livevm.Provider("edge", { context: "edge" });
    const vm = new HotplugVirtualMachine(
      "vm",
      {
        version: "v1.9.0",
        spec: {
          runStrategy: "Always",
          template: { spec: { domain: { cpu: { sockets: 1 }, memory: { guest: "1Gi" } } } },
        },
      },
      { providers: [provider] },
    );
    await valueOf(vm.vm.urn);
    const [child] = byType("livevm:kubevirt:VirtualMachine");
    assert.match(child?.provider ?? "", /pulumi:providers:livevm::edge::/);
  });
});
