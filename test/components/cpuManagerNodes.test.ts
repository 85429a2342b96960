import * as assert from "node:assert/strict";
import { CpuManagerNodes, KUBELET_STATIC_CPU_MANAGER } from "../../components";
import { byType, installMocks, uninstallMocks, logs, kubevirtCr, one, reset, valueOf } from "./mockCluster";

const NODE_PATCH = "kubernetes:core/v1:NodePatch";
const KV_PATCH = "kubernetes:kubevirt.io/v1:KubeVirtPatch";

describe("components: CpuManagerNodes", () => {
  before(installMocks);
  after(uninstallMocks);

  const labels: [string, string][] = [
    ["v1.0.0", "cpumanager"],
    ["v1.1.0", "cpumanager"],
    ["v1.3.1", "cpumanager"],
    ["v1.4.0", "cpumanager"],
    ["v1.5.0", "cpumanager"],
    ["v1.6.2", "cpumanager"],
    ["v1.7.0", "cpumanager"],
    ["v1.8.0", "kubevirt.io/cpumanager"],
    ["v1.9.0", "kubevirt.io/cpumanager"],
  ];
  for (const [version, key] of labels) {
    it(`${version}: labels each node ${key}=true through NodePatch and enables CPUManager`, async () => {
      reset(kubevirtCr(version, { configuration: { developerConfiguration: { featureGates: ["Snapshot"] } } }));
      const nodes = new CpuManagerNodes("pinned", { version, nodes: ["worker-1", "worker-2.example.com"] });
      await Promise.all(nodes.nodePatches.map((p) => valueOf(p.urn)));
      await valueOf(nodes.gatePatch!.urn);
      assert.equal(nodes.labelKey, key);
      const patches = byType(NODE_PATCH);
      assert.deepEqual(
        patches.map((p) => p.name),
        ["pinned-worker-1", "pinned-worker-2.example.com"],
      );
      for (const [i, node] of ["worker-1", "worker-2.example.com"].entries()) {
        assert.deepEqual(patches[i]!.inputs["metadata"], {
          name: node,
          labels: { [key]: "true" },
          annotations: { "pulumi.com/patchFieldManager": "livevm-cpu-manager", "pulumi.com/patchForce": "true" },
        });
        assert.equal(patches[i]!.custom, true);
      }
      const gate = one(KV_PATCH);
      assert.deepEqual(gate.inputs["spec"], {
        configuration: { developerConfiguration: { featureGates: ["Snapshot", "CPUManager"] } },
      });
      assert.equal(one("livevm:index:CpuManagerNodes").custom, false);
      const warning = logs.find((l) => l.severity === "warning" && l.message.includes("virt-handler rewrites"));
      assert.ok(warning, "warns that virt-handler rewrites the label");
      assert.match(warning.message, new RegExp(`node label ${key.replace(".", "\\.")} every minute`));
      assert.match(warning.message, /cpuManagerPolicy: static/);
    });
  }

  it("leaves the gate to another component when enableFeatureGate is false, and states the kubelet settings", async () => {
    reset(undefined);
    const nodes = new CpuManagerNodes("pinned", {
      version: "v1.9.0",
      nodes: ["n1"],
      enableFeatureGate: false,
      kubeletStaticPolicy: true,
      force: false,
    });
    await valueOf(nodes.nodePatches[0]!.urn);
    assert.equal(nodes.gatePatch, undefined);
    assert.equal(byType(KV_PATCH).length, 0);
    assert.equal(byType("kubernetes:kubevirt.io/v1:KubeVirt").length, 0, "no read of the CR");
    assert.deepEqual(one(NODE_PATCH).inputs["metadata"], {
      name: "n1",
      labels: { "kubevirt.io/cpumanager": "true" },
      annotations: { "pulumi.com/patchFieldManager": "livevm-cpu-manager" },
    });
    assert.match(nodes.kubeletConfiguration, /cpuManagerPolicy: static/);
    assert.match(nodes.kubeletConfiguration, /reservedSystemCPUs/);
    assert.equal(nodes.kubeletConfiguration, KUBELET_STATIC_CPU_MANAGER);
    assert.match(nodes.labelWarning, /virt-handler rewrites the node label kubevirt\.io\/cpumanager every minute/);
    assert.match(nodes.labelWarning, /cpu_manager_state/);
    assert.deepEqual(
      logs.map((l) => l.severity),
      ["info"],
      "with kubeletStaticPolicy the label note is an info, not a warning",
    );
  });

  it("does not add CPUManager twice", async () => {
    reset(kubevirtCr("v1.4.0", { configuration: { developerConfiguration: { featureGates: ["CPUManager"] } } }));
    const nodes = new CpuManagerNodes("pinned", { version: "v1.4.0", nodes: ["n1"] });
    assert.deepEqual(await valueOf(nodes.featureGates), ["CPUManager"]);
  });

  describe("errors name the argument", () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["no nodes", { version: "v1.9.0", nodes: [] }, /argument 'nodes': expected a non-empty list/],
      ["nodes not a list", { version: "v1.9.0", nodes: "n1" }, /argument 'nodes'/],
      ["bad node name", { version: "v1.9.0", nodes: ["ok", "Worker_1"] }, /argument 'nodes\[1\]'.*"Worker_1"/],
      ["duplicate node", { version: "v1.9.0", nodes: ["a", "a"] }, /argument 'nodes\[1\]'.*listed twice/],
      ["unsupported version", { version: "v2.0.0", nodes: ["a"] }, /argument 'version'/],
    ];
    for (const [what, args, message] of bad) {
      it(what, () => {
        reset(undefined);
        assert.throws(() => new CpuManagerNodes("bad", args as never), message);
        assert.equal(byType("livevm:index:CpuManagerNodes").length, 0, "nothing registered");
      });
    }
    it("a CR that disables CPUManager fails with the field named", async () => {
      reset(
        kubevirtCr("v1.8.0", { configuration: { developerConfiguration: { disabledFeatureGates: ["CPUManager"] } } }),
      );
      const nodes = new CpuManagerNodes("pinned", { version: "v1.8.0", nodes: ["n1"] });
      await assert.rejects(valueOf(nodes.featureGates), /disabledFeatureGates/);
    });
  });
});
