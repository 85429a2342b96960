import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import { GUEST, MSG, SOCKETS, cluster, edit, specWith, vm, vmiOf, type Scenario } from "../builders";

/** Scenarios shaped like KubeVirt's hotplug e2e tests (v1.9.0 tests/hotplug/*.go). */

const MEM_E2E = "v1.9.0 tests/hotplug/memory.go";
const CPU_E2E = "v1.9.0 tests/hotplug/cpu.go";

/** createHotplugVM(sockets 1, maxSockets 2): guest 1Gi, sockets 1 of max 2. */
const hotplugVm = vm(
  specWith((s) => {
    s.domain!.cpu = { sockets: 1, cores: 1, threads: 1, maxSockets: 2 };
    s.domain!.memory = { guest: "1Gi" };
  }),
);
/** An Alpine VM with a memory request of 1Gi and an empty memory stanza. */
const requestOnly = vm(
  specWith((s) => {
    s.domain!.memory = {};
    s.domain!.resources = { requests: { memory: "1Gi" } };
  }),
);
const requestOnlyVmi = vmiOf(requestOnly, {
  maxSockets: 4,
  mutate: (s: VmiSpec) => (s.domain!.memory = { guest: "1Gi", maxGuest: "4Gi" }),
});
/** A VM sized by a CPU request of 5 and no topology: the VMI boots with 5 sockets. */
const cpuRequest = vm(
  specWith((s) => {
    delete s.domain!.cpu;
    s.domain!.resources = { requests: { cpu: "5000m" } };
  }),
);
/** [test_id:6547]: sockets 1, cores 2, maxSockets 2. */
const abortVm = vm(specWith((s) => (s.domain!.cpu = { sockets: 1, cores: 2, threads: 1, maxSockets: 2 })));

export const e2eScenarios: Scenario[] = [
  {
    name: "e2e: memory 1Gi→1042Mi and sockets 1→2 in one patch are both hot-plugged",
    source: `${MEM_E2E} [test_id:10825] should successfully hotplug Memory and CPU in parallel`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: hotplugVm,
    after: edit(hotplugVm, (s) => {
      s.domain!.memory!.guest = "1042Mi";
      s.domain!.cpu!.sockets = 2;
    }),
    vmi: vmiOf(hotplugVm, { maxGuest: "4Gi" }),
    expect: {
      outcome: "live",
      changes: { [GUEST]: { outcome: "live" }, [SOCKETS]: { outcome: "live" } },
      steps: null,
    },
  },
  {
    name: "e2e (predicted): the same parallel hotplug without a VMI",
    source: `${MEM_E2E} [test_id:10825]`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: hotplugVm,
    after: edit(hotplugVm, (s) => {
      s.domain!.memory!.guest = "1042Mi";
      s.domain!.cpu!.sockets = 2;
    }),
    expect: { outcome: "live", predicted: true },
  },
  {
    name: "e2e: adding memory.guest to a VM sized by requests.memory is hot-plugged",
    source: `${MEM_E2E} should successfully hotplug memory when adding guest.memory to a VM`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: requestOnly,
    after: edit(requestOnly, (s) => (s.domain!.memory = { guest: "1042Mi" })),
    vmi: requestOnlyVmi,
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "e2e (predicted): adding memory.guest to a VM sized by requests.memory (guest and maxGuest defaulted)",
    source: `${MEM_E2E} should successfully hotplug memory when adding guest.memory to a VM; rules §3.3`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: requestOnly,
    after: edit(requestOnly, (s) => (s.domain!.memory = { guest: "1042Mi" })),
    expect: { outcome: "live", predicted: true, changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "e2e: a second memory hotplug (1028Mi→1042Mi) after a first one is live",
    source: `${MEM_E2E} should successfully hotplug memory twice`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.memory = { guest: "1028Mi" }))),
    after: edit(vm(specWith((s) => (s.domain!.memory = { guest: "1028Mi" }))), (s) => {
      s.domain!.memory!.guest = "1042Mi";
    }),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory = { guest: "1028Mi" }))), {
      maxGuest: "4Gi",
      guestAtBoot: "1Gi",
    }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "e2e: a VM sized by a CPU request (5 sockets at boot): adding a cpu topology needs a restart",
    source: `${CPU_E2E} with requests without topology; rules §1.9.1 (the cpu stanza appears)`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: cpuRequest,
    after: edit(cpuRequest, (s) => (s.domain!.cpu = { sockets: 6 })),
    vmi: vmiOf(cpuRequest, { maxSockets: 20, mutate: (s) => (s.domain!.cpu = { sockets: 5, cores: 1, threads: 1 }) }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "e2e: a VM sized by a CPU request: raising the request needs a restart",
    source: `${CPU_E2E} with requests without topology; rules §1.1 (resources)`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: cpuRequest,
    after: edit(cpuRequest, (s) => (s.domain!.resources = { requests: { cpu: "6" } })),
    vmi: vmiOf(cpuRequest, { maxSockets: 20, mutate: (s) => (s.domain!.cpu = { sockets: 5, cores: 1, threads: 1 }) }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.domain.resources.requests.cpu": { outcome: "restart", reason: MSG.template } },
    },
  },
  {
    name: "e2e (predicted): cluster maxCpuSockets 2 and a 3-socket VM: it boots with maxSockets 3, a 4th socket needs a restart",
    source: `${CPU_E2E} with Kubevirt CR declaring MaxCpuSockets; vmi-mutator_test.go maxCpuSockets 2, sockets 3 → 3`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxCpuSockets: 2 } }),
    before: vm(specWith((s) => (s.domain!.cpu = { sockets: 3, cores: 1, threads: 1 }))),
    after: edit(vm(specWith((s) => (s.domain!.cpu = { sockets: 3, cores: 1, threads: 1 }))), (s) => {
      s.domain!.cpu!.sockets = 4;
    }),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
    },
  },
  {
    name: "e2e: cores 2, sockets 1→2 of maxSockets 2 is hot-plugged",
    source: `${CPU_E2E} [test_id:6547] should cancel the automated workload update (the hotplug it starts)`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: abortVm,
    after: edit(abortVm, (s) => (s.domain!.cpu!.sockets = 2)),
    vmi: vmiOf(abortVm),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
];

