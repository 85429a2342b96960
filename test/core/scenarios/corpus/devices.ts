import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import { MSG, cluster, edit, specWith, vm, vmiOf, type Rollout, type Scenario } from "../builders";

const VM_TEST = "pkg/virt-controller/watch/vm/vm_test.go";
const VOLUMES = "spec.template.spec.volumes";
const DISKS = "spec.template.spec.domain.devices.disks";
const INTERFACES = "spec.template.spec.domain.devices.interfaces";
const NETWORKS = "spec.template.spec.networks";
const FIRMWARE_UUID = "spec.template.spec.domain.firmware.uuid";

const base = vm(specWith(() => {}));

const addHotplugDataVolume = (s: VmiSpec) => {
  s.volumes!.push({ name: "hotplug-vol", dataVolume: { name: "hotplug-dv", hotpluggable: true } });
  s.domain!.devices!.disks!.push({ name: "hotplug-vol", disk: { bus: "scsi" } });
};
const addHotplugPvc = (s: VmiSpec) => {
  s.volumes!.push({ name: "hotplug-pvc", persistentVolumeClaim: { claimName: "hotplug-claim", hotpluggable: true } });
  s.domain!.devices!.disks!.push({ name: "hotplug-pvc", disk: { bus: "scsi" } });
};
const addRegularDataVolume = (s: VmiSpec) => {
  s.volumes!.push({ name: "regular-vol", dataVolume: { name: "regular-dv" } });
  s.domain!.devices!.disks!.push({ name: "regular-vol", disk: { bus: "virtio" } });
};

/** A VM with a hot-plugged data disk (already attached to the VMI). */
const withHotplugDisk = vm(specWith(addHotplugDataVolume));
/** A VM with a CD-ROM drive holding a hot-plugged ISO. */
const withCdrom = vm(
  specWith((s) => {
    s.volumes!.push({ name: "iso", dataVolume: { name: "iso-dv", hotpluggable: true } });
    s.domain!.devices!.disks!.push({ name: "iso", cdrom: { bus: "sata" } });
  }),
);

function volumeScenario(
  name: string,
  version: string,
  rollout: Rollout | undefined,
  before: ReturnType<typeof vm>,
  mutate: (s: VmiSpec) => void,
  outcome: "live" | "restart",
  source: string,
  extra: { gates?: string[]; reason?: string; path?: string } = {},
): Scenario {
  return {
    name,
    source,
    version,
    kubevirt: cluster(version, { ...(rollout ? { rollout } : {}), ...(extra.gates ? { gates: extra.gates } : {}) }),
    before,
    after: edit(before, mutate),
    vmi: vmiOf(before, { maxSockets: 4 }),
    expect: {
      outcome,
      changes: { [extra.path ?? VOLUMES]: extra.reason ? { outcome, reason: extra.reason } : { outcome } },
    },
  };
}

const secondary = (s: VmiSpec) => {
  s.domain!.devices!.interfaces!.push({ name: "blue", bridge: {} });
  s.networks!.push({ name: "blue", multus: { networkName: "blue-net" } });
};
const withSecondary = vm(specWith(secondary));

function networkScenario(
  name: string,
  version: string,
  before: ReturnType<typeof vm>,
  mutate: (s: VmiSpec) => void,
  outcome: "live" | "restart",
  source: string,
  o: { migratable?: boolean; gates?: string[]; rollout?: Rollout; reason?: string; path?: string } = {},
): Scenario {
  return {
    name,
    source,
    version,
    kubevirt: cluster(version, {
      ...(o.rollout ? { rollout: o.rollout } : {}),
      ...(o.gates ? { gates: o.gates } : {}),
    }),
    before,
    after: edit(before, mutate),
    vmi: vmiOf(before, { maxSockets: 4, ...(o.migratable === false ? { migratable: false } : {}) }),
    expect: {
      outcome,
      changes: { [o.path ?? INTERFACES]: o.reason ? { outcome, reason: o.reason } : { outcome } },
    },
  };
}

