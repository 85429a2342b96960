import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import { GUEST, MSG, cluster, edit, specWith, vm, vmiOf, type Scenario } from "../builders";

/**
 * Patch releases that carry a fix earlier than the rules document says: read from the release tags
 * (`git show <tag>:pkg/virt-controller/watch/vm/vm.go`, `pkg/liveupdate/memory/memory.go`). The code wins.
 */

const INTERFACES = "spec.template.spec.domain.devices.interfaces";
const VOLUMES = "spec.template.spec.volumes";

const plain = vm(specWith(() => {}));
const addBlue = (s: VmiSpec) => {
  s.domain!.devices!.interfaces!.push({ name: "blue", bridge: {} });
  s.networks!.push({ name: "blue", multus: { networkName: "blue-net" } });
};
const addHotplugDataVolume = (s: VmiSpec) => {
  s.volumes!.push({ name: "hotplug-vol", dataVolume: { name: "hotplug-dv", hotpluggable: true } });
  s.domain!.devices!.disks!.push({ name: "hotplug-vol", disk: { bus: "scsi" } });
};
const oneGi = vm(specWith((s) => (s.domain!.memory!.guest = "1Gi")));
const halfGi = vm(specWith((s) => (s.domain!.memory!.guest = "512Mi")));

const NET_BACKPORT =
  "vm.go addRestartRequiredIfNeeded calls netvmliveupdate.IsRestartRequired in the v1.4.1 tag (PR #14666 'release-1.4-fix-restart-required', commit 02f84a623b 'vm ctrl: Allow live changes to network fields') and from v1.5.2; absent in v1.4.0, v1.5.0, v1.5.1";

function nicHotplug(version: string, outcome: "live" | "restart", rollout?: "Stage" | "LiveUpdate"): Scenario {
  return {
    name: `backport: hot-plugging a secondary interface on ${version}${rollout ? ` (${rollout})` : ""} is ${outcome === "live" ? "live (network fields neutralised)" : "RestartRequired"}`,
    source: NET_BACKPORT,
    version,
    kubevirt: cluster(version, rollout ? { rollout } : { rollout: "LiveUpdate" }),
    before: plain,
    after: edit(plain, addBlue),
    vmi: vmiOf(plain, { maxSockets: 4 }),
    expect: {
      outcome,
      changes: { [INTERFACES]: outcome === "live" ? { outcome } : { outcome, reason: MSG.template } },
    },
  };
}

