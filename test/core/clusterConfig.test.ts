import assert from "node:assert/strict";
import { resolveClusterConfig } from "../../core/kubevirt/clusterConfig";
import type { KubeVirt } from "../../core/kubevirt/schema";
import { parseKubeVirtVersion } from "../../core/kubevirt/version";

const kv = (configuration: Record<string, unknown> = {}, extra: Partial<KubeVirt> = {}): KubeVirt =>
  ({ spec: { configuration, ...(extra.spec ?? {}) }, ...(extra.status ? { status: extra.status } : {}) }) as KubeVirt;
const resolve = (k: KubeVirt | undefined, v: string) => resolveClusterConfig(k, parseKubeVirtVersion(v));
const gate = (...featureGates: string[]) => ({ developerConfiguration: { featureGates } });

describe("core/kubevirt/clusterConfig (rules §3.4, §4.2)", () => {
  describe("IsVMRolloutStrategyLiveUpdate per version", () => {
    const rows: [string, Record<string, unknown> | undefined, string | undefined, boolean][] = [
      // v1.0/v1.1: no rollout setting; live updates follow the gate (and the VM's liveUpdateFeatures)
      ["v1.0.0", undefined, undefined, false],
      ["v1.0.0", gate("VMLiveUpdateFeatures"), undefined, true],
      ["v1.1.1", gate("VMLiveUpdateFeatures"), undefined, true],
      // v1.2–v1.4: gate AND LiveUpdate, default Stage
      ["v1.2.0", undefined, "Stage", false],
      ["v1.2.0", { vmRolloutStrategy: "LiveUpdate" }, "LiveUpdate", false],
      ["v1.2.0", { ...gate("VMLiveUpdateFeatures") }, "Stage", false],
      ["v1.3.1", { ...gate("VMLiveUpdateFeatures"), vmRolloutStrategy: "LiveUpdate" }, "LiveUpdate", true],
      ["v1.4.1", { vmRolloutStrategy: "LiveUpdate" }, "LiveUpdate", false],
      // v1.5: LiveUpdate alone, default Stage
      ["v1.5.0", { vmRolloutStrategy: "LiveUpdate" }, "LiveUpdate", true],
      ["v1.5.3", undefined, "Stage", false],
      // v1.6+: unset means LiveUpdate
      ["v1.6.0", undefined, "LiveUpdate", true],
      ["v1.6.0", { vmRolloutStrategy: null }, "LiveUpdate", true],
      ["v1.9.0", { vmRolloutStrategy: "Stage" }, "Stage", false],
      ["v1.9.0", { vmRolloutStrategy: "LiveUpdate" }, "LiveUpdate", true],
    ];
    for (const [version, configuration, strategy, live] of rows) {
      it(`${version} ${JSON.stringify(configuration ?? null)} → ${strategy} live=${live}`, () => {
        const c = resolve(configuration === undefined ? undefined : kv(configuration), version);
        assert.equal(c.rolloutStrategy, strategy);
        assert.equal(c.liveUpdate, live);
      });
    }
  });

  describe("feature gates", () => {
    it("GA gates are always on; listing one from v1.5 earns KubeVirt's redundancy warning", () => {
      const c = resolve(kv(gate("VMLiveUpdateFeatures")), "v1.5.0");
      assert.equal(c.isFeatureGateEnabled("VMLiveUpdateFeatures"), true);
      assert.match(c.warnings.join("\n"), /feature gate VMLiveUpdateFeatures is deprecated .*redundant/);
      assert.equal(resolve(undefined, "v1.5.0").isFeatureGateEnabled("VMLiveUpdateFeatures"), true);
      assert.equal(resolve(undefined, "v1.4.1").isFeatureGateEnabled("VMLiveUpdateFeatures"), false);
      assert.equal(resolve(undefined, "v1.4.0").isFeatureGateEnabled("NUMA"), true);
      assert.equal(resolve(undefined, "v1.3.1").isFeatureGateEnabled("NUMA"), false);
    });
    it("v1.9 turns Beta gates on unless disabled; v1.8 does not", () => {
      assert.equal(resolve(undefined, "v1.9.0").isFeatureGateEnabled("DeclarativeHotplugVolumes"), true);
      assert.equal(resolve(undefined, "v1.8.0").isFeatureGateEnabled("LiveUpdateNADRef"), false);
      assert.equal(resolve(undefined, "v1.9.0").isFeatureGateEnabled("LiveUpdateNADRef"), true);
      const disabled = kv({ developerConfiguration: { disabledFeatureGates: ["DeclarativeHotplugVolumes"] } });
      assert.equal(resolve(disabled, "v1.9.0").isFeatureGateEnabled("DeclarativeHotplugVolumes"), false);
      const both = kv({
        developerConfiguration: {
          featureGates: ["DeclarativeHotplugVolumes"],
          disabledFeatureGates: ["DeclarativeHotplugVolumes"],
        },
      });
      assert.equal(resolve(both, "v1.9.0").isFeatureGateEnabled("DeclarativeHotplugVolumes"), true);
      assert.equal(resolve(undefined, "v1.9.0").isFeatureGateEnabled("CPUManager"), false);
      assert.equal(resolve(kv(gate("CPUManager")), "v1.9.0").isFeatureGateEnabled("CPUManager"), true);
    });
  });

  describe("liveUpdateConfiguration and other settings", () => {
    it("maxHotplugRatio 0/unset → 4, 100 → 100; v1.0 ignores it", () => {
      assert.equal(resolve(undefined, "v1.9.0").maxHotplugRatio, 4);
      assert.equal(resolve(kv({ liveUpdateConfiguration: { maxHotplugRatio: 0 } }), "v1.9.0").maxHotplugRatio, 4);
      assert.equal(resolve(kv({ liveUpdateConfiguration: { maxHotplugRatio: 100 } }), "v1.9.0").maxHotplugRatio, 100);
      const v10 = resolve(kv({ liveUpdateConfiguration: { maxHotplugRatio: 2, maxGuest: "8Gi" } }), "v1.0.0");
      assert.equal(v10.maxHotplugRatio, 4);
      assert.equal(v10.maxGuest, undefined);
      assert.equal(v10.warnings.length, 2);
    });
    it("maxCpuSockets, maxGuest, defaults", () => {
      const c = resolve(
        kv(
          {
            liveUpdateConfiguration: { maxCpuSockets: 8, maxGuest: "16Gi" },
            evictionStrategy: "LiveMigrate",
            developerConfiguration: { cpuAllocationRatio: 4 },
            migrations: { parallelMigrationsPerCluster: 2 },
          },
          { status: { defaultArchitecture: "arm64" } },
        ),
        "v1.9.0",
      );
      assert.deepEqual(
        [c.maxCpuSockets, c.maxGuest, c.evictionStrategy, c.cpuAllocationRatio, c.parallelMigrationsPerCluster],
        [8, "16Gi", "LiveMigrate", 4, 2],
      );
      assert.equal(c.defaultArchitecture, "arm64");
      const d = resolve(undefined, "v1.9.0");
      assert.deepEqual(
        [d.maxCpuSockets, d.maxGuest, d.evictionStrategy, d.cpuAllocationRatio, d.parallelMigrationsPerCluster],
        [undefined, undefined, "None", 10, 5],
      );
      assert.equal(d.defaultArchitecture, "amd64");
      assert.equal(resolve(kv({ liveUpdateConfiguration: { maxCpuSockets: 0 } }), "v1.9.0").maxCpuSockets, undefined);
    });
    it("workloadUpdateMethods: empty by default, deduplicated", () => {
      assert.deepEqual(resolve(undefined, "v1.9.0").workloadUpdateMethods, []);
      const k = {
        spec: { workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate", "Evict", "LiveMigrate"] } },
      };
      assert.deepEqual(resolve(k as KubeVirt, "v1.9.0").workloadUpdateMethods, ["LiveMigrate", "Evict"]);
    });
    it("warns when LiveUpdate is set without the gate where it is needed", () => {
      const c = resolve(kv({ vmRolloutStrategy: "LiveUpdate" }), "v1.3.0");
      assert.match(c.warnings.join("\n"), /VMLiveUpdateFeatures feature gate is not enabled/);
    });
  });
});
