import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import type { VirtualMachine } from "../../../../core/kubevirt/schema/virtualMachine";
import {
  CORES,
  GUEST,
  HOSTNAME,
  MAX_SOCKETS,
  MSG,
  NODE_SELECTOR,
  SOCKETS,
  THREADS,
  cluster,
  edit,
  specWith,
  vm,
  vmiOf,
  type Scenario,
} from "../builders";

const oneSocket = vm(specWith(() => {}));
const sockets = (n: number) => (s: VmiSpec) => {
  s.domain!.cpu!.sockets = n;
};

/** v1.0/v1.1: the VM opts in with spec.liveUpdateFeatures. */
function legacy(features: Record<string, unknown>, mutate: (s: VmiSpec) => void = () => {}): VirtualMachine {
  return vm(specWith(mutate), { vmSpec: { liveUpdateFeatures: features } as Partial<VirtualMachine["spec"]> });
}

const cpuFeatures = legacy({ cpu: {} });
const memFeatures = legacy({ memory: {} }, (s) => (s.domain!.memory!.guest = "1Gi"));
const affinityFeatures = legacy({ affinity: {} });

/** Completion of a socket hotplug by the workload updater (rules §4.2, §5.3, §9 Evict addendum). */
function completion(
  name: string,
  o: {
    methods: ("LiveMigrate" | "Evict")[];
    migratable?: boolean;
    evictionStrategy?: string;
    vmiEvictionStrategy?: string;
    outcome: "live" | "stuck" | "restart";
    source: string;
  },
): Scenario {
  return {
    name,
    source: o.source,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", {
      methods: o.methods,
      ...(o.evictionStrategy ? { evictionStrategy: o.evictionStrategy } : {}),
    }),
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket, {
      maxSockets: 4,
      ...(o.migratable === false ? { migratable: false } : {}),
      ...(o.vmiEvictionStrategy ? { evictionStrategy: o.vmiEvictionStrategy } : {}),
    }),
    expect: { outcome: o.outcome, changes: { [SOCKETS]: { outcome: o.outcome } } },
  };
}

