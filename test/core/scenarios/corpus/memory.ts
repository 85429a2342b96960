import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import { GUEST, MAX_GUEST, MSG, cluster, edit, specWith, vm, vmiOf, type Scenario } from "../builders";

const VM_TEST = "pkg/virt-controller/watch/vm/vm_test.go";
const MEM_E2E = "tests/hotplug/memory.go";

const guest = (q: string) => (s: VmiSpec) => {
  s.domain!.memory!.guest = q;
};
const oneGi = vm(specWith(guest("1Gi")));
const twoGi = vm(specWith(guest("2Gi")));

function arm(q: string, extra: (s: VmiSpec) => void = () => {}) {
  return vm(
    specWith((s) => {
      s.architecture = "arm64";
      s.domain!.memory!.guest = q;
      extra(s);
    }),
  );
}

export const memoryScenarios: Scenario[] = [
  {
    name: "memory: guest 1Gi→2Gi within the computed maxGuest is hot-plugged",
    source: `${MEM_E2E} [test_id:10823] should successfully hotplug memory`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: a decrease that stays at or above guestAtBoot is a live hot-unplug",
    source: "rules §1.4 step 9 (virtio-mem unplug)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, guest("1536Mi")),
    vmi: vmiOf(twoGi, { maxGuest: "4Gi", guestAtBoot: "1Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: a decrease below guestAtBoot needs a restart",
    source: `${VM_TEST} should set a restartRequired condition if the memory decreased from start`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, guest("1Gi")),
    vmi: vmiOf(twoGi, { maxGuest: "8Gi" }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memLower } } },
  },
  {
    name: "memory: guest above the VMI's computed maxGuest: the validator's RestartRequired",
    source: `${VM_TEST} should appear when VM doesn't specify maxGuest and guest memory goes above cluster-wide maxGuest; rules §1.4 step 8`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("5Gi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: { [GUEST]: { outcome: "restart", reason: `${MSG.memNotSupported}${MSG.memAboveMax}` } },
    },
  },
  {
    name: "memory: guest above an explicit maxGuest is rejected at admission",
    source: "rules §2.1 (explicit maxGuest runs ValidateLiveUpdateMemory under LiveUpdate)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" }))),
    after: edit(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" }))), guest("5Gi")),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" })))),
    expect: {
      outcome: "rejected",
      admission: MSG.memAboveMax,
      changes: { [GUEST]: { outcome: "rejected", reason: MSG.memAboveMax } },
    },
  },
  {
    name: "memory: an explicit maxGuest above guest under Stage is not validated; the change needs a restart",
    source: "rules §2.1 (the memory validator runs only under LiveUpdate); §1.1 Stage",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" }))),
    after: edit(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" }))), guest("5Gi")),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" })))),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "memory: below 1Gi with a maxGuest on the VMI: the 1Gi rule (v1.4+)",
    source: "rules §2.3 row 10; §1.4 step 8 (validator before the guestAtBoot check)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("768Mi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: { [GUEST]: { outcome: "restart", reason: `${MSG.memNotSupported}${MSG.mem1Gi}` } },
    },
  },
  {
    name: "memory: v1.3.0 has no 1Gi rule: the guestAtBoot check answers",
    source: "rules §2.3 row 10 (added in v1.4.0); §1.4 step 9",
    version: "v1.3.0",
    kubevirt: cluster("v1.3.0", { rollout: "LiveUpdate" }),
    before: oneGi,
    after: edit(oneGi, guest("768Mi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memLower } } },
  },
  {
    name: "memory: guest not 2Mi aligned",
    source: "rules §2.3 row 7; memory_test.go (pkg/liveupdate/memory)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("1025Mi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: {
      outcome: "restart",
      changes: { [GUEST]: { outcome: "restart", reason: `${MSG.memNotSupported}${MSG.mem2Mi}` } },
    },
  },
  {
    name: "memory: 1Gi hugepages with requests.memory: a 1Gi-multiple guest is live",
    source: "rules §2.3 (hugepages allowed since v1.3.0, 1Gi alignment); tests/hotplug/memory.go hugepages",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(hugepages()),
    after: edit(vm(hugepages()), guest("3Gi")),
    vmi: vmiOf(vm(hugepages()), { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: 1Gi hugepages with requests.memory: a non-1Gi guest gives the 1Gi-aligned RestartRequired",
    source: "rules §1.4 step 8, §9 hugepages addendum",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(hugepages()),
    after: edit(vm(hugepages()), guest("2560Mi")),
    vmi: vmiOf(vm(hugepages()), { maxGuest: "8Gi" }),
    expect: {
      outcome: "restart",
      changes: { [GUEST]: { outcome: "restart", reason: `${MSG.memNotSupported}${MSG.mem1GiAligned}` } },
    },
  },
  {
    name: "memory: 1Gi hugepages without requests.memory: a non-1Gi guest is rejected",
    source: "rules §9 (validateHugepagesMemoryRequests applies to guest when requests.memory is unset)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(hugepagesNoRequests()),
    after: edit(vm(hugepagesNoRequests()), guest("2560Mi")),
    vmi: vmiOf(vm(hugepagesNoRequests()), { maxGuest: "8Gi" }),
    expect: { outcome: "rejected", admission: "is not a multiple of the page size" },
  },
  {
    name: "memory: a non-migratable VMI cannot hot-plug memory",
    source: `${VM_TEST} should set a restartRequired condition if VM is not migratable`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi", migratable: false }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memMigratable } } },
  },
  {
    name: "memory: an earlier memory hotplug failed (HotMemoryChange=False)",
    source: `${VM_TEST} should set a restartRequired condition if memory hotplug failed`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi, {
      maxGuest: "4Gi",
      conditions: [
        {
          type: "HotMemoryChange",
          status: "False",
          reason: "Memory Hotplug Failed",
          message: "memory hotplug failed, the VM configuration is not supported",
        },
      ],
    }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memFailed } } },
  },
  {
    name: "memory: a VMI without maxGuest (memory hotplug disabled at boot)",
    source: `${VM_TEST} should set a restartRequired condition if VM does not support memory hotplug`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } } },
  },
  {
    name: "memory: a memory hotplug in progress: still live, KubeVirt retries",
    source: `${VM_TEST} should not patch VMI if memory hotplug is already in progress; rules §1.4 step 6`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, guest("3Gi")),
    vmi: vmiOf(twoGi, {
      maxGuest: "8Gi",
      guestAtBoot: "1Gi",
      guestCurrent: "1Gi",
      conditions: [{ type: "HotMemoryChange", status: "True" }],
    }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live", reason: MSG.memInProgress } } },
  },
  {
    name: "memory: editing maxGuest of a running VM needs a restart",
    source: "rules §1.9.2",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" }))),
    after: edit(
      vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" }))),
      (s) => (s.domain!.memory!.maxGuest = "8Gi"),
    ),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4Gi" })))),
    expect: { outcome: "restart", changes: { [MAX_GUEST]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "memory: copying the VMI-defaulted maxGuest into the VM still needs a restart",
    source: "rules §1.9.3 (issue #17610; PR #19036 unmerged)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, (s) => (s.domain!.memory!.maxGuest = "8Gi")),
    vmi: vmiOf(twoGi, { maxGuest: "8Gi" }),
    expect: { outcome: "restart", changes: { [MAX_GUEST]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "memory: a cluster switched from Stage to LiveUpdate: the VMI has no maxGuest",
    source: "rules §1.9.4 (issue #16738)",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0", { rollout: "LiveUpdate" }),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } } },
  },
  {
    name: "memory: guest above limits.memory under Stage is rejected",
    source: "rules §2.1 validateGuestMemoryLimit",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: vm(limits()),
    after: edit(vm(limits()), guest("3Gi")),
    vmi: vmiOf(vm(limits())),
    expect: { outcome: "rejected", admission: "must be equal to or less than the memory limit" },
  },
  {
    name: "memory: guest above limits.memory under LiveUpdate is allowed and hot-plugged (v1.3+)",
    source: "rules §2.1 (validateGuestMemoryLimit skipped under LiveUpdate since v1.3.0)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(limits()),
    after: edit(vm(limits()), guest("3Gi")),
    vmi: vmiOf(vm(limits()), { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: v1.2.0 checks guest against limits.memory even under LiveUpdate",
    source:
      "v1.2.0 vmi-create-admitter.go validateGuestMemoryLimit (no rollout check; the LiveUpdate skip arrived in v1.2.1)",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: vm(limits()),
    after: edit(vm(limits()), guest("3Gi")),
    vmi: vmiOf(vm(limits()), { maxGuest: "8Gi" }),
    expect: { outcome: "rejected", admission: "must be equal to or less than the memory limit" },
  },
  {
    name: "memory: v1.2.1 skips the limits.memory check under LiveUpdate and hot-plugs",
    source: "v1.2.1 vmi-create-admitter.go validateGuestMemoryLimit (returns early when IsVMRolloutStrategyLiveUpdate)",
    version: "v1.2.1",
    kubevirt: cluster("v1.2.1", { rollout: "LiveUpdate" }),
    before: vm(limits()),
    after: edit(vm(limits()), guest("3Gi")),
    vmi: vmiOf(vm(limits()), { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: v1.2.1 under Stage checks guest against limits.memory",
    source: "v1.2.1 vmi-create-admitter.go validateGuestMemoryLimit",
    version: "v1.2.1",
    kubevirt: cluster("v1.2.1", { rollout: "Stage" }),
    before: vm(limits()),
    after: edit(vm(limits()), guest("3Gi")),
    vmi: vmiOf(vm(limits())),
    expect: { outcome: "rejected", admission: "must be equal to or less than the memory limit" },
  },
  {
    name: "memory: v1.2.2 hot-plugs memory under LiveUpdate with the gate",
    source: "rules §1.4 v1.2.x (no migratable check, no validator)",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: v1.2.2 with an explicit maxGuest and dedicated CPUs is rejected",
    source: 'rules §2.3 ("Memory hotplug is not compatible with dedicated CPUs" until v1.3.0)',
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: vm(dedicatedMem()),
    after: edit(vm(dedicatedMem()), guest("3Gi")),
    vmi: vmiOf(vm(dedicatedMem())),
    expect: { outcome: "rejected", admission: "Memory hotplug is not compatible with dedicated CPUs" },
  },
  {
    name: "memory: v1.3.0 allows memory hotplug with dedicated CPUs",
    source: "rules §2.3 (rule removed in v1.3.0, commit 33a0cfd22a)",
    version: "v1.3.0",
    kubevirt: cluster("v1.3.0", { rollout: "LiveUpdate" }),
    before: vm(dedicatedMem()),
    after: edit(vm(dedicatedMem()), guest("3Gi")),
    vmi: vmiOf(vm(dedicatedMem())),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: a non-migratable VMI on v1.2.2 gets the memory patched and never completes",
    source: "rules §1.4 v1.2.x (no migratable check); §1.3 note / §5.3 (no LiveMigratable → no migration)",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: oneGi,
    after: edit(oneGi, guest("2Gi")),
    vmi: vmiOf(oneGi, { maxGuest: "4Gi", migratable: false }),
    expect: { outcome: "stuck", changes: { [GUEST]: { outcome: "stuck" } } },
  },
  // arm64 by version (rules §2.3 row 9, §2.5, §3.1)
  {
    name: "memory: arm64 on v1.9: the mutator left maxGuest nil",
    source: "rules §2.5 (arm64 skips setupHotplug)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: arm("2Gi"),
    after: edit(arm("2Gi"), guest("3Gi")),
    vmi: vmiOf(arm("2Gi")),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } } },
  },
  {
    name: "memory (predicted): arm64 on v1.9: no maxGuest, no hotplug",
    source: "rules §2.5, §3.3 (arm64 → nil)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: arm("2Gi"),
    after: edit(arm("2Gi"), guest("3Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "memory (predicted): arm64 on v1.5.1 gets a computed maxGuest and hot-plugs (validator allows arm64)",
    source: "rules §2.3 row 9 (x86_64 and arm64 in v1.3.0–v1.5.2); §3.1 (arm64 skip from v1.5.2)",
    version: "v1.5.1",
    kubevirt: cluster("v1.5.1", { rollout: "LiveUpdate", defaultArchitecture: "arm64" }),
    before: arm("2Gi"),
    after: edit(arm("2Gi"), guest("3Gi")),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory (predicted): arm64 on v1.5.2: hotplug defaults skipped, maxGuest nil",
    source: "rules §3.1 (from v1.5.2 not arm64); defaults.go SetDefaultVirtualMachineInstance v1.5.2",
    version: "v1.5.2",
    kubevirt: cluster("v1.5.2", { rollout: "LiveUpdate", defaultArchitecture: "arm64" }),
    before: arm("2Gi"),
    after: edit(arm("2Gi"), guest("3Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "memory: arm64 with an explicit maxGuest on v1.6.0 hot-plugs (validator still allows arm64)",
    source: "rules §2.3 row 9 (v1.6.0 allows arm64)",
    version: "v1.6.0",
    kubevirt: cluster("v1.6.0", { gates: ["MultiArchitecture"] }),
    before: arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi")),
    after: edit(
      arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi")),
      guest("3Gi"),
    ),
    vmi: vmiOf(arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi"))),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory: arm64 with an explicit maxGuest on v1.6.1 is rejected (amd64 only)",
    source: "rules §2.3 row 9 (amd64-only again from v1.6.1)",
    version: "v1.6.1",
    kubevirt: cluster("v1.6.1", { gates: ["MultiArchitecture"] }),
    before: arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi")),
    after: edit(
      arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi")),
      guest("3Gi"),
    ),
    vmi: vmiOf(arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi"))),
    expect: { outcome: "rejected", admission: MSG.memX86 },
  },
  {
    name: "memory: arm64 with an explicit maxGuest on v1.5.3 is rejected (amd64 only)",
    source: "rules §2.3 row 9 (amd64-only from v1.5.3)",
    version: "v1.5.3",
    kubevirt: cluster("v1.5.3", { rollout: "LiveUpdate", defaultArchitecture: "arm64" }),
    before: arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi")),
    after: edit(
      arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi")),
      guest("3Gi"),
    ),
    vmi: vmiOf(arm("2Gi", (s) => (s.domain!.memory!.maxGuest = "8Gi"))),
    expect: { outcome: "rejected", admission: MSG.memX86 },
  },
  // predicted maxGuest (rules §3.3)
  {
    name: "memory (predicted): 512Mi guest on v1.4.0: maxGuest dropped by the 1Gi rule",
    source: "vmi-mutator_test.go maxGuest table: guest 512Mi → nil",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0", { rollout: "LiveUpdate" }),
    before: vm(specWith(guest("512Mi"))),
    after: edit(vm(specWith(guest("512Mi"))), guest("1Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "memory (predicted): 512Mi guest on v1.3.0: maxGuest 2Gi, hot-plug to 1Gi",
    source: "rules §2.3 row 10 (1Gi minimum only from v1.4.0); §3.3",
    version: "v1.3.0",
    kubevirt: cluster("v1.3.0", { rollout: "LiveUpdate" }),
    before: vm(specWith(guest("512Mi"))),
    after: edit(vm(specWith(guest("512Mi"))), guest("1Gi")),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory (predicted): guest 1Gi with ratio 2: maxGuest 2Gi, 3Gi is too much",
    source: "vmi-mutator_test.go maxGuest table: ratio 2, guest 1Gi → 2Gi",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxHotplugRatio: 2 } }),
    before: oneGi,
    after: edit(oneGi, guest("3Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memAboveMax } },
    },
  },
  {
    name: "memory (predicted): cluster maxGuest 10Gi for a 1Gi guest",
    source: "vmi-mutator_test.go maxGuest table: cluster maxGuest 10Gi, guest 1Gi → 10Gi",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxGuest: "10Gi" } }),
    before: oneGi,
    after: edit(oneGi, guest("8Gi")),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "memory (predicted): a cluster maxGuest below guest disables hotplug (not raised)",
    source: "rules §3.3 (unlike CPU, a cluster maxGuest below guest is not raised)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxGuest: "1Gi" } }),
    before: twoGi,
    after: edit(twoGi, guest("3Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
  {
    name: "memory (predicted): realtime VM: maxGuest nil",
    source: "vmi-mutator_test.go maxGuest table: realtime → nil",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(realtime()),
    after: edit(vm(realtime()), guest("4Gi")),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [GUEST]: { outcome: "restart", reason: MSG.memNotAvailable } },
    },
  },
];

function hugepages(): VmiSpec {
  return specWith((s) => {
    s.domain!.memory = { guest: "2Gi", hugepages: { pageSize: "1Gi" } };
    s.domain!.resources = { requests: { memory: "2Gi" } };
  });
}

function hugepagesNoRequests(): VmiSpec {
  return specWith((s) => {
    s.domain!.memory = { guest: "2Gi", hugepages: { pageSize: "1Gi" } };
  });
}

function limits(): VmiSpec {
  return specWith((s) => {
    s.domain!.resources = { requests: { memory: "2Gi" }, limits: { memory: "2Gi" } };
  });
}

function dedicatedMem(): VmiSpec {
  return specWith((s) => {
    s.domain!.cpu = { sockets: 1, cores: 2, threads: 1, dedicatedCpuPlacement: true };
    s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi" };
  });
}

function realtime(): VmiSpec {
  return specWith((s) => {
    s.domain!.cpu = {
      sockets: 1,
      cores: 2,
      threads: 1,
      dedicatedCpuPlacement: true,
      realtime: {},
      numa: { guestMappingPassthrough: {} },
    };
    s.domain!.memory = { guest: "2Gi", hugepages: { pageSize: "2Mi" } };
  });
}