const stopped = (mutate: (s: VmiSpec) => void) => vm(specWith(mutate), { running: false });
const dedicated = (s: VmiSpec) => {
  s.domain!.cpu = { sockets: 1, cores: 2, threads: 1, dedicatedCpuPlacement: true };
};

/** Admission rules that decide a VM update before any controller runs (rules §2, §6.1). */
export const admissionScenarios: Scenario[] = [
  {
    name: "admission: realtime without dedicatedCpuPlacement is rejected",
    source: "rules §6.1 validateRealtime",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: stopped(() => {}),
    after: edit(
      stopped(() => {}),
      (s) => (s.domain!.cpu!.realtime = {}),
    ),
    expect: {
      outcome: "rejected",
      admission: "must be set to true when spec.template.spec.domain.cpu.realtime is used",
    },
  },
  {
    name: "admission: isolateEmulatorThread without dedicatedCpuPlacement is rejected",
    source: "rules §6.1 validateCPUIsolatorThread",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: stopped(() => {}),
    after: edit(
      stopped(() => {}),
      (s) => (s.domain!.cpu!.isolateEmulatorThread = true),
    ),
    expect: {
      outcome: "rejected",
      admission: "IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement",
    },
  },
  {
    name: "admission: three threads with dedicated CPUs are rejected",
    source: "rules §6.1 ('Not more than two threads must be provided ... when DedicatedCPUPlacement is true')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: stopped(dedicated),
    after: edit(stopped(dedicated), (s) => (s.domain!.cpu!.threads = 3)),
    expect: { outcome: "rejected", admission: "Not more than two threads must be provided" },
  },
  {
    name: "admission: NUMA passthrough on v1.3 without the NUMA gate is rejected",
    source: "rules §6.1 validateNUMA (the NUMA gate is needed before v1.4)",
    version: "v1.3.0",
    kubevirt: cluster("v1.3.0"),
    before: stopped(dedicated),
    after: edit(stopped(dedicated), (s) => {
      s.domain!.cpu!.numa = { guestMappingPassthrough: {} };
      s.domain!.memory = { guest: "2Gi", hugepages: { pageSize: "2Mi" } };
    }),
    expect: { outcome: "rejected", admission: "NUMA feature gate is not enabled" },
  },
  {
    name: "admission: NUMA passthrough on v1.4 (gate GA) with dedicated CPUs and hugepages is accepted",
    source: "rules §4.1 v1.4.0 (NUMA gate GA), §6.1",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0"),
    before: stopped(dedicated),
    after: edit(stopped(dedicated), (s) => {
      s.domain!.cpu!.numa = { guestMappingPassthrough: {} };
      s.domain!.memory = { guest: "2Gi", hugepages: { pageSize: "2Mi" } };
    }),
    expect: { outcome: "staged" },
  },
  {
    name: "admission: an explicit maxGuest on a realtime VM is rejected under LiveUpdate",
    source: "rules §2.3 row 1 ('Memory hotplug is not compatible with realtime VMs')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: stopped(() => {}),
    after: edit(
      stopped(() => {}),
      (s) => {
        s.domain!.cpu = {
          sockets: 1,
          cores: 2,
          threads: 1,
          dedicatedCpuPlacement: true,
          realtime: {},
          numa: { guestMappingPassthrough: {} },
        };
        s.domain!.memory = { guest: "2Gi", maxGuest: "8Gi", hugepages: { pageSize: "2Mi" } };
      },
    ),
    expect: { outcome: "rejected", admission: "Memory hotplug is not compatible with realtime VMs" },
  },
  {
    name: "admission: an explicit maxGuest that is not 2Mi aligned is rejected under LiveUpdate",
    source: "rules §2.3 row 8 ('MaxGuest must be 2Mi aligned')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: stopped(() => {}),
    after: edit(
      stopped(() => {}),
      (s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4097Mi" }),
    ),
    expect: { outcome: "rejected", admission: "MaxGuest must be 2Mi aligned" },
  },
  {
    name: "admission: an explicit maxGuest not 2Mi aligned under Stage is not validated",
    source: "rules §2.1 (the memory validator runs at VM admission only under LiveUpdate)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: stopped(() => {}),
    after: edit(
      stopped(() => {}),
      (s) => (s.domain!.memory = { guest: "2Gi", maxGuest: "4097Mi" }),
    ),
    expect: { outcome: "staged" },
  },
  {
    name: "admission: dedicated CPUs without any memory size are rejected",
    source: "rules §6.1 validateCpuPinning (memory must be provided)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: stopped(() => {}),
    after: edit(
      stopped(() => {}),
      (s) => {
        dedicated(s);
        delete s.domain!.memory;
      },
    ),
    expect: { outcome: "rejected", admission: "should be provided" },
  },
];

/** validateRunStrategy (vms-admitter.go, every version v1.0–v1.9). */
export const runStrategyScenarios: Scenario[] = [
  {
    name: "admission: a new VM with neither running nor runStrategy is rejected",
    source:
      "v1.9.0 vms-admitter.go validateRunStrategy ('RunStrategy must be specified'; v1.0–v1.3: 'One of Running or RunStrategy must be specified'); the VM mutator sets no default",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (_s, v) => delete v.spec.runStrategy,
    ),
    expect: { outcome: "rejected", admission: "RunStrategy must be specified" },
  },
  {
    name: "admission: v1.3 rejects a new VM with neither running nor runStrategy",
    source: "v1.3.0 vms-admitter.go validateRunStrategy ('One of Running or RunStrategy must be specified')",
    version: "v1.3.0",
    kubevirt: cluster("v1.3.0"),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (_s, v) => delete v.spec.runStrategy,
    ),
    expect: { outcome: "rejected", admission: "One of Running or RunStrategy must be specified" },
  },
  {
    name: "admission: running and runStrategy together are rejected",
    source:
      "v1.9.0 vms-admitter.go validateRunStrategy ('Running and RunStrategy are mutually exclusive. Note that Running is deprecated, please use RunStrategy instead'); same rule in v1.0.0 and v1.5.0",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (_s, v) => {
      v.spec.running = true;
      v.spec.runStrategy = "Always";
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "rejected", admission: "Running and RunStrategy are mutually exclusive" },
  },
  {
    name: "admission: an unknown runStrategy is rejected",
    source: "v1.9.0 vms-admitter.go validateRunStrategy ('Invalid RunStrategy (%s)')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (_s, v) => {
      (v.spec as Record<string, unknown>).runStrategy = "Sometimes";
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "rejected", admission: "Invalid RunStrategy (Sometimes)" },
  },
  {
    name: "volumes: v1.5.0 under LiveUpdate: a hotpluggable volume in the template gives no RR but nothing attaches it before a restart",
    source:
      "v1.5.0 vm.go (validLiveUpdateVolumes accepts hotplug volumes under LiveUpdate; handleDeclarativeVolumeHotplug only exists from v1.6.0)",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0", { rollout: "LiveUpdate" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => {
      s.volumes!.push({ name: "hotplug-vol", dataVolume: { name: "hotplug-dv", hotpluggable: true } });
      s.domain!.devices!.disks!.push({ name: "hotplug-vol", disk: { bus: "scsi" } });
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "restart" },
  },
];

