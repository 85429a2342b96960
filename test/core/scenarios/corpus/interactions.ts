import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import type { VirtualMachine } from "../../../../core/kubevirt/schema/virtualMachine";
import {
  CORES,
  GUEST,
  MAX_GUEST,
  MAX_SOCKETS,
  MSG,
  NODE_SELECTOR,
  SOCKETS,
  cluster,
  edit,
  restartRequired,
  specWith,
  vm,
  vmiOf,
  type Scenario,
} from "../builders";

/**
 * Handler interplay, boundaries and older-version details, read from vm.go `sync` (v1.9.0: the gate is
 * evaluated once, then the handlers run in order; a handler that sets RestartRequired returns nil, so the
 * later handlers still run in the same reconcile; one that returns an error ends the reconcile).
 */

const SYNC = "v1.9.0 pkg/virt-controller/watch/vm/vm.go sync (gate evaluated once; handlers run in order)";
const oneSocket = vm(specWith((s) => (s.domain!.memory!.guest = "1Gi")));
const nodeSelector = (s: VmiSpec) => {
  s.nodeSelector = { "kubernetes.io/hostname": "node02" };
};
const sockets = (n: number) => (s: VmiSpec) => {
  s.domain!.cpu!.sockets = n;
};
const guest = (q: string) => (s: VmiSpec) => {
  s.domain!.memory!.guest = q;
};

function legacy(features: Record<string, unknown>, mutate: (s: VmiSpec) => void = () => {}): VirtualMachine {
  return vm(specWith(mutate), { vmSpec: { liveUpdateFeatures: features } as Partial<VirtualMachine["spec"]> });
}

/** RR set earlier by the CPU handler (sockets 5 > maxSockets 4); the user now changes only the nodeSelector. */
function afterHandlerRR(version: string, outcome: "live" | "restart"): Scenario {
  const tooMany = vm(
    specWith((s) => (s.domain!.cpu!.sockets = 5)),
    { conditions: [restartRequired(MSG.socketsAbove)] },
  );
  return {
    name: `interplay: a handler RR (sockets above maxSockets) stays; a later nodeSelector edit on ${version} is ${outcome}`,
    source:
      outcome === "live"
        ? `${SYNC}: syncRestartRequired finds nothing non-live and clears RR, the gate opens, the CPU handler re-sets RR and the affinity handler patches the nodeSelector`
        : "rules §1.2 (before v1.6.4/v1.7.1/v1.8.0 the RR condition closes the gate until restart)",
    version,
    kubevirt: cluster(version, { rollout: "LiveUpdate" }),
    before: tooMany,
    after: edit(tooMany, nodeSelector),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome, changes: { [NODE_SELECTOR]: { outcome } } },
  };
}