export const deviceScenarios: Scenario[] = [
  // volumes (rules §1.6)
  volumeScenario(
    "volumes: adding a hotpluggable DataVolume on v1.9 is hot-plugged (DeclarativeHotplugVolumes Beta, on)",
    "v1.9.0",
    undefined,
    base,
    addHotplugDataVolume,
    "live",
    `${VM_TEST} should NOT appear for hotpluggable DataVolume regardless of rollout strategy (no rollout strategy); rules §1.6, §4.1 v1.9.0`,
  ),
  volumeScenario(
    "volumes: adding a hotpluggable DataVolume under Stage on v1.9 is hot-plugged too",
    "v1.9.0",
    "Stage",
    base,
    addHotplugDataVolume,
    "live",
    `${VM_TEST} should NOT appear for hotpluggable DataVolume regardless of rollout strategy (Stage)`,
  ),
  volumeScenario(
    "volumes: adding a hotpluggable PVC under LiveUpdate on v1.9 is hot-plugged",
    "v1.9.0",
    "LiveUpdate",
    base,
    addHotplugPvc,
    "live",
    `${VM_TEST} should NOT appear for hotpluggable PVC regardless of rollout strategy (LiveUpdate)`,
  ),
  volumeScenario(
    "volumes: removing a hotpluggable volume on v1.9 is unplugged live",
    "v1.9.0",
    undefined,
    withHotplugDisk,
    (s) => {
      s.volumes = s.volumes!.filter((v) => v.name !== "hotplug-vol");
      s.domain!.devices!.disks = s.domain!.devices!.disks!.filter((d) => d.name !== "hotplug-vol");
    },
    "live",
    "rules §1.6 (adding, changing or removing hotplug volumes is valid)",
  ),
  volumeScenario(
    "volumes: adding a non-hotpluggable DataVolume needs a restart (no rollout strategy)",
    "v1.9.0",
    undefined,
    base,
    addRegularDataVolume,
    "restart",
    `${VM_TEST} should appear for non-hotpluggable volumes regardless of rollout strategy (no rollout strategy)`,
    { reason: MSG.template },
  ),
  volumeScenario(
    "volumes: adding a non-hotpluggable DataVolume under Stage needs a restart",
    "v1.9.0",
    "Stage",
    base,
    addRegularDataVolume,
    "restart",
    `${VM_TEST} should appear for non-hotpluggable volumes regardless of rollout strategy (Stage)`,
    { reason: MSG.template },
  ),
  volumeScenario(
    "volumes: adding a non-hotpluggable DataVolume under LiveUpdate needs a restart",
    "v1.9.0",
    "LiveUpdate",
    base,
    addRegularDataVolume,
    "restart",
    `${VM_TEST} should appear for non-hotpluggable volumes regardless of rollout strategy (LiveUpdate)`,
    { reason: MSG.template },
  ),
  {
    name: "volumes: mixing hotpluggable and non-hotpluggable volumes needs a restart",
    source: `${VM_TEST} should appear when mixing hotpluggable and non-hotpluggable volumes`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: base,
    after: edit(base, (s) => {
      addHotplugDataVolume(s);
      addRegularDataVolume(s);
    }),
    vmi: vmiOf(base, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [`${VOLUMES}[name=regular-vol]`]: { outcome: "restart" } } },
  },
  volumeScenario(
    "volumes: changing a containerDisk image needs a restart",
    "v1.9.0",
    undefined,
    base,
    (s) => (s.volumes![0]!.containerDisk = { image: "quay.io/containerdisks/fedora:41" }),
    "restart",
    "rules §1.6 (changing a non-hotplug volume, e.g. a containerDisk image → RR)",
    { reason: MSG.template },
  ),
  volumeScenario(
    "volumes: removing a CD-ROM drive entirely needs a restart (v1.7+)",
    "v1.9.0",
    undefined,
    withCdrom,
    (s) => {
      s.volumes = s.volumes!.filter((v) => v.name !== "iso");
      s.domain!.devices!.disks = s.domain!.devices!.disks!.filter((d) => d.name !== "iso");
    },
    "restart",
    "rules §1.6 (RR: removing a cdrom disk entirely, v1.7.0 / v1.6.4+)",
    { path: DISKS },
  ),
  volumeScenario(
    "volumes: ejecting the ISO from a CD-ROM (drive kept) is live",
    "v1.9.0",
    undefined,
    withCdrom,
    (s) => {
      s.volumes = s.volumes!.filter((v) => v.name !== "iso");
    },
    "live",
    "rules §1.6 (CD-ROM inject/eject is valid: the disk is kept and the hotplug volume removed)",
  ),
  volumeScenario(
    "volumes: v1.6.4 under Stage with DeclarativeHotplugVolumes hot-plugs a hotpluggable DataVolume",
    "v1.6.4",
    "Stage",
    base,
    addHotplugDataVolume,
    "live",
    "rules §1.1 (hotpluggable volumes RR-free regardless of strategy since v1.6.4); §1.6",
    { gates: ["DeclarativeHotplugVolumes"] },
  ),
  volumeScenario(
    "volumes: v1.4.0 under Stage: adding a hotpluggable DataVolume to the template needs a restart",
    "v1.4.0",
    "Stage",
    base,
    addHotplugDataVolume,
    "restart",
    "rules §1.1 (v1.2.1–v1.6.3: volumes validated only under LiveUpdate)",
    { reason: MSG.template },
  ),
  volumeScenario(
    "volumes: v1.9 with the deprecated HotplugVolumes gate: no RestartRequired, but not declaratively attached",
    "v1.9.0",
    undefined,
    base,
    addHotplugDataVolume,
    "restart",
    "rules §1.6 (declarative hotplug only when HotplugVolumes is off and DeclarativeHotplugVolumes on)",
    { gates: ["HotplugVolumes"] },
  ),
  // network (rules §1.7)
  networkScenario(
    "network: hot-plugging a secondary interface on v1.9 is live",
    "v1.9.0",
    base,
    secondary,
    "live",
    "rules §1.7 (adding secondary interfaces and networks: no RR); pkg/network/vmliveupdate/restart_test.go",
  ),
  networkScenario(
    "network: setting an interface's state to absent is live",
    "v1.9.0",
    withSecondary,
    (s) => (s.domain!.devices!.interfaces![1]!.state = "absent"),
    "live",
    "rules §1.7 (changing only an interface's state: no RR)",
  ),
  networkScenario(
    "network: setting an interface's link down is live",
    "v1.8.0",
    withSecondary,
    (s) => (s.domain!.devices!.interfaces![1]!.state = "down"),
    "live",
    "rules §1.7 (link state up/down); v1.6.0 network hotplug",
  ),
  networkScenario(
    "network: removing an interface without state: absent needs a restart",
    "v1.9.0",
    withSecondary,
    (s) => {
      s.domain!.devices!.interfaces = s.domain!.devices!.interfaces!.filter((i) => i.name !== "blue");
      s.networks = s.networks!.filter((n) => n.name !== "blue");
    },
    "restart",
    "rules §1.7 (removing an existing interface without going through state: absent → RR)",
  ),
  networkScenario(
    "network: changing an interface binding needs a restart",
    "v1.9.0",
    base,
    (s) => {
      s.domain!.devices!.interfaces![0] = { name: "default", bridge: {} };
    },
    "restart",
    "rules §1.7 (changing a binding → RR)",
  ),
  networkScenario(
    "network: hot-plugging an interface on v1.5 needs a restart (network live update from v1.6)",
    "v1.5.0",
    base,
    secondary,
    "restart",
    "rules §1.1 (interfaces/networks neutralised from v1.6.0, commit b33f45b82f)",
    { rollout: "LiveUpdate" },
  ),
  networkScenario(
    "network: hot-plugging an interface under Stage on v1.6 is live (strategy-independent)",
    "v1.6.0",
    base,
    secondary,
    "live",
    "rules §1.1 (network: independent of rollout strategy, v1.6.0)",
    { rollout: "Stage" },
  ),
  networkScenario(
    "network: a NAD name change on v1.9 with a migratable VMI is live",
    "v1.9.0",
    withSecondary,
    (s) => (s.networks![1]!.multus = { networkName: "green-net" }),
    "live",
    "rules §1.7 (v1.9+: no RR if the VMI is migratable)",
    { path: NETWORKS },
  ),
  {
    name: "network: a NAD name change on v1.9 with a non-migratable VMI: no RestartRequired, the migration never happens",
    source:
      "v1.9.0 pkg/network/vmliveupdate/restart.go IsRestartRequired ignores the NAD name (restart_test.go 'should not require restart when NAD name changes', no migratability check; the rules doc §1.7 says RR); pkg/network/migration/evaluator.go sets MigrationRequired; the workload updater cannot migrate a non-migratable VMI (§5.3)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: withSecondary,
    after: edit(withSecondary, (s) => (s.networks![1]!.multus = { networkName: "green-net" })),
    vmi: vmiOf(withSecondary, { maxSockets: 4, migratable: false }),
    expect: { outcome: "stuck", changes: { [NETWORKS]: { outcome: "stuck" } } },
  },
  networkScenario(
    "network: a NAD name change on v1.8 with LiveUpdateNADRef enabled is live",
    "v1.8.0",
    withSecondary,
    (s) => (s.networks![1]!.multus = { networkName: "green-net" }),
    "live",
    "v1.8.0 pkg/network/vmliveupdate/restart.go (haveNetsChangedIgnoringNADName when LiveUpdateNADRefEnabled)",
    { path: NETWORKS, gates: ["LiveUpdateNADRef"] },
  ),
  networkScenario(
    "network: a NAD name change on v1.8 without the LiveUpdateNADRef gate needs a restart",
    "v1.8.0",
    withSecondary,
    (s) => (s.networks![1]!.multus = { networkName: "green-net" }),
    "restart",
    "rules §1.7 (v1.8: LiveUpdateNADRef Beta, not on by default)",
    { path: NETWORKS },
  ),
  // firmware UUID (rules §1.1)
  {
    name: "firmware: writing the VMI's own firmware UUID into the VM is not a change on v1.9",
    source: `${VM_TEST} should not raise RestartRequired when VM and VMI UUIDs match`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: base,
    after: edit(base, (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" })),
    vmi: vmiOf(base, {
      maxSockets: 4,
      mutate: (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" }),
    }),
    expect: { outcome: "none", changes: { [FIRMWARE_UUID]: { outcome: "none" } } },
  },
  {
    name: "firmware: a firmware UUID different from the VMI's needs a restart",
    source: `${VM_TEST} should raise RestartRequired when VM and VMI UUIDs differ`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: base,
    after: edit(base, (s) => (s.domain!.firmware = { uuid: "different-uuid-than-vmi" })),
    vmi: vmiOf(base, {
      maxSockets: 4,
      mutate: (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" }),
    }),
    expect: { outcome: "restart", changes: { [FIRMWARE_UUID]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "firmware: v1.7.0 does not neutralise the firmware UUID",
    source: "rules §1.1 (firmware.uuid neutralised from v1.7.1 / v1.6.4 / v1.8.0)",
    version: "v1.7.0",
    kubevirt: cluster("v1.7.0"),
    before: base,
    after: edit(base, (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" })),
    vmi: vmiOf(base, {
      maxSockets: 4,
      mutate: (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" }),
    }),
    expect: { outcome: "restart", changes: { [FIRMWARE_UUID]: { outcome: "restart", reason: MSG.template } } },
  },
];