/** A running VM that takes its size from an instance type (no cpu/memory in the template). */
const typed = vm(
  specWith((s) => {
    delete s.domain!.cpu;
    delete s.domain!.memory;
  }),
  { vmSpec: { instancetype: { name: "u1.medium" } } },
);

/** pkg/instancetype/apply validateCPU / validateMemory: template fields the instance type owns (any content). */
export const instancetypeConflictScenarios: Scenario[] = [
  {
    name: "instancetype: setting template cpu.sockets on a VM with an instance type is rejected (conflict)",
    source:
      "v1.9.0 pkg/instancetype/apply/cpu.go validateCPU (sockets != 0 is a conflict whatever the instance type says); conflict.go 'VM field(s) %s conflicts with selected instance type'",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: typed,
    after: edit(typed, (s) => (s.domain!.cpu = { sockets: 2 })),
    vmi: vmiOf(typed, { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "VM field(s) spec.template.spec.domain.cpu.sockets conflicts with selected instance type",
    },
  },
  {
    name: "instancetype: setting template memory.guest on a VM with an instance type is rejected (conflict)",
    source: "v1.5.0 pkg/instancetype/apply/memory.go validateMemory (memory.guest is always a conflict)",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0", { rollout: "LiveUpdate" }),
    before: typed,
    after: edit(typed, (s) => (s.domain!.memory = { guest: "4Gi" })),
    vmi: vmiOf(typed),
    expect: { outcome: "rejected", admission: "conflicts with selected instance type" },
  },
  {
    name: "instancetype: setting template resources.requests.cpu on a VM with an instance type is rejected (conflict)",
    source: "v1.9.0 pkg/instancetype/apply/cpu.go validateCPU (requests.cpu is always a conflict)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: typed,
    after: edit(typed, (s) => (s.domain!.resources = { requests: { cpu: "2" } })),
    vmi: vmiOf(typed, { maxSockets: 4 }),
    expect: { outcome: "rejected", admission: "conflicts with selected instance type" },
  },
  {
    name: "instancetype: v1.2.0 under Stage: a matcher change is not compared and applies at the next start",
    source: "rules §1.1 (the matcher itself is not compared; v1.2.0 has no matcher RR)",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "Stage" }),
    before: typed,
    after: edit(typed, (_s, v) => (v.spec.instancetype = { name: "u1.large" })),
    vmi: vmiOf(typed),
    expect: { outcome: "restart" },
  },
];

