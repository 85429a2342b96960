import assert from "node:assert/strict";
import { versionProfile, type VersionProfile } from "../../core/kubevirt/versionProfile";

type Row = [version: string, expected: unknown];

function table(field: keyof VersionProfile, rows: Row[]): void {
  describe(field, () => {
    for (const [version, expected] of rows) {
      it(`${version} → ${JSON.stringify(expected)}`, () => {
        assert.deepEqual(versionProfile(version)[field], expected);
      });
    }
  });
}

describe("core/kubevirt/versionProfile (rules §4.1, §8.6)", () => {
  it("accepts text and parsed versions and caches by release", () => {
    assert.equal(versionProfile("1.4.1").label, "v1.4.1");
    assert.equal(versionProfile("v1.4.1"), versionProfile("1.4.1"));
    assert.throws(() => versionProfile("v0.59.0"), /supports KubeVirt/);
  });

  table("liveUpdateFeaturesApi", [
    ["v1.0.0", true],
    ["v1.1.1", true],
    ["v1.2.0", false],
    ["v1.9.0", false],
  ]);
  table("liveUpdateFeaturesMemory", [
    ["v1.0.1", false],
    ["v1.1.0", true],
    ["v1.2.0", false],
  ]);
  table("liveUpdateGateRequired", [
    ["v1.0.0", true],
    ["v1.2.2", true],
    ["v1.4.1", true],
    ["v1.5.0", false],
    ["v1.9.0", false],
  ]);
  table("liveUpdateGateDeprecated", [
    ["v1.4.1", false],
    ["v1.5.0", true],
  ]);
  table("rolloutStrategyField", [
    ["v1.1.1", false],
    ["v1.2.0", true],
  ]);
  table("defaultRolloutStrategy", [
    ["v1.0.0", undefined],
    ["v1.1.1", undefined],
    ["v1.2.0", "Stage"],
    ["v1.5.3", "Stage"],
    ["v1.6.0", "LiveUpdate"],
    ["v1.9.0", "LiveUpdate"],
  ]);
  table("liveUpdateConfigFields", [
    ["v1.0.0", ["maxCpuSockets"]],
    ["v1.1.0", ["maxCpuSockets", "maxGuest", "maxHotplugRatio"]],
  ]);
  table("memoryHotplug", [
    ["v1.0.1", false],
    ["v1.1.0", true],
  ]);
  table("cpuManagerLabel", [
    ["v1.7.4", "cpumanager"],
    ["v1.8.0", "kubevirt.io/cpumanager"],
  ]);
  table("restartRequiredCondition", [
    ["v1.1.1", false],
    ["v1.2.0", true],
  ]);
  table("restartRequiredClearsWhenReverted", [
    ["v1.5.3", false],
    ["v1.6.3", false],
    ["v1.6.4", true],
    ["v1.7.0", false],
    ["v1.7.1", true],
    ["v1.8.0", true],
    ["v1.9.0", true],
  ]);
  table("restartRequiredSticky", [
    ["v1.1.0", false],
    ["v1.2.0", true],
    ["v1.6.3", true],
    ["v1.6.4", false],
    ["v1.7.0", true],
    ["v1.7.1", false],
  ]);
  table("firmwareUuidNeutralised", [
    ["v1.6.3", false],
    ["v1.6.4", true],
    ["v1.7.0", false],
    ["v1.7.1", true],
  ]);
  table("tolerationsLive", [
    ["v1.3.1", false],
    ["v1.4.0", true],
  ]);
  table("affinityLive", [
    ["v1.1.1", false],
    ["v1.2.0", true],
  ]);
  table("memoryMinimum1Gi", [
    ["v1.3.0", false],
    ["v1.3.1", true],
    ["v1.4.0", true],
  ]);
  table("memoryArchitectures", [
    ["v1.1.0", ["amd64"]],
    ["v1.2.2", ["amd64"]],
    ["v1.3.0", ["amd64", "arm64"]],
    ["v1.5.2", ["amd64", "arm64"]],
    ["v1.5.3", ["amd64"]],
    ["v1.6.0", ["amd64", "arm64"]],
    ["v1.6.1", ["amd64"]],
    ["v1.7.0", ["amd64"]],
  ]);
  table("multiQueueCpuRestart", [
    ["v1.2.2", false],
    ["v1.3.0", true],
    ["v1.4.0", true],
    ["v1.4.1", false],
    ["v1.5.0", true],
    ["v1.5.1", true],
    ["v1.5.2", false],
    ["v1.6.0", false],
  ]);
  table("armCpuHotplugRestart", [
    ["v1.5.1", false],
    ["v1.5.2", true],
    ["v1.6.0", true],
    ["v1.4.1", false],
  ]);
  table("socketReductionRestart", [
    ["v1.2.0", false],
    ["v1.2.1", true],
  ]);
  table("maxSocketsCap512", [
    ["v1.4.0", false],
    ["v1.4.1", true],
    ["v1.5.0", false],
    ["v1.5.1", true],
    ["v1.6.0", true],
  ]);
  table("maxCpuSocketsRaisedToSockets", [
    ["v1.3.1", false],
    ["v1.4.0", true],
  ]);
  table("betaGatesOnByDefault", [
    ["v1.8.4", false],
    ["v1.9.0", true],
  ]);
  table("networkHotplugLive", [
    ["v1.4.0", false],
    ["v1.4.1", true],
    ["v1.5.1", false],
    ["v1.5.2", true],
    ["v1.5.3", true],
    ["v1.6.0", true],
  ]);
  table("nadRefLive", [
    ["v1.7.4", "never"],
    ["v1.8.0", "gate"],
    ["v1.9.0", "always"],
  ]);
  table("volumeNeutralisation", [
    ["v1.1.0", "none"],
    ["v1.2.0", "all-under-live-update"],
    ["v1.2.1", "validated-under-live-update"],
    ["v1.6.2", "validated-under-live-update"],
    ["v1.6.3", "validated-always"],
    ["v1.6.4", "validated-always"],
    ["v1.7.0", "validated-always"],
  ]);
  table("stageImperativeVolumeHotplug", [
    ["v1.4.0", false],
    ["v1.4.1", true],
    ["v1.5.0", true],
    ["v1.6.2", true],
    ["v1.6.3", false],
  ]);
  table("declarativeHotplugVolumes", [
    ["v1.5.3", false],
    ["v1.6.0", true],
  ]);
  table("cdromRemovalRestart", [
    ["v1.6.3", false],
    ["v1.6.4", true],
    ["v1.7.0", true],
  ]);
  table("instancetypeHandling", [
    ["v1.1.0", "live-update-features-rejected"],
    ["v1.2.0", "rejected-under-live-update"],
    ["v1.2.1", "matcher-change-restart"],
    ["v1.2.2", "matcher-change-restart"],
    ["v1.3.0", "expanded"],
  ]);
  table("memoryValidatorGeneration", [
    ["v1.0.0", "none"],
    ["v1.1.0", "v1.1"],
    ["v1.2.2", "v1.2"],
    ["v1.3.0", "v1.3"],
  ]);
  table("memoryRejectsLimits", [
    ["v1.1.1", true],
    ["v1.2.0", true],
    ["v1.2.1", false],
  ]);
  table("memoryRejectsDedicatedCpus", [
    ["v1.0.0", false],
    ["v1.2.2", true],
    ["v1.3.0", false],
  ]);
  table("cpuHandlerComparesSocketsOnly", [
    ["v1.1.1", false],
    ["v1.2.0", true],
  ]);
  table("memoryRequestsPatchedOnlyIfNonZero", [
    ["v1.6.6", false],
    ["v1.7.0", true],
  ]);
  table("guestMemoryLimitSkippedUnderLiveUpdate", [
    ["v1.2.2", false],
    ["v1.3.0", true],
  ]);
  table("migrationPriority", [
    ["v1.6.0", "none"],
    ["v1.7.0", "gate"],
    ["v1.9.0", "always"],
  ]);
  table("hotplugDefaultsLocation", [
    ["v1.0.0", "vm-controller-live-update-features"],
    ["v1.2.0", "vm-controller"],
    ["v1.3.0", "vmi-mutator"],
  ]);
});
