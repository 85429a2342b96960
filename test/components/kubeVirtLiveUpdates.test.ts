import * as assert from "node:assert/strict";
import { KubeVirtLiveUpdates } from "../../components";
import { byType, installMocks, uninstallMocks, logs, kubevirtCr, one, reset, valueOf } from "./mockCluster";

const PATCH = "kubernetes:kubevirt.io/v1:KubeVirtPatch";
const READ = "kubernetes:kubevirt.io/v1:KubeVirt";

interface PatchSpec {
  configuration: {
    developerConfiguration?: { featureGates: string[] };
    vmRolloutStrategy?: string;
    liveUpdateConfiguration?: Record<string, unknown>;
  };
  workloadUpdateStrategy: { workloadUpdateMethods: string[] };
}

async function deploy(version: string, args: Record<string, unknown> = {}, cr = kubevirtCr(version)) {
  reset(cr);
  const live = new KubeVirtLiveUpdates("live", { version, ...args });
  await valueOf(live.patch.urn);
  const settings = await valueOf(live.settings);
  const patch = one(PATCH);
  return { live, settings, patch, spec: patch.inputs["spec"] as PatchSpec };
}

describe("components: KubeVirtLiveUpdates", () => {
  before(installMocks);
  after(uninstallMocks);

  it("declares the component, a read of the KubeVirt CR and a server-side-apply patch with its own field manager", async () => {
    const { patch } = await deploy("v1.4.0");
    const component = one("livevm:index:KubeVirtLiveUpdates");
    assert.equal(component.custom, false);
    const read = one(READ);
    assert.equal(read.id, "kubevirt/kubevirt");
    assert.equal(read.name, "live-current");
    assert.equal(patch.name, "live-kubevirt");
    assert.equal(patch.custom, true);
    assert.deepEqual(patch.inputs["apiVersion"], "kubevirt.io/v1");
    assert.deepEqual(patch.inputs["kind"], "KubeVirt");
    assert.deepEqual(patch.inputs["metadata"], {
      name: "kubevirt",
      namespace: "kubevirt",
      annotations: { "pulumi.com/patchFieldManager": "livevm-live-updates", "pulumi.com/patchForce": "true" },
    });
  });

  const cases: {
    version: string;
    gates: string[] | undefined;
    rollout: string | undefined;
    config: Record<string, unknown> | undefined;
    args?: Record<string, unknown>;
  }[] = [
    {
      version: "v1.0.2",
      gates: ["VMLiveUpdateFeatures"],
      rollout: undefined,
      config: { maxCpuSockets: 8 },
      args: { maxCpuSockets: 8 },
    },
    {
      version: "v1.1.1",
      gates: ["VMLiveUpdateFeatures"],
      rollout: undefined,
      config: { maxCpuSockets: 8, maxGuest: "32Gi", maxHotplugRatio: 2 },
      args: { maxCpuSockets: 8, maxGuest: "32Gi", maxHotplugRatio: 2 },
    },
    { version: "v1.3.0", gates: ["VMLiveUpdateFeatures"], rollout: "LiveUpdate", config: undefined },
    {
      version: "v1.4.1",
      gates: ["VMLiveUpdateFeatures"],
      rollout: "LiveUpdate",
      config: { maxGuest: "64Gi" },
      args: { maxGuest: "64Gi" },
    },
    { version: "v1.5.0", gates: undefined, rollout: "LiveUpdate", config: undefined },
    {
      version: "v1.6.0",
      gates: undefined,
      rollout: "LiveUpdate",
      config: { maxHotplugRatio: 8 },
      args: { maxHotplugRatio: 8 },
    },
    { version: "v1.8.0", gates: undefined, rollout: "LiveUpdate", config: undefined },
    {
      version: "v1.9.0",
      gates: undefined,
      rollout: "LiveUpdate",
      config: { maxCpuSockets: 16 },
      args: { maxCpuSockets: 16 },
    },
  ];
  for (const c of cases) {
    it(`${c.version}: gate ${c.gates ? "added" : "left alone"}, rollout ${c.rollout ?? "absent"}, LiveMigrate, configuration`, async () => {
      const { spec, settings, live } = await deploy(c.version, c.args);
      assert.deepEqual(spec.configuration.developerConfiguration?.featureGates, c.gates);
      assert.equal(spec.configuration.vmRolloutStrategy, c.rollout);
      assert.deepEqual(spec.workloadUpdateStrategy.workloadUpdateMethods, ["LiveMigrate"]);
      assert.deepEqual(spec.configuration.liveUpdateConfiguration, c.config);
      assert.equal(settings.liveUpdate, true, "the patched cluster does live updates");
      assert.equal(settings.version, c.version);
      assert.equal(live.version, c.version);
      assert.equal(await valueOf(live.vmRolloutStrategy), c.rollout);
    });
  }

  it("keeps the gates and workload-update methods others set (atomic lists are applied whole)", async () => {
    const cr = kubevirtCr("v1.3.2", {
      configuration: { developerConfiguration: { featureGates: ["HotplugVolumes", "Snapshot"] } },
      workloadUpdateStrategy: { workloadUpdateMethods: ["Evict"] },
    });
    const { spec, settings } = await deploy("v1.3.2", { keepFeatureGates: ["ExpandDisks"] }, cr);
    assert.deepEqual(spec.configuration.developerConfiguration?.featureGates, [
      "HotplugVolumes",
      "Snapshot",
      "ExpandDisks",
      "VMLiveUpdateFeatures",
    ]);
    assert.deepEqual(spec.workloadUpdateStrategy.workloadUpdateMethods, ["Evict", "LiveMigrate"]);
    assert.deepEqual(settings.workloadUpdateMethods, ["Evict", "LiveMigrate"]);
  });

  it("does not list the gate twice, and leaves the gate list alone on v1.5+ even when others list VMLiveUpdateFeatures", async () => {
    const old = await deploy(
      "v1.2.0",
      {},
      kubevirtCr("v1.2.0", { configuration: { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] } } }),
    );
    assert.deepEqual(old.spec.configuration.developerConfiguration?.featureGates, ["VMLiveUpdateFeatures"]);
    const ga = await deploy(
      "v1.5.1",
      {},
      kubevirtCr("v1.5.1", { configuration: { developerConfiguration: { featureGates: ["VMLiveUpdateFeatures"] } } }),
    );
    assert.equal(ga.spec.configuration.developerConfiguration, undefined);
    assert.ok(
      logs.some(
        (l) => l.severity === "warning" && /VMLiveUpdateFeatures, which is GA in KubeVirt v1\.5\.1/.test(l.message),
      ),
    );
    assert.deepEqual(ga.settings.featureGates, ["VMLiveUpdateFeatures"]);
  });

  it("adds extra gates (CPUManager) and reports the cluster maxima already in the CR as effective", async () => {
    const cr = kubevirtCr("v1.9.0", {
      configuration: { liveUpdateConfiguration: { maxGuest: "128Gi", maxHotplugRatio: 3 } },
    });
    const { spec, settings } = await deploy("v1.9.0", { featureGates: ["CPUManager"], maxCpuSockets: 12 }, cr);
    assert.deepEqual(spec.configuration.developerConfiguration?.featureGates, ["CPUManager"]);
    assert.deepEqual(settings, {
      version: "v1.9.0",
      vmRolloutStrategy: "LiveUpdate",
      liveUpdate: true,
      featureGates: ["CPUManager"],
      workloadUpdateMethods: ["LiveMigrate"],
      maxCpuSockets: 12,
      maxGuest: "128Gi",
      maxHotplugRatio: 3,
    });
  });

  it("without reading the CR, keeps only the lists named in the program", async () => {
    reset(undefined);
    const live = new KubeVirtLiveUpdates("blind", {
      version: "v1.4.0",
      readCurrent: false,
      keepFeatureGates: ["Snapshot"],
      keepWorkloadUpdateMethods: ["Evict"],
      force: false,
      kubevirtName: "kv",
      kubevirtNamespace: "virt",
    });
    await valueOf(live.patch.urn);
    assert.equal(byType(READ).length, 0);
    const patch = one(PATCH);
    assert.deepEqual(patch.inputs["metadata"], {
      name: "kv",
      namespace: "virt",
      annotations: { "pulumi.com/patchFieldManager": "livevm-live-updates" },
    });
    const spec = patch.inputs["spec"] as PatchSpec;
    assert.deepEqual(spec.configuration.developerConfiguration?.featureGates, ["Snapshot", "VMLiveUpdateFeatures"]);
    assert.deepEqual(spec.workloadUpdateStrategy.workloadUpdateMethods, ["Evict", "LiveMigrate"]);
  });

  describe("errors name the argument", () => {
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["unsupported version", { version: "v0.59.0" }, /argument 'version'.*supports KubeVirt v1\.0\.0 to v1\.9/],
      ["missing version", {}, /argument 'version'.*expected the cluster's KubeVirt version/],
      ["ratio below 1", { version: "v1.4.0", maxHotplugRatio: 0 }, /argument 'maxHotplugRatio'.*whole number >= 1/],
      ["fractional ratio", { version: "v1.4.0", maxHotplugRatio: 1.5 }, /argument 'maxHotplugRatio'/],
      ["malformed quantity", { version: "v1.4.0", maxGuest: "16GB" }, /argument 'maxGuest'.*unknown suffix "GB"/],
      ["unaligned maxGuest", { version: "v1.4.0", maxGuest: "1025Mi" }, /argument 'maxGuest'.*2Mi aligned/],
      ["maxGuest below 1Gi on v1.4", { version: "v1.4.0", maxGuest: "512Mi" }, /argument 'maxGuest'.*below 1Gi/],
      [
        "maxGuest on v1.0",
        { version: "v1.0.0", maxGuest: "8Gi" },
        /argument 'maxGuest'.*does not exist in KubeVirt v1\.0\.0/,
      ],
      [
        "ratio on v1.0",
        { version: "v1.0.1", maxHotplugRatio: 2 },
        /argument 'maxHotplugRatio'.*does not exist in KubeVirt v1\.0\.1/,
      ],
      ["maxCpuSockets 0", { version: "v1.6.0", maxCpuSockets: 0 }, /argument 'maxCpuSockets'/],
      [
        "bad workload-update method",
        { version: "v1.6.0", keepWorkloadUpdateMethods: ["Evict", "Restart"] },
        /argument 'keepWorkloadUpdateMethods\[1\]'.*"Restart"/,
      ],
      ["bad gate name", { version: "v1.6.0", featureGates: ["CPU Manager"] }, /argument 'featureGates\[0\]'/],
    ];
    for (const [what, args, message] of bad) {
      it(`${what}: fails at construction`, () => {
        reset(kubevirtCr("v1.4.0"));
        assert.throws(
          () => new KubeVirtLiveUpdates("bad", args as never),
          (e: Error) => {
            assert.match(e.message, /livevm:index:KubeVirtLiveUpdates "bad"/);
            assert.match(e.message, message);
            return true;
          },
        );
      });
    }

    it("a version that does not match the cluster's observedKubeVirtVersion fails, naming version", async () => {
      reset(kubevirtCr("v1.5.2"));
      const live = new KubeVirtLiveUpdates("mismatch", { version: "v1.4.0" });
      await assert.rejects(
        valueOf(live.settings),
        /argument 'version'.*runs KubeVirt v1\.5\.2.*set version to "v1\.5\.2"/,
      );
    });

    it("a gate the CR disables (v1.8+) fails with the CR field named", async () => {
      reset(
        kubevirtCr("v1.8.1", { configuration: { developerConfiguration: { disabledFeatureGates: ["CPUManager"] } } }),
      );
      const live = new KubeVirtLiveUpdates("disabled", { version: "v1.8.1", featureGates: ["CPUManager"] });
      await assert.rejects(valueOf(live.settings), /disabledFeatureGates.*CPUManager|CPUManager.*disabledFeatureGates/);
    });
  });
});