export const backportScenarios: Scenario[] = [
  nicHotplug("v1.4.0", "restart"),
  nicHotplug("v1.4.1", "live"),
  nicHotplug("v1.4.1", "live", "Stage"),
  nicHotplug("v1.5.1", "restart"),
  nicHotplug("v1.5.2", "live"),
  nicHotplug("v1.5.3", "live", "Stage"),
  {
    name: "backport: v1.3.1 already refuses memory hotplug below 1Gi (validator)",
    source:
      "v1.3.1 pkg/liveupdate/memory/memory.go requiredMinGuestMemory (commit 8c186d548c 'mem-hotplug: enable only for VMs with memory >= 1Gi'); absent in v1.3.0",
    version: "v1.3.1",
    kubevirt: cluster("v1.3.1", { rollout: "LiveUpdate" }),
    before: oneGi,
    after: edit(oneGi, (s) => (s.domain!.memory!.guest = "768Mi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: { [GUEST]: { outcome: "restart", reason: `${MSG.memNotSupported}${MSG.mem1Gi}` } },
    },
  },
  {
    name: "backport (predicted): a 512Mi VM on v1.3.1 boots without maxGuest",
    source: "v1.3.1 pkg/virt-api/webhooks/defaults.go setupMemoryHotplug + memory.go 1Gi minimum (commit 8c186d548c)",
    version: "v1.3.1",
    kubevirt: cluster("v1.3.1", { rollout: "LiveUpdate" }),
    before: halfGi,
    after: edit(halfGi, (s) => (s.domain!.memory!.guest = "1Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "backport: v1.6.3 under Stage: a declarative hotplug volume gives no RestartRequired and is attached",
    source:
      "v1.6.3 vm.go addRestartRequiredIfNeeded: validLiveUpdateVolumes/Disks moved outside the LiveUpdate block (commit 3d446c871c 'virt-controller: fix RestartRequired condition handling for hotplug volumes'); v1.6.2 still has them inside",
    version: "v1.6.3",
    kubevirt: cluster("v1.6.3", { rollout: "Stage", gates: ["DeclarativeHotplugVolumes"] }),
    before: plain,
    after: edit(plain, addHotplugDataVolume),
    vmi: vmiOf(plain),
    expect: { outcome: "live", changes: { [VOLUMES]: { outcome: "live" } } },
  },
  {
    name: "backport: v1.6.2 under Stage: a declarative hotplug volume still gives RestartRequired",
    source:
      "v1.6.2 vm.go addRestartRequiredIfNeeded (volumes validated only under LiveUpdate; Stage exception needs VM == VMI)",
    version: "v1.6.2",
    kubevirt: cluster("v1.6.2", { rollout: "Stage", gates: ["DeclarativeHotplugVolumes"] }),
    before: plain,
    after: edit(plain, addHotplugDataVolume),
    vmi: vmiOf(plain),
    expect: { outcome: "restart", changes: { [VOLUMES]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "backport: v1.4.1 under Stage: persisting an imperatively hot-plugged volume the VMI already has is no change",
    source:
      "v1.4.1 vm.go addRestartRequiredIfNeeded has the Stage else-branch ('In the case live-updates aren't enable the volume set of the VM can be still changed by volume hotplugging'); absent in v1.4.0",
    version: "v1.4.1",
    kubevirt: cluster("v1.4.1", { rollout: "Stage" }),
    before: plain,
    after: edit(plain, addHotplugDataVolume),
    vmi: vmiOf(vm(specWith(addHotplugDataVolume))),
    expect: { outcome: "none" },
  },
];

/** A VM without networks (autoattachPodInterface: false) that gets the pod network, plus a socket hotplug. */
const networkless = vm(
  specWith((s) => {
    s.domain!.devices!.interfaces = [];
    s.networks = [];
    (s.domain!.devices as Record<string, unknown>).autoattachPodInterface = false;
  }),
);
const addPodNetworkAndSocket = (s: VmiSpec) => {
  s.domain!.devices!.interfaces = [{ name: "default", masquerade: {} }];
  s.networks = [{ name: "default", pod: {} }];
  s.domain!.cpu!.sockets = 2;
};

export const podNetworkScenarios: Scenario[] = [
  {
    name: "pod network: v1.7.0 has no 'pod network added' rule: no RestartRequired, so a socket change in the same update is live",
    source:
      "v1.7.0 pkg/network/vmliveupdate/restart.go (no isPodNetworkInDesiredNets check: only interfaces/networks the VMI has are compared; the rule arrived in v1.8.0); the masquerade interface itself is not hot-plugged (controllers/vm.go applyDynamicIfaceRequestOnVMI: bridge or SR-IOV only)",
    version: "v1.7.0",
    kubevirt: cluster("v1.7.0"),
    before: networkless,
    after: edit(networkless, addPodNetworkAndSocket),
    vmi: vmiOf(networkless, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { "spec.template.spec.domain.cpu.sockets": { outcome: "live" } } },
  },
  {
    name: "pod network: v1.8.0 marks adding the pod network RestartRequired, which also holds back the socket change",
    source:
      "v1.8.0 pkg/network/vmliveupdate/restart.go shouldNetsChangeRequireRestart (pod network added to a VM without one → RR); rules §1.2 gate",
    version: "v1.8.0",
    kubevirt: cluster("v1.8.0"),
    before: networkless,
    after: edit(networkless, addPodNetworkAndSocket),
    vmi: vmiOf(networkless, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: {
        "spec.template.spec.domain.cpu.sockets": { outcome: "restart" },
        "spec.template.spec.networks": { outcome: "restart", reason: MSG.template },
      },
    },
  },
];

export const absentInterfaceScenarios: Scenario[] = [
  {
    name: "network: declaring a new interface already in state absent changes nothing in the running VM",
    source:
      "v1.9.0 pkg/network/controllers/vm.go applyDynamicIfaceRequestOnVMI (no hotplug when state is absent); vmliveupdate/restart.go (only interfaces the VMI has are compared: no RR)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: plain,
    after: edit(plain, (s) => {
      s.domain!.devices!.interfaces!.push({ name: "blue", bridge: {}, state: "absent" });
      s.networks!.push({ name: "blue", multus: { networkName: "blue-net" } });
    }),
    vmi: vmiOf(plain, { maxSockets: 4 }),
    expect: { outcome: "none" },
  },
];