/** Feature-gate resolution in v1.9 (featuregate.IsEnabled: GA > explicit enable > explicit disable > Beta). */
export const gateScenarios: Scenario[] = [
  {
    name: "gates: v1.9 with DeclarativeHotplugVolumes disabled: a hotplug volume in the template is not attached live",
    source: "v1.9.0 featuregate.IsEnabled (an explicit disable beats Beta); vm.go handleDeclarativeVolumeHotplug",
    version: "v1.9.0",
    kubevirt: (() => {
      const kv = cluster("v1.9.0");
      const dev = (kv.spec!.configuration as Record<string, Record<string, unknown>>).developerConfiguration!;
      dev.disabledFeatureGates = ["DeclarativeHotplugVolumes"];
      return kv;
    })(),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => {
      s.volumes!.push({ name: "hotplug-vol", dataVolume: { name: "hotplug-dv", hotpluggable: true } });
      s.domain!.devices!.disks!.push({ name: "hotplug-vol", disk: { bus: "scsi" } });
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "restart" },
  },
  {
    name: "gates: v1.9 with VMLiveUpdateFeatures listed as disabled: GA wins, sockets are live",
    source: "v1.9.0 featuregate.IsEnabled (GA first); VMLiveUpdateFeatures GA since v1.5.0",
    version: "v1.9.0",
    kubevirt: (() => {
      const kv = cluster("v1.9.0");
      const dev = (kv.spec!.configuration as Record<string, Record<string, unknown>>).developerConfiguration!;
      dev.disabledFeatureGates = ["VMLiveUpdateFeatures"];
      return kv;
    })(),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => (s.domain!.cpu!.sockets = 2)),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "gates (predicted): v1.0 has no maxHotplugRatio: the ratio stays 4",
    source: "v1.0.0 LiveUpdateConfiguration (only maxCpuSockets); vm.go setupLiveFeatures (maxSocketsRatio = 4)",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0", { liveUpdateConfiguration: { maxHotplugRatio: 2 } }),
    before: vm(
      specWith(() => {}),
      { vmSpec: { liveUpdateFeatures: { cpu: {} } } as never },
    ),
    after: edit(
      vm(
        specWith(() => {}),
        { vmSpec: { liveUpdateFeatures: { cpu: {} } } as never },
      ),
      (s) => {
        s.domain!.cpu!.sockets = 4;
      },
    ),
    expect: { outcome: "live", predicted: true, changes: { [SOCKETS]: { outcome: "live" } } },
  },
];