export const lifecycleScenarios: Scenario[] = [
  // completion
  completion("completion: a non-migratable VMI with only LiveMigrate: the socket hotplug is stuck", {
    methods: ["LiveMigrate"],
    migratable: false,
    outcome: "stuck",
    source: "rules §1.3 note (no LiveMigratable check in the handler), §4.2 (conditions stay)",
  }),
  completion("completion: no workloadUpdateMethods: the socket hotplug is stuck", {
    methods: [],
    outcome: "stuck",
    source: "rules §4.2 ('An empty list defaults to no automated workload updating')",
  }),
  completion("completion: a non-migratable VMI with [LiveMigrate, Evict] and evictionStrategy None is restarted", {
    methods: ["LiveMigrate", "Evict"],
    migratable: false,
    outcome: "restart",
    source: "rules §4.2 (with [LiveMigrate, Evict], non-migratable VMIs with a pending CPU change are evicted); §9",
  }),
  completion("completion: only Evict, evictionStrategy None: the VM is restarted", {
    methods: ["Evict"],
    outcome: "restart",
    source: "rules §9 (Evict under evictionStrategy None: the pod dies and the run strategy restarts the VM)",
  }),
  completion("completion: only Evict, cluster evictionStrategy LiveMigrate on a migratable VMI: evacuated live", {
    methods: ["Evict"],
    evictionStrategy: "LiveMigrate",
    outcome: "live",
    source: "rules §9 (the eviction is refused and the VMI is evacuated by a live migration)",
  }),
  completion("completion: only Evict, VMI evictionStrategy LiveMigrateIfPossible on a migratable VMI: evacuated live", {
    methods: ["Evict"],
    vmiEvictionStrategy: "LiveMigrateIfPossible",
    outcome: "live",
    source: "rules §9 (VMI value, else the cluster's configuration.evictionStrategy)",
  }),
  completion("completion: only Evict, VMI evictionStrategy None overrides a cluster LiveMigrate: restarted", {
    methods: ["Evict"],
    evictionStrategy: "LiveMigrate",
    vmiEvictionStrategy: "None",
    outcome: "restart",
    source: "rules §9 (the VMI's evictionStrategy, else the cluster's)",
  }),
  {
    name: "completion: no KubeVirt CR given: no workloadUpdateMethods, so a socket hotplug is stuck",
    source: "rules §4.2 (workloadUpdateMethods must contain LiveMigrate; empty by default)",
    version: "v1.9.0",
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "stuck", changes: { [SOCKETS]: { outcome: "stuck" } } },
  },
  {
    name: "completion: memory hotplug without LiveMigrate is stuck",
    source: "rules §4.2 (HotMemoryChange=True stays indefinitely)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { methods: [] }),
    before: vm(specWith((s) => (s.domain!.memory!.guest = "1Gi"))),
    after: edit(vm(specWith((s) => (s.domain!.memory!.guest = "1Gi"))), (s) => (s.domain!.memory!.guest = "2Gi")),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory!.guest = "1Gi"))), { maxGuest: "4Gi" }),
    expect: { outcome: "stuck", changes: { [GUEST]: { outcome: "stuck" } } },
  },
  // run state
  {
    name: "lifecycle: a stopped VM: a socket change is staged",
    source:
      "rules §8 step 2 (not running: no RR, nothing live); plan.ts VirtualMachinePlan.predicted ('true when no VMI was given and the running VMI was derived from `before`': nothing is derived for a stopped VM)",
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
      sockets(8),
    ),
    expect: { outcome: "staged", predicted: false, changes: { [SOCKETS]: { outcome: "staged" } } },
  },
  {
    name: "lifecycle: a stopped VM: a cores change is staged",
    source: "rules §1.1 (the comparison runs only while a VMI exists)",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0"),
    before: vm(
      specWith(() => {}),
      { running: false },
    ),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (s) => (s.domain!.cpu!.cores = 4),
    ),
    expect: { outcome: "staged", changes: { [CORES]: { outcome: "staged" } } },
  },
  {
    name: "lifecycle: a stopped VM: sockets above an explicit maxSockets are still rejected",
    source: "rules §8 step 1 (admission first)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => (s.domain!.cpu!.maxSockets = 4)),
      { running: false },
    ),
    after: edit(
      vm(
        specWith((s) => (s.domain!.cpu!.maxSockets = 4)),
        { running: false },
      ),
      sockets(6),
    ),
    expect: { outcome: "rejected", admission: MSG.maxSocketsAdmission },
  },
  {
    name: "lifecycle: stopping a running VM together with a cores change: staged",
    source: "rules §1.1 (RR removed by cleanupRestartRequired when the VM stops)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s, v) => {
      v.spec.runStrategy = "Halted";
      s.domain!.cpu!.cores = 2;
    }),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "staged", changes: { [CORES]: { outcome: "staged" } } },
  },
  {
    name: "lifecycle: a new VM is staged",
    source: "rules §8 step 2",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    after: edit(oneSocket, () => {}),
    expect: { outcome: "staged", predicted: false },
  },
  {
    name: "lifecycle: a new VM with sockets above its maxSockets is rejected",
    source: "rules §2.1 / §2.2",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    after: edit(oneSocket, (s) => (s.domain!.cpu = { sockets: 6, maxSockets: 4 })),
    expect: { outcome: "rejected", admission: MSG.maxSocketsAdmission },
  },
  {
    name: "lifecycle: a deleted VM: nothing to plan",
    source: "PlanInput (after undefined is a deletion)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    expect: { outcome: "none" },
  },
  {
    name: "lifecycle: no change at all",
    source: "rules §1.1",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, () => {}),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "none" },
  },
  {
    name: "lifecycle: template labels only: nothing changes in the running VM",
    source: "rules §1.1 (template metadata is not compared), §9 (labels sync only for listed keys)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (_s, v) => ((v.spec.template.metadata!.labels as Record<string, string>).team = "blue")),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "none", changes: { "spec.template.metadata.labels.team": { outcome: "none" } } },
  },
  {
    name: "lifecycle: template annotations only under Stage: nothing changes",
    source: "rules §1.9.6",
    version: "v1.4.0",
    kubevirt: cluster("v1.4.0", { rollout: "Stage" }),
    before: oneSocket,
    after: edit(oneSocket, (_s, v) => (v.spec.template.metadata!.annotations = { "example.com/owner": "ops" })),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "none" },
  },
  {
    name: "lifecycle: VM labels only: nothing changes",
    source: "rules §1.1 (only spec.template.spec is compared)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (_s, v) => (v.metadata!.labels = { app: "db" })),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "none", changes: { "metadata.labels.app": { outcome: "none" } } },
  },
  {
    name: "lifecycle: a label and a socket hotplug: live",
    source: "rules §1.1, §1.3",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s, v) => {
      (v.spec.template.metadata!.labels as Record<string, string>).team = "blue";
      s.domain!.cpu!.sockets = 2;
    }),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  // v1.0 / v1.1 liveUpdateFeatures (rules §2.6, §3.1, §4.1)
  {
    name: "v1.0: liveUpdateFeatures.cpu with the gate: sockets 1→2 is hot-plugged",
    source: "rules §4.2 v1.0.x; v1.0.0 vm.go handleCPUChangeRequest",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, sockets(2)),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "v1.0: without liveUpdateFeatures a socket change waits for a restart (no RestartRequired before v1.2)",
    source:
      "rules §9 (before v1.2 there is no RestartRequired condition); v1.0.0 handleCPUChangeRequest returns when liveUpdateFeatures is nil",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart" } } },
  },
  {
    name: "v1.0: liveUpdateFeatures without the gate is rejected",
    source: "rules §2.6 ('VMLiveUpdateFeatures feature gate is not enabled in kubevirt-config')",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0", { gate: false }),
    before: oneSocket,
    after: edit(oneSocket, (_s, v) => ((v.spec as Record<string, unknown>).liveUpdateFeatures = { cpu: {} })),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "rejected", admission: "VMLiveUpdateFeatures feature gate is not enabled in kubevirt-config" },
  },
  {
    name: "v1.0: maxSockets in the template with liveUpdateFeatures is rejected",
    source: "rules §2.6 ('CPU topology maxSockets cannot be set directy in VM template')",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, (s) => (s.domain!.cpu!.maxSockets = 8)),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4 }),
    expect: { outcome: "rejected", admission: "CPU topology maxSockets cannot be set directy in VM template" },
  },
  {
    name: "v1.0: changing cores of a running VM with liveUpdateFeatures is rejected",
    source: "rules §2.6 ('Cannot update CPU cores while live update features configured')",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, (s) => (s.domain!.cpu!.cores = 2)),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "Cannot update CPU cores while live update features configured",
      changes: { [CORES]: { outcome: "rejected" } },
    },
  },
  {
    name: "v1.1: changing threads of a running VM with liveUpdateFeatures is rejected",
    source: "rules §2.6 ('Cannot update CPU threads while live update features configured')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, (s) => (s.domain!.cpu!.threads = 2)),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "Cannot update CPU threads while live update features configured",
      changes: { [THREADS]: { outcome: "rejected" } },
    },
  },
  {
    name: "v1.1: adding liveUpdateFeatures to a running VM is rejected",
    source: "rules §2.6 ('Cannot update VM live features while VM is running')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: oneSocket,
    after: edit(oneSocket, (_s, v) => ((v.spec as Record<string, unknown>).liveUpdateFeatures = { cpu: {} })),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "rejected", admission: "Cannot update VM live features while VM is running" },
  },
  {
    name: "v1.1: adding liveUpdateFeatures to a stopped VM is staged",
    source: "rules §2.6 (the running-VM rule checks status.ready)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: vm(
      specWith(() => {}),
      { running: false },
    ),
    after: edit(
      vm(
        specWith(() => {}),
        { running: false },
      ),
      (_s, v) => {
        (v.spec as Record<string, unknown>).liveUpdateFeatures = { cpu: {} };
      },
    ),
    expect: { outcome: "staged" },
  },
  {
    name: "v1.0: sockets above liveUpdateFeatures.cpu.maxSockets are rejected",
    source: "rules §2.6 ('Number of sockets in CPU topology is greater than the maximum sockets allowed')",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0"),
    before: legacy({ cpu: { maxSockets: 2 } }),
    after: edit(legacy({ cpu: { maxSockets: 2 } }), sockets(3)),
    vmi: vmiOf(legacy({ cpu: { maxSockets: 2 } }), { maxSockets: 2 }),
    expect: { outcome: "rejected", admission: MSG.maxSocketsAdmission },
  },
  {
    name: "v1.1: liveUpdateFeatures.cpu with CPU requests is rejected",
    source: "rules §2.6 ('Configuration of CPU resource requirements is not allowed when CPU live update is enabled')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, (s) => (s.domain!.resources = { requests: { cpu: "500m" } })),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "Configuration of CPU resource requirements is not allowed when CPU live update is enabled",
    },
  },
  {
    name: "v1.1: liveUpdateFeatures.cpu with an instance type is rejected",
    source: "rules §1.8 / §2.6 ('Live update features cannot be used when instance type is configured')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: vm(
      specWith((s) => delete s.domain!.cpu),
      { running: false },
    ),
    after: edit(
      vm(
        specWith((s) => delete s.domain!.cpu),
        { running: false },
      ),
      (s, v) => {
        (v.spec as Record<string, unknown>).liveUpdateFeatures = { cpu: {} };
        v.spec.instancetype = { name: "u1.medium" };
        delete s.domain!.memory;
      },
    ),
    expect: { outcome: "rejected", admission: "Live update features cannot be used when instance type is configured" },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory: guest 1Gi→2Gi is hot-plugged",
    source: "rules §1.4 v1.1.x (requires liveUpdateFeatures.memory); v1.1.0 handleMemoryHotplugRequest",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: memFeatures,
    after: edit(memFeatures, (s) => (s.domain!.memory!.guest = "2Gi")),
    vmi: vmiOf(memFeatures, { maxGuest: "4Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory: guest beyond the VMI's maxGuest is patched but never completes",
    source:
      "v1.1.0 vm.go handleMemoryHotplugRequest (patches the VMI's guest without a maxGuest check); manager.go UpdateGuestMemory (virtio-mem requested size beyond the device: libvirt refuses)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: memFeatures,
    after: edit(memFeatures, (s) => (s.domain!.memory!.guest = "8Gi")),
    vmi: vmiOf(memFeatures, { maxGuest: "4Gi" }),
    expect: {
      outcome: "stuck",
      changes: { [GUEST]: { outcome: "stuck", reason: "without checking its maxGuest 4Gi" } },
    },
  },
  {
    name: "v1.1: guest beyond the VMI's maxGuest with only Evict: the workload updater's eviction restarts the VM",
    source:
      "v1.1.0 vmi.go syncMemoryHotplug (HotMemoryChange while guest differs from guestRequested); workload-updater.go evicts VMIs with a hotplug condition when LiveMigrate is not configured",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0", { methods: ["Evict"] }),
    before: memFeatures,
    after: edit(memFeatures, (s) => (s.domain!.memory!.guest = "8Gi")),
    vmi: vmiOf(memFeatures, { maxGuest: "4Gi" }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: "evicts the VMI" } } },
  },
  {
    name: "v1.1: sockets beyond a VMI without maxSockets with only Evict: no HotVCPUChange, so no eviction either",
    source:
      "v1.1.0 vm.go handleCPUChangeRequest (patches the VMI's sockets); vmi.go requireCPUHotplug (no condition when maxSockets is 0); workload-updater.go acts only on the hotplug conditions",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0", { methods: ["Evict"] }),
    before: cpuFeatures,
    after: edit(cpuFeatures, sockets(2)),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "stuck", changes: { [SOCKETS]: { outcome: "stuck", reason: "not even an eviction" } } },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory: guest beyond an explicit liveUpdateFeatures maxGuest is rejected",
    source:
      "v1.1.0 vms-admitter.go validateLiveUpdateFeatures ('Guest memory is greater than the configured maxGuest memory')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: { maxGuest: "4Gi" } }, (s) => (s.domain!.memory!.guest = "1Gi")),
    after: edit(
      legacy({ memory: { maxGuest: "4Gi" } }, (s) => (s.domain!.memory!.guest = "1Gi")),
      (s) => (s.domain!.memory!.guest = "8Gi"),
    ),
    vmi: vmiOf(
      legacy({ memory: { maxGuest: "4Gi" } }, (s) => (s.domain!.memory!.guest = "1Gi")),
      { maxGuest: "4Gi" },
    ),
    expect: { outcome: "rejected", admission: "Guest memory is greater than the configured maxGuest memory" },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory: less than the guest booted with is rejected",
    source: "rules §2.6 ('cannot set less memory than what the guest booted with')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: {} }, (s) => (s.domain!.memory!.guest = "2Gi")),
    after: edit(
      legacy({ memory: {} }, (s) => (s.domain!.memory!.guest = "2Gi")),
      (s) => (s.domain!.memory!.guest = "1Gi"),
    ),
    vmi: vmiOf(
      legacy({ memory: {} }, (s) => (s.domain!.memory!.guest = "2Gi")),
      { maxGuest: "8Gi" },
    ),
    expect: { outcome: "rejected", admission: "cannot set less memory than what the guest booted with" },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory with maxGuest in the template is rejected",
    source: "rules §2.6 ('Memory maxGuest cannot be set directy in VM template')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: memFeatures,
    after: edit(memFeatures, (s) => (s.domain!.memory!.maxGuest = "4Gi")),
    vmi: vmiOf(memFeatures, { maxGuest: "4Gi" }),
    expect: { outcome: "rejected", admission: "Memory maxGuest cannot be set directy in VM template" },
  },
  {
    name: "v1.1: liveUpdateFeatures.memory with maxGuest and memory limits is rejected",
    source:
      "v1.1.0 vms-admitter.go validateLiveUpdateFeatures ('Configuration of Memory limits is not allowed when Memory live update is enabled', only with liveUpdateFeatures.memory.maxGuest)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ memory: { maxGuest: "4Gi" } }, (s) => (s.domain!.memory!.guest = "1Gi")),
    after: edit(
      legacy({ memory: { maxGuest: "4Gi" } }, (s) => (s.domain!.memory!.guest = "1Gi")),
      (s) => (s.domain!.resources = { limits: { memory: "4Gi" } }),
    ),
    vmi: vmiOf(
      legacy({ memory: { maxGuest: "4Gi" } }, (s) => (s.domain!.memory!.guest = "1Gi")),
      { maxGuest: "4Gi" },
    ),
    expect: {
      outcome: "rejected",
      admission: "Configuration of Memory limits is not allowed when Memory live update is enabled",
    },
  },
  {
    name: "v1.1: a socket change while a CPU change is in progress is rejected",
    source: "rules §2.6 ('cannot update CPU sockets while another CPU change is in progress')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: legacy({ cpu: {} }, sockets(2)),
    after: edit(legacy({ cpu: {} }, sockets(2)), sockets(3)),
    vmi: vmiOf(cpuFeatures, {
      maxSockets: 4,
      mutate: (s) => (s.domain!.cpu!.sockets = 2),
      conditions: [{ type: "HotVCPUChange", status: "True" }],
    }),
    expect: { outcome: "rejected", admission: "cannot update CPU sockets while another CPU change is in progress" },
  },
  {
    name: "v1.1: liveUpdateFeatures.affinity: a nodeSelector is live",
    source: "rules §1.5 (v1.1: liveUpdateFeatures.affinity); v1.1.0 handleAffinityChangeRequest",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: affinityFeatures,
    after: edit(affinityFeatures, (s) => (s.nodeSelector = { zone: "a" })),
    vmi: vmiOf(affinityFeatures),
    expect: { outcome: "live", changes: { [NODE_SELECTOR]: { outcome: "live" } } },
  },
  {
    name: "v1.1: without liveUpdateFeatures.affinity a nodeSelector waits for a restart",
    source: "rules §1.5; §9 (no RestartRequired before v1.2)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, (s) => (s.nodeSelector = { zone: "a" })),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [NODE_SELECTOR]: { outcome: "restart" } } },
  },
  {
    name: "v1.0: a hostname change waits for a restart (no RestartRequired condition)",
    source: "rules §9 (before v1.2 there is no RestartRequired condition)",
    version: "v1.0.1",
    kubevirt: cluster("v1.0.1"),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.hostname = "new")),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "restart", changes: { [HOSTNAME]: { outcome: "restart" } } },
  },
  {
    name: "v1.0: liveUpdateFeatures.cpu without a maxSockets: a cluster maxCpuSockets 2 allows 2 sockets",
    source: "rules §3.1 v1.0.x setupLiveFeatures (VM > cluster maxCpuSockets > 4 × sockets)",
    version: "v1.0.0",
    kubevirt: cluster("v1.0.0", { liveUpdateConfiguration: { maxCpuSockets: 2 } }),
    before: cpuFeatures,
    after: edit(cpuFeatures, sockets(2)),
    expect: { outcome: "live", predicted: true, changes: { [SOCKETS]: { outcome: "live" } } },
  },
  // instance types (rules §1.8)
  {
    name: "instancetype: v1.2.0 rejects an instance type under LiveUpdate",
    source: "rules §1.8 v1.2.0 ('Cannot configure instance type when the vmRolloutStrategy is LiveUpdate')",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: instancetyped("u1.medium"),
    after: edit(instancetyped("u1.medium"), (_s, v) => (v.spec.instancetype = { name: "u1.large" })),
    vmi: vmiOf(instancetyped("u1.medium"), { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "Cannot configure instance type when the vmRolloutStrategy is LiveUpdate",
    },
  },
  {
    name: "instancetype: v1.2.1 marks a matcher change RestartRequired",
    source: "rules §1.8 v1.2.1–v1.2.2 ('the instance type or preference matcher of the VM was changed')",
    version: "v1.2.1",
    kubevirt: cluster("v1.2.1", { rollout: "LiveUpdate" }),
    before: instancetyped("u1.medium"),
    after: edit(instancetyped("u1.medium"), (_s, v) => (v.spec.instancetype = { name: "u1.large" })),
    vmi: vmiOf(instancetyped("u1.medium"), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { "spec.instancetype.name": { outcome: "restart", reason: MSG.matcher } } },
  },
  {
    name: "instancetype: v1.2.2 marks a preference matcher change RestartRequired",
    source: "rules §1.8 v1.2.1–v1.2.2",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: instancetyped("u1.medium"),
    after: edit(instancetyped("u1.medium"), (_s, v) => (v.spec.preference = { name: "fedora" })),
    vmi: vmiOf(instancetyped("u1.medium"), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { "spec.preference.name": { outcome: "restart", reason: MSG.matcher } } },
  },
  {
    name: "instancetype: v1.2.1 matcher change with a live nodeSelector change: the nodeSelector waits too",
    source:
      "rules §1.2 (the matcher RR closes the gate). Rewritten from a template socket change: v1.2.1 instancetype.go validateCPU denies template cpu.sockets on a VM with an instance type (conflict), so a live CPU change cannot ride along a matcher change",
    version: "v1.2.1",
    kubevirt: cluster("v1.2.1", { rollout: "LiveUpdate" }),
    before: instancetyped("u1.medium"),
    after: edit(instancetyped("u1.medium"), (s, v) => {
      v.spec.instancetype = { name: "u1.large" };
      s.nodeSelector = { zone: "a" };
    }),
    vmi: vmiOf(instancetyped("u1.medium"), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [NODE_SELECTOR]: { outcome: "restart" } } },
  },
  {
    name: "instancetype: v1.1 without liveUpdateFeatures: a matcher change applies at the next start",
    source: "rules §1.1 (the matcher is not compared), §9 (no RR before v1.2)",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: instancetyped("u1.medium"),
    after: edit(instancetyped("u1.medium"), (_s, v) => (v.spec.instancetype = { name: "u1.large" })),
    vmi: vmiOf(instancetyped("u1.medium")),
    expect: { outcome: "restart" },
  },
  {
    name: "instancetype: a new VM with an instance type and LiveUpdate on v1.2.0 is rejected",
    source: "rules §1.8 v1.2.0",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    after: edit(instancetyped("u1.medium"), () => {}),
    expect: {
      outcome: "rejected",
      admission: "Cannot configure instance type when the vmRolloutStrategy is LiveUpdate",
    },
  },
  {
    name: "instancetype: a new VM with an instance type under Stage on v1.2.0 is staged",
    source: "rules §1.8 v1.2.0 (rejected only under LiveUpdate)",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "Stage" }),
    after: edit(instancetyped("u1.medium"), () => {}),
    expect: { outcome: "staged" },
  },
  {
    name: "lifecycle: a stopped VM: a maxSockets edit is staged",
    source: "rules §8 step 2 (edits of a stopped VM apply at its next start)",
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
      (s) => (s.domain!.cpu!.maxSockets = 8),
    ),
    expect: { outcome: "staged", changes: { [MAX_SOCKETS]: { outcome: "staged" } } },
  },
];