export const interactionScenarios: Scenario[] = [
  {
    name: "interplay: sockets above maxSockets do not stop a nodeSelector in the same update",
    source: `${SYNC}: handleCPUChangeRequest sets RR and returns nil, handleAffinityChangeRequest still runs`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => {
      s.domain!.cpu!.sockets = 5;
      nodeSelector(s);
    }),
    vmi: vmiOf(oneSocket, { maxSockets: 4, maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: {
        [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove },
        [NODE_SELECTOR]: { outcome: "live" },
      },
    },
  },
  {
    name: "interplay: sockets above maxSockets do not stop a memory hotplug in the same update",
    source: `${SYNC}: handleMemoryHotplugRequest runs after the CPU handler set RR`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => {
      s.domain!.cpu!.sockets = 5;
      s.domain!.memory!.guest = "2Gi";
    }),
    vmi: vmiOf(oneSocket, { maxSockets: 4, maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove }, [GUEST]: { outcome: "live" } },
    },
  },
  {
    name: "interplay: a failed memory hotplug does not stop a socket hotplug in the same update",
    source: `${SYNC}: the CPU handler runs before the memory handler`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => {
      s.domain!.cpu!.sockets = 2;
      s.domain!.memory!.guest = "2Gi";
    }),
    vmi: vmiOf(oneSocket, {
      maxSockets: 4,
      maxGuest: "4Gi",
      conditions: [{ type: "HotMemoryChange", status: "False", reason: "Memory Hotplug Failed" }],
    }),
    expect: {
      outcome: "restart",
      changes: { [SOCKETS]: { outcome: "live" }, [GUEST]: { outcome: "restart", reason: MSG.memFailed } },
    },
  },
  {
    name: "interplay: a socket reduction and a nodeSelector: the nodeSelector is still live",
    source: `${SYNC}; rules §1.3 step 7`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu!.sockets = 2))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), (s) => {
      s.domain!.cpu!.sockets = 1;
      nodeSelector(s);
    }),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), { maxSockets: 8 }),
    expect: {
      outcome: "restart",
      changes: {
        [SOCKETS]: { outcome: "restart", reason: MSG.socketsReduction },
        [NODE_SELECTOR]: { outcome: "live" },
      },
    },
  },
  afterHandlerRR("v1.9.0", "live"),
  {
    name: "interplay: lowering sockets back to what the VMI runs clears a handler RR on v1.9: nothing to do",
    source: `${SYNC}: syncRestartRequired removes RR (nothing non-live differs); handleCPUChangeRequest finds VM sockets == VMI sockets`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => (s.domain!.cpu!.sockets = 5)),
      { conditions: [restartRequired(MSG.socketsAbove)] },
    ),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 5))), sockets(1)),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "none", changes: { [SOCKETS]: { outcome: "none" } } },
  },
  {
    name: "v1.1: guest above liveUpdateFeatures.memory.maxGuest is rejected",
    source:
      "v1.1.0 vms-admitter.go validateLiveUpdateFeatures ('Guest memory is greater than the configured maxGuest memory')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: { maxGuest: "4Gi" } }, guest("1Gi")),
    after: edit(legacy({ memory: { maxGuest: "4Gi" } }, guest("1Gi")), guest("5Gi")),
    vmi: vmiOf(legacy({ memory: { maxGuest: "4Gi" } }, guest("1Gi")), { maxGuest: "4Gi" }),
    expect: { outcome: "rejected", admission: MSG.memAboveMax },
  },
  {
    name: "v1.1 (predicted): liveUpdateFeatures.memory.maxGuest 4Gi: 1Gi→3Gi is hot-plugged",
    source: "rules §3.1 v1.1.x setupMemoryHotplug (liveUpdateFeatures.memory.maxGuest > cluster > guest × ratio)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: { maxGuest: "4Gi" } }, guest("1Gi")),
    after: edit(legacy({ memory: { maxGuest: "4Gi" } }, guest("1Gi")), guest("3Gi")),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  afterHandlerRR("v1.8.0", "live"),
  afterHandlerRR("v1.6.3", "restart"),
  afterHandlerRR("v1.4.0", "restart"),
  // boundaries
  {
    name: "boundary: sockets exactly at the VMI's maxSockets are live",
    source: "rules §1.3 step 6 (only sockets > maxSockets give RR)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, sockets(4)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "boundary: guest exactly at the VMI's maxGuest is live",
    source: "rules §2.3 row 6 (only guest > maxGuest fails)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, guest("4Gi")),
    vmi: vmiOf(oneSocket, { maxGuest: "4Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "boundary: guest back down to exactly guestAtBoot is a live unplug",
    source: "rules §1.4 step 9 (only guest < guestAtBoot gives RR)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(guest("3Gi"))),
    after: edit(vm(specWith(guest("3Gi"))), guest("1Gi")),
    vmi: vmiOf(vm(specWith(guest("3Gi"))), { maxGuest: "4Gi", guestAtBoot: "1Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "boundary: the same guest written as 1024Mi instead of 1Gi is no change",
    source: "rules §1.4 step 3 (quantities compare by value)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, guest("1024Mi")),
    vmi: vmiOf(oneSocket, { maxGuest: "4Gi" }),
    expect: { outcome: "none" },
  },
  // nil stanzas
  {
    name: "stanza: a cpu stanza with only cores (VMI sockets 0, maxSockets 0×4): adding sockets gives 'higher than what's available'",
    source:
      "v1.9.0 pkg/defaults/defaults.go SetDefaultGuestCPUTopology (a partial topology keeps sockets 0) and setupCPUHotplug (maxSockets = sockets × ratio = 0); vm.go handleCPUChangeRequest step 6",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu = { cores: 2 }))),
    after: edit(vm(specWith((s) => (s.domain!.cpu = { cores: 2 }))), (s) => (s.domain!.cpu!.sockets = 2)),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu = { cores: 2 }))), { maxSockets: 0 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } } },
  },
  {
    name: "stanza (predicted): a cpu stanza with only cores boots with maxSockets 0, so adding sockets needs a restart",
    source: "v1.9.0 pkg/defaults/defaults.go SetDefaultGuestCPUTopology / setupCPUHotplug (0 sockets × ratio 4 = 0)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu = { cores: 2 }))),
    after: edit(vm(specWith((s) => (s.domain!.cpu = { cores: 2 }))), (s) => (s.domain!.cpu!.sockets = 2)),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
    },
  },
  {
    name: "stanza (predicted): cores 2 with sockets 1 set explicitly boots with maxSockets 4: sockets 1→3 is live",
    source: "v1.9.0 pkg/defaults/defaults.go setupCPUHotplug (1 × 4)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu = { cores: 2, sockets: 1 }))),
    after: edit(vm(specWith((s) => (s.domain!.cpu = { cores: 2, sockets: 1 }))), (s) => (s.domain!.cpu!.sockets = 3)),
    expect: { outcome: "live", predicted: true, changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "stanza: a VM sized by requests.memory gets a memory.guest: live on v1.9 (nil-tolerant)",
    source: "rules §1.1 (memory.guest: an absent memory stanza on the start side is created, v1.3.0+)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(byRequests()),
    after: edit(vm(byRequests()), (s) => (s.domain!.memory = { guest: "4Gi" })),
    vmi: vmiOf(vm(byRequests()), { mutate: (s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi" }) }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "stanza: a VM sized by requests.memory gets a memory.guest: RestartRequired on v1.2.2",
    source: "rules §1.1 (v1.2.x required a non-nil memory on both sides)",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: vm(byRequests()),
    after: edit(vm(byRequests()), (s) => (s.domain!.memory = { guest: "4Gi" })),
    vmi: vmiOf(vm(byRequests()), { mutate: (s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi" }) }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "stanza: removing an explicit maxSockets from a running VM needs a restart",
    source: "rules §1.9.2 (maxSockets edits → RR)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu!.maxSockets = 8))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.maxSockets = 8))), (s) => delete s.domain!.cpu!.maxSockets),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu!.maxSockets = 8)))),
    expect: { outcome: "restart", changes: { [MAX_SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  // older versions
  {
    name: "v1.2.2: guest above the VMI's maxGuest: 'higher than what's available' (no validator before v1.3)",
    source:
      "v1.2.2 vm.go handleMemoryHotplugRequest ('memory updated in template spec to a value higher than what's available')",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: oneSocket,
    after: edit(oneSocket, guest("5Gi")),
    vmi: vmiOf(oneSocket, { maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: {
        [GUEST]: {
          outcome: "restart",
          reason: "memory updated in template spec to a value higher than what's available",
        },
      },
    },
  },
  {
    name: "v1.2.2: a VMI without maxGuest (booted under Stage): the guest is patched but never hot-plugged",
    source:
      "v1.2.2 vm.go handleMemoryHotplugRequest (no maxGuest-nil check before v1.3: it patches the VMI); vmi.go requireMemoryHotplug (no HotMemoryChange without maxGuest), so nothing migrates",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: oneSocket,
    after: edit(oneSocket, guest("2Gi")),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "stuck", changes: { [GUEST]: { outcome: "stuck" } } },
  },
  {
    name: "v1.2.2: a guest below guestAtBoot: 'lower than what the VM started with'",
    source: "v1.2.2 vm.go handleMemoryHotplugRequest",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: vm(specWith(guest("2Gi"))),
    after: edit(vm(specWith(guest("2Gi"))), guest("1Gi")),
    vmi: vmiOf(vm(specWith(guest("2Gi"))), { maxGuest: "8Gi" }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memLower } } },
  },
  {
    name: "v1.2.2: an explicit maxGuest with 2Mi hugepages is rejected",
    source: "rules §2.3 ('Memory hotplug is not compatible with hugepages' until v1.3.0)",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: vm(hugepages2Mi(true)),
    after: edit(vm(hugepages2Mi(true)), guest("3Gi")),
    vmi: vmiOf(vm(hugepages2Mi(true))),
    expect: { outcome: "rejected", admission: "Memory hotplug is not compatible with hugepages" },
  },
  {
    name: "v1.4.0: 2Mi hugepages hot-plug memory (2Mi alignment)",
    source: "rules §2.3 (hugepages supported since v1.3.0; 2Mi pages use 2Mi alignment)",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0", { rollout: "LiveUpdate" }),
    before: vm(hugepages2Mi(false)),
    after: edit(vm(hugepages2Mi(false)), guest("3Gi")),
    vmi: vmiOf(vm(hugepages2Mi(false)), { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "v1.2.0: an explicit maxGuest with memory limits is rejected under LiveUpdate",
    source:
      "rules §2.3 ('Configuration of Memory limits is not allowed when Memory live update is enabled', v1.2.0 only)",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi" }))),
    after: edit(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi" }))), (s) => {
      s.domain!.resources = { limits: { memory: "8Gi" } };
    }),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi" })))),
    expect: {
      outcome: "rejected",
      admission: "Configuration of Memory limits is not allowed when Memory live update is enabled",
    },
  },
  {
    name: "v1.3.0: memory on a non-migratable VMI gives the migratable RestartRequired",
    source: "rules §1.4 step 4 (v1.3.0+)",
    version: "v1.3.0",
    kubevirt: cluster("v1.3.0", { rollout: "LiveUpdate" }),
    before: oneSocket,
    after: edit(oneSocket, guest("2Gi")),
    vmi: vmiOf(oneSocket, { maxGuest: "4Gi", migratable: false }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memMigratable } } },
  },
  {
    name: "v1.0: reducing sockets with liveUpdateFeatures is live-patched (no reduction rule yet)",
    source: "v1.0.0 vm.go handleCPUChangeRequest (compares total vCPUs, patches any difference)",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: legacy({ cpu: {} }, sockets(2)),
    after: edit(legacy({ cpu: {} }, sockets(2)), sockets(1)),
    vmi: vmiOf(legacy({ cpu: {} }, sockets(2)), { maxSockets: 8 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory only: a cores change is not rejected and waits for a restart",
    source: "v1.1.0 vms-admitter.go validateVMUpdate (the cores/threads rules need liveUpdateFeatures.cpu)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: {} }),
    after: edit(legacy({ memory: {} }), (s) => (s.domain!.cpu!.cores = 2)),
    vmi: vmiOf(legacy({ memory: {} })),
    expect: { outcome: "restart", changes: { [CORES]: { outcome: "restart" } } },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory only: a socket change waits for a restart",
    source: "v1.1.0 vm.go handleCPUChangeRequest (returns when liveUpdateFeatures.cpu is nil)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: {} }),
    after: edit(legacy({ memory: {} }), sockets(2)),
    vmi: vmiOf(legacy({ memory: {} })),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart" } } },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory without maxGuest allows memory limits (not rejected)",
    source:
      "v1.1.0 vms-admitter.go validateLiveUpdateFeatures (memory rules only with liveUpdateFeatures.memory.maxGuest)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: {} }, guest("1Gi")),
    after: edit(legacy({ memory: {} }, guest("1Gi")), (s) => (s.domain!.resources = { limits: { memory: "4Gi" } })),
    vmi: vmiOf(legacy({ memory: {} }, guest("1Gi")), { maxGuest: "4Gi" }),
    expect: { outcome: "restart" },
  },
  {
    name: "v1.1: maxGuest in the template is rejected even without liveUpdateFeatures",
    source: "v1.1.0 vms-admitter.go validateLiveUpdateFeatures (the maxGuest rule has no liveUpdateFeatures condition)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => (s.domain!.memory!.maxGuest = "8Gi")),
    vmi: vmiOf(vm(specWith(() => {}))),
    expect: {
      outcome: "rejected",
      admission: "Memory maxGuest cannot be set directy in VM template",
      changes: { [MAX_GUEST]: { outcome: "rejected" } },
    },
  },
  {
    name: "v1.0: maxSockets in the template is rejected even without liveUpdateFeatures",
    source: "v1.0.0 vms-admitter.go (the maxSockets rule has no liveUpdateFeatures condition)",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: vm(
      specWith(() => {}),
      { running: false },
    ),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (s) => (s.domain!.cpu!.maxSockets = 8),
    ),
    expect: { outcome: "rejected", admission: "CPU topology maxSockets cannot be set directy in VM template" },
  },
  {
    name: "arch: an arm64 VM on an amd64 control plane on v1.6 needs the MultiArchitecture gate",
    source: "v1.6.0 vmi-create-admitter.go ('MultiArchitecture feature gate is not enabled in kubevirt-config')",
    version: "v1.6.0",
    kubevirt: cluster("v1.6.0"),
    before: vm(
      specWith(() => {}),
      { running: false },
    ),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (s) => (s.architecture = "arm64"),
    ),
    expect: { outcome: "rejected", admission: "MultiArchitecture feature gate is not enabled" },
  },
  {
    name: "firmware: under Stage the VMI's own firmware UUID is still not a change (v1.9)",
    source: "v1.9.0 vm.go syncRestartRequired (the UUID neutralisation is outside the LiveUpdate block)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" })),
    vmi: vmiOf(oneSocket, { mutate: (s) => (s.domain!.firmware = { uuid: "5d307ca9-b3ef-428c-8861-06e72d69f223" }) }),
    expect: { outcome: "none" },
  },
  {
    name: "lifecycle: a VMI that already Succeeded: the VM is not running, changes are staged",
    source: "rules §8 step 2",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.domain!.cpu!.cores = 4)),
    vmi: { ...vmiOf(oneSocket, { maxSockets: 4 }), status: { phase: "Succeeded" } },
    expect: { outcome: "staged", changes: { [CORES]: { outcome: "staged" } } },
  },
];

function byRequests(): VmiSpec {
  return specWith((s) => {
    delete s.domain!.memory;
    s.domain!.resources = { requests: { memory: "2Gi" } };
  });
}

function hugepages2Mi(explicitMaxGuest: boolean): VmiSpec {
  return specWith((s) => {
    s.domain!.memory = {
      guest: "2Gi",
      hugepages: { pageSize: "2Mi" },
      ...(explicitMaxGuest ? { maxGuest: "8Gi" } : {}),
    };
  });
}

const withPvc = vm(
  specWith((s) => {
    s.volumes!.push({ name: "data", persistentVolumeClaim: { claimName: "data-old" } });
    s.domain!.devices!.disks!.push({ name: "data", disk: { bus: "virtio" } });
  }),
  { vmSpec: { updateVolumesStrategy: "Migration" } as Partial<VirtualMachine["spec"]> },
);
const moveData = (s: VmiSpec) => {
  s.volumes!.find((v) => v.name === "data")!.persistentVolumeClaim = { claimName: "data-new" };
};
const VOLUMES = "spec.template.spec.volumes";
const addHotplugDataVolume = (s: VmiSpec) => {
  s.volumes!.push({ name: "hotplug-vol", dataVolume: { name: "hotplug-dv", hotpluggable: true } });
  s.domain!.devices!.disks!.push({ name: "hotplug-vol", disk: { bus: "scsi" } });
};

/** Volume migration, imperative hotplug under Stage, and the cluster's default architecture. */
export const moreInteractionScenarios: Scenario[] = [
  {
    name: "volumes: updateVolumesStrategy Migration: a new claim for a PVC volume is migrated live",
    source:
      "rules §1.6 (under Migration, changing the source of any PVC/DataVolume volume is valid; handleVolumeUpdateRequest)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: withPvc,
    after: edit(withPvc, moveData),
    vmi: vmiOf(withPvc, { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [VOLUMES]: { outcome: "live" } } },
  },
  {
    name: "volumes: without updateVolumesStrategy Migration a new claim needs a restart",
    source: "v1.9.0 vm.go validLiveUpdateVolumes (a changed non-hotplug volume)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: edit(withPvc, (_s, v) => delete v.spec.updateVolumesStrategy),
    after: edit(
      edit(withPvc, (_s, v) => delete v.spec.updateVolumesStrategy),
      moveData,
    ),
    vmi: vmiOf(withPvc, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [VOLUMES]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "volumes: v1.4.0 rejects updateVolumesStrategy under LiveUpdate without the VolumesUpdateStrategy gate",
    source: "rules §2.6 v1.3.0–v1.4.x ('VolumesUpdateStrategy feature gate is not enabled in kubevirt-config')",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0", { rollout: "LiveUpdate" }),
    before: edit(withPvc, (_s, v) => delete v.spec.updateVolumesStrategy),
    after: edit(withPvc, moveData),
    vmi: vmiOf(withPvc, { maxSockets: 4 }),
    expect: { outcome: "rejected", admission: "VolumesUpdateStrategy feature gate is not enabled in kubevirt-config" },
  },
  {
    name: "volumes: v1.4.0 with VolumesUpdateStrategy and VolumeMigration migrates a new claim live",
    source: "rules §2.6 v1.3.0–v1.4.x; §1.6",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0", { rollout: "LiveUpdate", gates: ["VolumesUpdateStrategy", "VolumeMigration"] }),
    before: withPvc,
    after: edit(withPvc, moveData),
    vmi: vmiOf(withPvc, { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [VOLUMES]: { outcome: "live" } } },
  },
  {
    name: "volumes: v1.5.0 under Stage: persisting an imperatively hot-plugged volume the VMI already has is no change",
    source:
      "v1.5.0 vm.go addRestartRequiredIfNeeded (Stage: volumes/disks ignored when they equal the VMI's); rules §4.1 v1.5.0",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0", { rollout: "Stage" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), addHotplugDataVolume),
    vmi: vmiOf(vm(specWith(addHotplugDataVolume))),
    expect: { outcome: "none" },
  },
  {
    name: "volumes: v1.4.0 under Stage: persisting an imperatively hot-plugged volume still gives RestartRequired",
    source: "rules §1.1 (v1.2.1–v1.6.3 volumes validated only under LiveUpdate; the Stage exception arrived in v1.5.0)",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0", { rollout: "Stage" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), addHotplugDataVolume),
    vmi: vmiOf(vm(specWith(addHotplugDataVolume))),
    expect: { outcome: "restart", changes: { [VOLUMES]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "volumes: v1.2.0 under LiveUpdate ignores every volume change (no RestartRequired), so a new disk waits for a restart",
    source: "rules §1.1 (v1.2.0: under LiveUpdate all volume and disk changes were ignored, no validation)",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => {
      s.volumes!.push({ name: "regular-vol", dataVolume: { name: "regular-dv" } });
      s.domain!.devices!.disks!.push({ name: "regular-vol", disk: { bus: "virtio" } });
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [VOLUMES]: { outcome: "restart" } } },
  },
  {
    name: "volumes: v1.2.0 under LiveUpdate: a new disk does not close the gate, so sockets still hot-plug",
    source: "rules §1.1 (v1.2.0 neutralises all volume/disk changes under LiveUpdate), §1.2",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => {
      s.volumes!.push({ name: "regular-vol", dataVolume: { name: "regular-dv" } });
      s.domain!.devices!.disks!.push({ name: "regular-vol", disk: { bus: "virtio" } });
      s.domain!.cpu!.sockets = 2;
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "arch (predicted): no architecture in the VM on an arm64 cluster: maxSockets 0 on v1.9",
    source: "rules §9 (the VM mutator writes the cluster default architecture), §2.5 (arm64 skips setupHotplug)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { defaultArchitecture: "arm64" }),
    before: vm(specWith((s) => delete s.architecture)),
    after: edit(vm(specWith((s) => delete s.architecture)), sockets(2)),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
    },
  },
  {
    name: "arch (predicted): no architecture in the VM on an arm64 cluster: memory hotplug unavailable on v1.9",
    source: "rules §9, §2.5, §3.3",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { defaultArchitecture: "arm64" }),
    before: vm(specWith((s) => delete s.architecture)),
    after: edit(vm(specWith((s) => delete s.architecture)), guest("3Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "arch (predicted): no architecture in the VM on an amd64 cluster: memory hotplug works",
    source: "rules §9 (a manifest without architecture means the cluster default, never 'no architecture')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => delete s.architecture)),
    after: edit(vm(specWith((s) => delete s.architecture)), guest("3Gi")),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "arch (predicted): s390x hot-plugs CPU sockets on v1.9",
    source: "rules §2.5 (SupportCPUHotplug true on s390x); vmi-mutator_test.go maxSockets table (amd64 and s390x)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { defaultArchitecture: "s390x" }),
    before: vm(specWith((s) => (s.architecture = "s390x"))),
    after: edit(vm(specWith((s) => (s.architecture = "s390x"))), sockets(2)),
    expect: { outcome: "live", predicted: true, changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "arch (predicted): s390x has no memory hotplug on v1.9 (maxGuest nil)",
    source: "rules §2.5 (s390x: the mutator leaves maxGuest nil); vmi-mutator_test.go (s390x → nil)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { defaultArchitecture: "s390x" }),
    before: vm(specWith((s) => (s.architecture = "s390x"))),
    after: edit(vm(specWith((s) => (s.architecture = "s390x"))), guest("3Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "arch: s390x with an explicit maxGuest is rejected under LiveUpdate",
    source: "rules §2.5 (an explicit maxGuest is rejected at VM admission under LiveUpdate), §2.3 row 9",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { defaultArchitecture: "s390x" }),
    before: vm(specWith((s) => (s.architecture = "s390x"))),
    after: edit(vm(specWith((s) => (s.architecture = "s390x"))), (s) => (s.domain!.memory!.maxGuest = "8Gi")),
    vmi: vmiOf(vm(specWith((s) => (s.architecture = "s390x")))),
    expect: { outcome: "rejected", admission: MSG.memX86 },
  },
];

const withBlue = vm(
  specWith((s) => {
    s.domain!.devices!.interfaces!.push({ name: "blue", bridge: {} });
    s.networks!.push({ name: "blue", multus: { networkName: "blue-net" } });
  }),
);
const INTERFACES = "spec.template.spec.domain.devices.interfaces";

/** Run state spelled the old way, completion paths for memory and NICs, and more predicted defaults. */
export const edgeScenarios: Scenario[] = [
  {
    name: "run state: a VM started with the deprecated running: true hot-plugs a socket",
    source: "rules §0 (the running VM's reconcile); spec.running true means runStrategy Always",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: edit(vm(specWith(() => {})), (_s, v) => {
      delete v.spec.runStrategy;
      v.spec.running = true;
    }),
    after: edit(
      edit(vm(specWith(() => {})), (_s, v) => {
        delete v.spec.runStrategy;
        v.spec.running = true;
      }),
      sockets(2),
    ),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "run state: running: false with a cores change stops the VM; the change is staged",
    source: "rules §1.1 (stopVMI removes RestartRequired); §8 step 2",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: edit(vm(specWith(() => {})), (_s, v) => {
      delete v.spec.runStrategy;
      v.spec.running = true;
    }),
    after: edit(vm(specWith(() => {})), (s, v) => {
      delete v.spec.runStrategy;
      v.spec.running = false;
      s.domain!.cpu!.cores = 2;
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "staged", changes: { [CORES]: { outcome: "staged" } } },
  },
  {
    name: "run state: starting a stopped VM with new sockets: staged (it boots with them)",
    source: "rules §8 step 2",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith(() => {}),
      { running: false },
    ),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (s, v) => {
        v.spec.runStrategy = "Always";
        s.domain!.cpu!.sockets = 4;
      },
    ),
    expect: { outcome: "staged", changes: { [SOCKETS]: { outcome: "staged" } } },
  },
  {
    name: "completion: memory hotplug with only Evict and evictionStrategy None: the VM is restarted",
    source: "rules §9 Evict addendum (HotMemoryChange=True is a pending hotplug)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { methods: ["Evict"] }),
    before: oneSocket,
    after: edit(oneSocket, guest("2Gi")),
    vmi: vmiOf(oneSocket, { maxGuest: "4Gi" }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart" } } },
  },
  {
    name: "completion: a NIC hot-plug on a non-migratable VMI with only LiveMigrate is stuck",
    source: "v1.9.0 pkg/network/migration/evaluator.go (a new bridge interface needs a migration); rules §5.3",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => {
      s.domain!.devices!.interfaces!.push({ name: "blue", bridge: {} });
      s.networks!.push({ name: "blue", multus: { networkName: "blue-net" } });
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4, migratable: false }),
    expect: { outcome: "stuck", changes: { [INTERFACES]: { outcome: "stuck" } } },
  },
  {
    name: "network: dropping an interface that was already unplugged (state absent, gone from the VMI) is no change",
    source: "v1.9.0 pkg/network/vmliveupdate/restart.go (compares the VM with the VMI: nothing removed from the VMI)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: edit(withBlue, (s) => (s.domain!.devices!.interfaces![1]!.state = "absent")),
    after: edit(vm(specWith(() => {})), () => {}),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "none" },
  },
  {
    name: "volumes: v1.6.0 under Stage: a declarative hotplug volume gives RestartRequired (VM volumes differ from the VMI's)",
    source: "rules §1.1 (v1.5.0–v1.6.3 under Stage: ignored only if the VM volumes/disks equal the VMI's)",
    version: "v1.6.0",
    kubevirt: cluster("v1.6.0", { rollout: "Stage", gates: ["DeclarativeHotplugVolumes"] }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), addHotplugDataVolume),
    vmi: vmiOf(vm(specWith(() => {}))),
    expect: { outcome: "restart", changes: { [VOLUMES]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "volumes: v1.6.0 under LiveUpdate with DeclarativeHotplugVolumes: a hotplug DataVolume is attached live",
    source: "rules §1.6 (DeclarativeHotplugVolumes Alpha in v1.6.0; validated under LiveUpdate)",
    version: "v1.6.0",
    kubevirt: cluster("v1.6.0", { gates: ["DeclarativeHotplugVolumes"] }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), addHotplugDataVolume),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [VOLUMES]: { outcome: "live" } } },
  },
  {
    name: "volumes: flipping an existing hotpluggable volume to non-hotpluggable needs a restart",
    source: "v1.9.0 vm.go validLiveUpdateVolumes (the new volume is not hotplug and differs from the old one)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(addHotplugDataVolume)),
    after: edit(vm(specWith(addHotplugDataVolume)), (s) => {
      s.volumes!.find((v) => v.name === "hotplug-vol")!.dataVolume = { name: "hotplug-dv" };
    }),
    vmi: vmiOf(vm(specWith(addHotplugDataVolume)), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [VOLUMES]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "memory (predicted): a cluster maxGuest not 2Mi aligned disables memory hotplug",
    source: "rules §2.3 row 8 ('MaxGuest must be 2Mi aligned'), §3.3 (validator failure leaves maxGuest nil)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxGuest: "4097Mi" } }),
    before: oneSocket,
    after: edit(oneSocket, guest("2Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "memory (predicted): v1.2.2 computes maxGuest without the validator: 512Mi → 1Gi is live",
    source: "rules §3.3 (v1.2.x computed maxGuest without any validation)",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: vm(specWith(guest("512Mi"))),
    after: edit(vm(specWith(guest("512Mi"))), guest("1Gi")),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory (predicted): guest defaulted from requests.memory: adding memory.guest within 4× is live",
    source:
      "rules §2.1 (defaults set memory.guest from requests), §3.3 (maxGuest = guest × 4), §1.1 nil-tolerant memory",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(byRequests()),
    after: edit(vm(byRequests()), (s) => (s.domain!.memory = { guest: "4Gi" })),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory (predicted): guest defaulted from requests.memory: changing requests.memory needs a restart",
    source: "rules §1.1 (resources are not live-updatable)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(byRequests()),
    after: edit(vm(byRequests()), (s) => (s.domain!.resources = { requests: { memory: "4Gi" } })),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { "spec.template.spec.domain.resources.requests.memory": { outcome: "restart", reason: MSG.template } },
    },
  },
  {
    name: "memory (predicted): v1.9 with the Stage rollout: no hotplug defaults, and memory needs a restart anyway",
    source: "rules §3.1 (setupHotplug only under LiveUpdate), §1.1 Stage",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: oneSocket,
    after: edit(oneSocket, guest("2Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.template } },
    },
  },
];

const withCdromIso = vm(
  specWith((s) => {
    s.volumes!.push({ name: "iso", dataVolume: { name: "iso-dv", hotpluggable: true } });
    s.domain!.devices!.disks!.push({ name: "iso", cdrom: { bus: "sata" } });
  }),
);
const dropCdrom = (s: VmiSpec) => {
  s.volumes = s.volumes!.filter((v) => v.name !== "iso");
  s.domain!.devices!.disks = s.domain!.devices!.disks!.filter((d) => d.name !== "iso");
};

/** The CD-ROM removal rule arrived as a backport: v1.6.3 vs v1.6.4 (vm.go validLiveUpdateDisks). */
export const cdromScenarios: Scenario[] = [
  {
    name: "cdrom: v1.6.3 with DeclarativeHotplugVolumes: removing a CD-ROM drive with a hotplug ISO is detached live",
    source:
      "v1.6.3 vm.go validLiveUpdateDisks (a removed disk is valid when its volume is hotplug; no CD-ROM rule yet)",
    version: "v1.6.3",
    kubevirt: cluster("v1.6.3", { gates: ["DeclarativeHotplugVolumes"] }),
    before: withCdromIso,
    after: edit(withCdromIso, dropCdrom),
    vmi: vmiOf(withCdromIso, { maxSockets: 4 }),
    expect: { outcome: "live" },
  },
  {
    name: "cdrom: v1.6.4 with DeclarativeHotplugVolumes: removing a CD-ROM drive entirely needs a restart",
    source: "v1.6.4 vm.go validLiveUpdateDisks ('if a CDRom disk was removed from VM spec, a restart is required')",
    version: "v1.6.4",
    kubevirt: cluster("v1.6.4", { gates: ["DeclarativeHotplugVolumes"] }),
    before: withCdromIso,
    after: edit(withCdromIso, dropCdrom),
    vmi: vmiOf(withCdromIso, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.domain.devices.disks": { outcome: "restart", reason: MSG.template } },
    },
  },
  {
    name: "cdrom: v1.9 injecting an ISO into an empty CD-ROM drive is live",
    source: "rules §1.6 (CD-ROM inject/eject is valid: the disk is kept and the hotplug volume is added)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: edit(withCdromIso, (s) => (s.volumes = s.volumes!.filter((v) => v.name !== "iso"))),
    after: edit(withCdromIso, () => {}),
    vmi: vmiOf(
      edit(withCdromIso, (s) => (s.volumes = s.volumes!.filter((v) => v.name !== "iso"))),
      { maxSockets: 4 },
    ),
    expect: { outcome: "live", changes: { "spec.template.spec.volumes": { outcome: "live" } } },
  },
];

/** The version read from the KubeVirt CR's status, and a VMI on its way out. */
export const statusScenarios: Scenario[] = [
  {
    name: "version from the CR: v1.5.3 with the rollout unset (Stage): sockets need a restart",
    source:
      "rules §4.1 (default Stage before v1.6); PlanInput.version absent → kubevirt.status.observedKubeVirtVersion",
    version: "v1.5.3",
    versionFromKubeVirt: true,
    kubevirt: cluster("v1.5.3"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), sockets(2)),
    vmi: vmiOf(vm(specWith(() => {}))),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "version from the CR: v1.6.2 with the rollout unset (LiveUpdate): sockets are live",
    source: "rules §4.1 v1.6.0 (default LiveUpdate); PlanInput.version absent → observedKubeVirtVersion",
    version: "v1.6.2",
    versionFromKubeVirt: true,
    kubevirt: cluster("v1.6.2"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), sockets(2)),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "version from the CR: v1.2.2 with LiveUpdate but no gate: sockets need a restart",
    source: "rules §4.1 v1.2.0 (IsVMRolloutStrategyLiveUpdate needs the gate)",
    version: "v1.2.2",
    versionFromKubeVirt: true,
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate", gate: false }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), sockets(2)),
    vmi: vmiOf(vm(specWith(() => {}))),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "lifecycle: a VMI being deleted (a restart in progress): the socket change applies to the next VMI",
    source:
      "v1.9.0 vm.go handleCPUChangeRequest / handleMemoryHotplugRequest / handleAffinityChangeRequest ('if vmi == nil || vmi.DeletionTimestamp != nil { return nil }'); rules §1.3 step 1; §1.1 (RR removed when the new VMI starts)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), sockets(2)),
    vmi: (() => {
      const v = vmiOf(vm(specWith(() => {})), { maxSockets: 4 });
      return { ...v, metadata: { ...v.metadata, deletionTimestamp: "2026-11-22T03:00:00Z" } };
    })(),
    expect: { outcome: "staged", changes: { [SOCKETS]: { outcome: "staged" } } },
  },
];