const hp = (pageSize: string, guest: string) =>
  vm(specWith((s) => (s.domain!.memory = { guest, hugepages: { pageSize } })));

/** validateHugepagesMemoryRequests on guest memory edits (rules §9 addendum). */
export const hugepagesScenarios: Scenario[] = [
  {
    name: "hugepages: 2Mi pages and a guest of 1025Mi (not a multiple of 2Mi) is rejected",
    source: "v1.9.0 vmi-create-admitter.go validateHugepagesMemoryRequests ('is not a multiple of the page size')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: hp("2Mi", "2Gi"),
    after: edit(hp("2Mi", "2Gi"), (s) => (s.domain!.memory!.guest = "1025Mi")),
    vmi: vmiOf(hp("2Mi", "2Gi"), { maxGuest: "8Gi" }),
    expect: { outcome: "rejected", admission: "is not a multiple of the page size" },
  },
  {
    name: "hugepages: 1Gi pages and a guest of 512Mi is rejected (smaller than a page)",
    source:
      "v1.9.0 vmi-create-admitter.go validateHugepagesMemoryRequests ('must be equal to or larger than page size')",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: hp("1Gi", "2Gi"),
    after: edit(hp("1Gi", "2Gi"), (s) => (s.domain!.memory!.guest = "512Mi")),
    vmi: vmiOf(hp("1Gi", "2Gi"), { maxGuest: "8Gi" }),
    expect: { outcome: "rejected", admission: "must be equal to or larger than page size" },
  },
  {
    name: "hugepages: 1Gi pages, guest 2Gi→4Gi without requests is hot-plugged",
    source: "rules §2.3 (1Gi alignment with 1Gi pages, v1.3+); tests/hotplug/memory.go hugepages entries",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: hp("1Gi", "2Gi"),
    after: edit(hp("1Gi", "2Gi"), (s) => (s.domain!.memory!.guest = "4Gi")),
    vmi: vmiOf(hp("1Gi", "2Gi"), { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "hugepages: changing the page size of a running VM needs a restart",
    source: "rules §1.1 (memory.hugepages is not live-updatable)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: hp("2Mi", "2Gi"),
    after: edit(hp("2Mi", "2Gi"), (s) => (s.domain!.memory!.hugepages = { pageSize: "1Gi" })),
    vmi: vmiOf(hp("2Mi", "2Gi"), { maxGuest: "8Gi" }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.domain.memory.hugepages.pageSize": { outcome: "restart", reason: MSG.template } },
    },
  },
];