function instancetyped(name: string): VirtualMachine {
  return vm(
    specWith((s) => {
      delete s.domain!.cpu;
      delete s.domain!.memory;
    }),
    { vmSpec: { instancetype: { name } } },
  );
}

/** v1.1 validateVMUpdate → shouldAllowCPUHotPlug / isMigrationInProgress (vms-admitter.go, v1.1.0). */
export const legacyMigrationScenarios: Scenario[] = [
  {
    name: "v1.1: a socket change while the VMI migrates is rejected",
    source: "v1.1.0 vms-admitter.go isMigrationInProgress ('cannot update while VMI migration is in progress')",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, sockets(2)),
    vmi: vmiOf(cpuFeatures, { maxSockets: 4, migrating: true }),
    expect: { outcome: "rejected", admission: "cannot update while VMI migration is in progress" },
  },
  {
    name: "v1.1: a socket change after a failed migration is still rejected (migrationState not Completed)",
    source:
      "v1.1.0 vms-admitter.go isMigrationInProgress: 'vmi.Status.MigrationState != nil && !vmi.Status.MigrationState.Completed' — a failed migration leaves Completed false",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, sockets(2)),
    vmi: (() => {
      const v = vmiOf(cpuFeatures, { maxSockets: 4 });
      return {
        ...v,
        status: {
          ...v.status,
          migrationState: {
            startTimestamp: "2026-01-01T00:00:00Z",
            endTimestamp: "2026-01-01T00:01:00Z",
            completed: false,
            failed: true,
          },
        },
      };
    })(),
    expect: { outcome: "rejected", admission: "cannot update while VMI migration is in progress" },
  },
  {
    name: "v1.1: a socket change after a completed migration is hot-plugged",
    source:
      "v1.1.0 vms-admitter.go isMigrationInProgress (Completed migration state passes); vm.go handleCPUChangeRequest",
    version: "v1.1.0",
    kubevirt: cluster("v1.1.0"),
    before: cpuFeatures,
    after: edit(cpuFeatures, sockets(2)),
    vmi: (() => {
      const v = vmiOf(cpuFeatures, { maxSockets: 4 });
      return {
        ...v,
        status: {
          ...v.status,
          migrationState: {
            startTimestamp: "2026-01-01T00:00:00Z",
            endTimestamp: "2026-01-01T00:01:00Z",
            completed: true,
          },
        },
      };
    })(),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
];
