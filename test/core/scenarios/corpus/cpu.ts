import {
  CORES,
  MAX_SOCKETS,
  MSG,
  SOCKETS,
  THREADS,
  cluster,
  edit,
  specWith,
  vm,
  vmiOf,
  type Scenario,
} from "../builders";

const VM_TEST = "pkg/virt-controller/watch/vm/vm_test.go";
const CPU_E2E = "tests/hotplug/cpu.go";

/** A running 1-socket VM whose VMI got the computed maxSockets 4 (sockets × ratio 4). */
const oneSocket = vm(specWith(() => {}));
const twoSocketsMax8 = vm(
  specWith((s) => {
    s.domain!.cpu = { sockets: 2, cores: 1, threads: 1, maxSockets: 8 };
  }),
);
const sockets = (n: number) => (s: { domain?: { cpu?: { sockets?: number } } }) => {
  s.domain!.cpu!.sockets = n;
};

/** cores only: the VMI keeps sockets 0 (SetDefaultGuestCPUTopology fills nothing when cores is set). */
const coresOnly = vm(
  specWith((s) => {
    s.domain!.cpu = { cores: 3, maxSockets: 3 };
  }),
);

export const cpuScenarios: Scenario[] = [
  {
    name: "cpu: an unset socket count set to 1 is patched into the VMI but hot-plugs nothing (same vCPU count)",
    source:
      "v1.5.0 vm.go handleCPUChangeRequest (compares sockets: patches 0 → 1); vmi.go requireCPUHotplug and hw_utils.go GetNumberOfVCPUs (zero factors skipped: 3 vCPUs either way, no HotVCPUChange, no migration)",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0", { rollout: "LiveUpdate", methods: [] }),
    before: coresOnly,
    after: edit(coresOnly, sockets(1)),
    vmi: vmiOf(coresOnly),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live", reason: "no HotVCPUChange" } } },
  },
  {
    name: "cpu: sockets 1→2 within the computed maxSockets is hot-plugged",
    source: `${CPU_E2E} [test_id:10811] should successfully plug vCPUs`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } }, steps: null },
  },
  {
    name: "cpu: sockets 2→4 with explicit maxSockets 8 under LiveUpdate is live",
    source: `${VM_TEST} when changing a live-updatable field: should not appear if VM rollout strategy is set to LiveUpdate`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "LiveUpdate" }),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, sockets(4)),
    vmi: vmiOf(twoSocketsMax8),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "cpu: sockets 2→4 with the rollout strategy unset on v1.9 is live (LiveUpdate is the default)",
    source: `${VM_TEST} when changing a live-updatable field: should not appear if the VM rollout strategy is not set`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, sockets(4)),
    vmi: vmiOf(twoSocketsMax8),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "cpu: sockets 2→4 under the Stage strategy on v1.9 needs a restart",
    source: `${VM_TEST} when changing a live-updatable field: should appear if the VM rollout strategy is set to Stage; tests/hotplug/rolloutstrategy.go [test_id:11207]`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, sockets(4)),
    vmi: vmiOf(twoSocketsMax8),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "cpu: sockets above the computed maxSockets give RestartRequired",
    source: "rules §1.3 step 6; §3.2 (computed maxSockets 4 for 1 socket)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, sockets(5)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } } },
  },
  {
    name: "cpu: sockets above the cluster maxCpuSockets (VM without maxSockets) give RestartRequired",
    source: `${VM_TEST} The RestartRequired condition: should not call update if the condition is set (cluster maxCpuSockets 8, sockets 8→10)`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxCpuSockets: 8 } }),
    before: vm(specWith((s) => (s.domain!.cpu!.sockets = 8))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 8))), sockets(10)),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu!.sockets = 8))), { maxSockets: 8 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } } },
  },
  {
    name: "cpu: sockets above an explicit maxSockets are rejected at admission",
    source: "rules §2.1 validateLiveUpdateCPU / §2.2 validateCPUHotplug",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, sockets(10)),
    vmi: vmiOf(twoSocketsMax8),
    expect: {
      outcome: "rejected",
      admission: MSG.maxSocketsAdmission,
      changes: { [SOCKETS]: { outcome: "rejected", reason: MSG.maxSocketsAdmission } },
    },
  },
  {
    name: "cpu: sockets above an explicit maxSockets are rejected under Stage too (VMI rule)",
    source: "rules §2.2 validateCPUHotplug (regardless of rollout strategy)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, sockets(9)),
    vmi: vmiOf(twoSocketsMax8),
    expect: { outcome: "rejected", admission: MSG.maxSocketsAdmission },
  },
  {
    name: "cpu: reducing sockets needs a restart",
    source: `${VM_TEST} The RestartRequired condition: should appear when VM sockets count is reduced`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu!.sockets = 2))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), sockets(1)),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), { maxSockets: 8 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsReduction } } },
  },
  {
    name: "cpu: v1.2.0 live-patches a socket reduction",
    source: "rules §1.3 step 7 (the reduction check arrived in v1.2.1)",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: vm(specWith((s) => (s.domain!.cpu!.sockets = 2))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), sockets(1)),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), { maxSockets: 8 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "cpu: v1.2.1 marks a socket reduction RestartRequired",
    source: "rules §1.3 step 7; §4.1 v1.2.1",
    version: "v1.2.1",
    kubevirt: cluster("v1.2.1", { rollout: "LiveUpdate" }),
    before: vm(specWith((s) => (s.domain!.cpu!.sockets = 2))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), sockets(1)),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), { maxSockets: 8 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsReduction } } },
  },
  {
    name: "cpu: editing maxSockets of a running VM needs a restart",
    source: "rules §1.9.2; §1.1 (cpu.maxSockets is not neutralised)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, (s) => (s.domain!.cpu!.maxSockets = 16)),
    vmi: vmiOf(twoSocketsMax8),
    expect: { outcome: "restart", changes: { [MAX_SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "cpu: raising maxSockets together with sockets blocks the socket hotplug",
    source: "rules §1.2 (one non-live-updatable change closes the gate)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoSocketsMax8,
    after: edit(twoSocketsMax8, (s) => {
      s.domain!.cpu!.maxSockets = 16;
      s.domain!.cpu!.sockets = 12;
    }),
    vmi: vmiOf(twoSocketsMax8),
    expect: {
      outcome: "restart",
      changes: { [MAX_SOCKETS]: { outcome: "restart", reason: MSG.template }, [SOCKETS]: { outcome: "restart" } },
    },
  },
  {
    name: "cpu: changing cores needs a restart",
    source: "rules §1.1 (cpu.cores is not live-updatable)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.domain!.cpu!.cores = 2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [CORES]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "cpu: changing threads needs a restart",
    source: "rules §1.1 (cpu.threads is not live-updatable)",
    version: "v1.6.0",
    kubevirt: cluster("v1.6.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.domain!.cpu!.threads = 2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [THREADS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "cpu: sockets and cores changed together: nothing is hot-plugged",
    source: "rules §1.2 (changing sockets and cores together gives RR, and sockets are not hot-plugged)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => {
      s.domain!.cpu!.sockets = 2;
      s.domain!.cpu!.cores = 2;
    }),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { [SOCKETS]: { outcome: "restart" }, [CORES]: { outcome: "restart", reason: MSG.template } },
      steps: { live: [SOCKETS] },
    },
  },
  {
    name: "cpu: adding a cpu stanza to a VM created without one needs a restart",
    source: "rules §1.9.1 (sockets are neutralised only when cpu is non-nil on both sides)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => delete s.domain!.cpu)),
    after: edit(vm(specWith((s) => delete s.domain!.cpu)), (s) => (s.domain!.cpu = { sockets: 2 })),
    vmi: vmiOf(vm(specWith((s) => delete s.domain!.cpu)), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "cpu: arm64 socket change gives 'ARM doesn't support CPU hotplug'",
    source: `${VM_TEST} should raise RestartRequired condition for ARM64 VM`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => {
        s.architecture = "arm64";
        s.domain!.cpu = { sockets: 2, cores: 1, threads: 1, maxSockets: 4 };
      }),
    ),
    after: edit(
      vm(
        specWith((s) => {
          s.architecture = "arm64";
          s.domain!.cpu = { sockets: 2, cores: 1, threads: 1, maxSockets: 4 };
        }),
      ),
      sockets(3),
    ),
    vmi: vmiOf(
      vm(
        specWith((s) => {
          s.architecture = "arm64";
          s.domain!.cpu = { sockets: 2, cores: 1, threads: 1, maxSockets: 4 };
        }),
      ),
    ),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.arm } } },
  },
  {
    name: "cpu: arm64 without an explicit maxSockets: 'higher than what's available' comes first",
    source: "rules §2.5 (arm64 keeps maxSockets 0; the step-6 RR comes before the ARM check)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.architecture = "arm64"))),
    after: edit(vm(specWith((s) => (s.architecture = "arm64"))), sockets(2)),
    vmi: vmiOf(vm(specWith((s) => (s.architecture = "arm64"))), { maxSockets: 0 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } } },
  },
  {
    name: "cpu: arm64 on v1.5.2 gives the ARM RestartRequired",
    source: "rules §1.3 step 8 (v1.5.2+)",
    version: "v1.5.2",
    kubevirt: cluster("v1.5.2", { rollout: "LiveUpdate", defaultArchitecture: "arm64" }),
    before: vm(
      specWith((s) => {
        s.architecture = "arm64";
        s.domain!.cpu = { sockets: 1, cores: 1, threads: 1, maxSockets: 4 };
      }),
    ),
    after: edit(
      vm(
        specWith((s) => {
          s.architecture = "arm64";
          s.domain!.cpu = { sockets: 1, cores: 1, threads: 1, maxSockets: 4 };
        }),
      ),
      sockets(2),
    ),
    vmi: vmiOf(
      vm(
        specWith((s) => {
          s.architecture = "arm64";
          s.domain!.cpu = { sockets: 1, cores: 1, threads: 1, maxSockets: 4 };
        }),
      ),
    ),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.arm } } },
  },
  {
    name: "cpu: arm64 without a VMI on v1.9: predicted maxSockets 0 → 'higher than what's available'",
    source: "rules §2.5; vmi-mutator_test.go should leave MaxSockets unset on unsupported arch",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.architecture = "arm64"))),
    after: edit(vm(specWith((s) => (s.architecture = "arm64"))), sockets(2)),
    expect: {
      outcome: "restart",
      predicted: true,
      changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
    },
  },
  ...multiQueue(),
  {
    name: "cpu: dedicated CPUs with the size in the topology hot-plug a socket",
    source: `${CPU_E2E} [test_id:10822] (dedicated, cores 2, sockets 1→2, maxSockets 3)`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(dedicated()),
    after: edit(vm(dedicated()), sockets(2)),
    vmi: vmiOf(vm(dedicated())),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "cpu: dedicated CPUs with limits.cpu 2: patching sockets 2→3 is rejected",
    source: "rules §2.7 (validateRequestOrLimitWithCoresProvidedOnDedicatedCPUPlacement)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(dedicatedWithLimits()),
    after: edit(vm(dedicatedWithLimits()), sockets(3)),
    vmi: vmiOf(vm(dedicatedWithLimits())),
    expect: { outcome: "rejected", admission: "must not be provided at the same time with" },
  },
  {
    name: "cpu: dedicated CPUs with limits.cpu: raising sockets together with requests/limits is admitted but needs a restart",
    source:
      "rules §2.7 (requests = vCPUs passes admission); §1.1 (resources are not live-updatable, so the gate closes)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(dedicatedWithLimits()),
    after: edit(vm(dedicatedWithLimits()), (s) => {
      s.domain!.cpu!.sockets = 3;
      s.domain!.resources = { limits: { cpu: "3", memory: "2Gi" }, requests: { cpu: "3", memory: "2Gi" } };
    }),
    vmi: vmiOf(vm(dedicatedWithLimits())),
    expect: {
      outcome: "restart",
      changes: {
        [SOCKETS]: { outcome: "restart" },
        "spec.template.spec.domain.resources.requests.cpu": { outcome: "restart", reason: MSG.template },
      },
    },
  },
  {
    name: "cpu: sockets 1→2 with CPU requests set is live",
    source: `${VM_TEST} CPU hotplug entries 'with cpu request set' / 'with cpu request and limits set'`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.resources = { requests: { cpu: "1" }, limits: { cpu: "2" } }))),
    after: edit(
      vm(specWith((s) => (s.domain!.resources = { requests: { cpu: "1" }, limits: { cpu: "2" } }))),
      sockets(2),
    ),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.resources = { requests: { cpu: "1" }, limits: { cpu: "2" } }))), {
      maxSockets: 4,
    }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "cpu: v1.2.0 under LiveUpdate rejects a VM with CPU requests",
    source: "rules §2.6 v1.2.0 validateLiveUpdateFeatures",
    version: "v1.2.0",
    kubevirt: cluster("v1.2.0", { rollout: "LiveUpdate" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => {
      s.domain!.cpu!.sockets = 2;
      s.domain!.resources = { requests: { cpu: "1" } };
    }),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "Configuration of CPU resource requirements is not allowed when CPU live update is enabled",
    },
  },
  {
    name: "cpu: v1.2.1 still rejects CPU requests under LiveUpdate",
    source: "rules §2.6 (the CPU requests/limits rule was removed only in v1.2.2)",
    version: "v1.2.1",
    kubevirt: cluster("v1.2.1", { rollout: "LiveUpdate" }),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => (s.domain!.resources = { requests: { cpu: "1" } })),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: {
      outcome: "rejected",
      admission: "Configuration of CPU resource requirements is not allowed when CPU live update is enabled",
    },
  },
  {
    name: "cpu: v1.2.2 accepts CPU requests and hot-plugs the socket",
    source: "rules §2.6 v1.2.2 (hasCPURequestsOrLimits deleted)",
    version: "v1.2.2",
    kubevirt: cluster("v1.2.2", { rollout: "LiveUpdate" }),
    before: vm(specWith((s) => (s.domain!.resources = { requests: { cpu: "1" } }))),
    after: edit(vm(specWith((s) => (s.domain!.resources = { requests: { cpu: "1" } }))), sockets(2)),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.resources = { requests: { cpu: "1" } }))), { maxSockets: 4 }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live" } } },
  },
  {
    name: "cpu: a CPU hotplug already in progress: still live, KubeVirt retries",
    source: "rules §1.3 step 4 (error 'another CPU hotplug is in progress', reason HotPlugCPUError)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.domain!.cpu!.sockets = 2))),
    after: edit(vm(specWith((s) => (s.domain!.cpu!.sockets = 2))), sockets(3)),
    vmi: vmiOf(vm(specWith(() => {})), {
      maxSockets: 4,
      mutate: (s) => (s.domain!.cpu!.sockets = 2),
      conditions: [{ type: "HotVCPUChange", status: "True" }],
    }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live", reason: MSG.cpuInProgress } } },
  },
  {
    name: "cpu: a migrating VMI: still live, KubeVirt retries after the migration",
    source: "rules §1.3 step 5",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4, migrating: true }),
    expect: { outcome: "live", changes: { [SOCKETS]: { outcome: "live", reason: MSG.cpuMigrating } } },
  },
  ...predictedCpu(),
];

function dedicated() {
  return specWith((s) => {
    s.domain!.cpu = { sockets: 1, cores: 2, threads: 1, maxSockets: 3, dedicatedCpuPlacement: true };
  });
}

function dedicatedWithLimits() {
  return specWith((s) => {
    s.domain!.cpu = { sockets: 2, cores: 1, threads: 1, maxSockets: 4, dedicatedCpuPlacement: true };
    s.domain!.resources = { limits: { cpu: "2", memory: "2Gi" }, requests: { cpu: "2", memory: "2Gi" } };
  });
}

function multiQueue(): Scenario[] {
  const mq = vm(
    specWith((s) => {
      (s.domain!.devices as Record<string, unknown>).networkInterfaceMultiqueue = true;
    }),
  );
  const table: [string, "live" | "restart"][] = [
    ["v1.3.0", "restart"],
    ["v1.4.0", "restart"],
    ["v1.4.1", "live"],
    ["v1.5.0", "restart"],
    ["v1.5.1", "restart"],
    ["v1.5.2", "live"],
    ["v1.6.0", "live"],
  ];
  return table.map(([version, outcome]) => ({
    name: `cpu: networkInterfaceMultiqueue on ${version}: socket hotplug is ${outcome === "live" ? "live" : "RestartRequired"}`,
    source: "rules §1.3 step 8 (multi-queue RR in v1.3.0–v1.4.0 and v1.5.0–v1.5.1); tests/hotplug/cpu.go multi-queue",
    version,
    kubevirt: cluster(version, { rollout: "LiveUpdate" }),
    before: mq,
    after: edit(mq, sockets(2)),
    vmi: vmiOf(mq, { maxSockets: 4 }),
    expect: {
      outcome,
      changes: { [SOCKETS]: outcome === "live" ? { outcome } : { outcome, reason: MSG.multiQueue } },
    },
  }));
}

/** No VMI given: the planner derives the VMI `before` booted with (rules §3.2 maxSockets defaults). */
function predictedCpu(): Scenario[] {
  const two = vm(specWith((s) => (s.domain!.cpu!.sockets = 2)));
  const big = vm(specWith((s) => (s.domain!.cpu = { sockets: 32, cores: 2, threads: 3 })));
  const four = vm(specWith((s) => (s.domain!.cpu!.sockets = 4)));
  return [
    {
      name: "cpu (predicted): sockets 2→8 fits the default maxSockets 8",
      source: "vmi-mutator_test.go maxSockets table: sockets 2 → 8",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0"),
      before: two,
      after: edit(two, sockets(8)),
      expect: { outcome: "live", predicted: true, changes: { [SOCKETS]: { outcome: "live" } } },
    },
    {
      name: "cpu (predicted): sockets 2→9 exceeds the default maxSockets 8",
      source: "vmi-mutator_test.go maxSockets table: sockets 2 → 8; rules §1.3 step 6",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0"),
      before: two,
      after: edit(two, sockets(9)),
      expect: {
        outcome: "restart",
        predicted: true,
        changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
      },
    },
    {
      name: "cpu (predicted): the 512-vCPU cap gives maxSockets 85 for 32×2×3 (86 is too many)",
      source: "vmi-mutator_test.go: sockets 32, cores 2, threads 3 → 85",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0"),
      before: big,
      after: edit(big, sockets(86)),
      expect: {
        outcome: "restart",
        predicted: true,
        changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
      },
    },
    {
      name: "cpu (predicted): 32→85 sockets fit under the 512-vCPU cap",
      source: "vmi-mutator_test.go: sockets 32, cores 2, threads 3 → 85",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0"),
      before: big,
      after: edit(big, sockets(85)),
      expect: { outcome: "live", predicted: true },
    },
    {
      name: "cpu (predicted): v1.4.0 has no 512-vCPU cap (maxSockets 128)",
      source: "rules §3.2 (cap from v1.4.1 / v1.5.1 / v1.6.0)",
      version: "v1.4.0",
      kubevirt: cluster("v1.4.0", { rollout: "LiveUpdate" }),
      before: big,
      after: edit(big, sockets(100)),
      expect: { outcome: "live", predicted: true },
    },
    {
      name: "cpu (predicted): maxHotplugRatio 2 gives maxSockets 2 for one socket",
      source: "vmi-mutator_test.go: ratio 2, sockets 1 → 2",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxHotplugRatio: 2 } }),
      before: oneSocket,
      after: edit(oneSocket, sockets(3)),
      expect: {
        outcome: "restart",
        predicted: true,
        changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
      },
    },
    {
      name: "cpu (predicted): cluster maxCpuSockets 10 wins over the ratio",
      source: "vmi-mutator_test.go: maxCpuSockets 10 + ratio 2, sockets 2 → 10",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxCpuSockets: 10, maxHotplugRatio: 2 } }),
      before: two,
      after: edit(two, sockets(10)),
      expect: { outcome: "live", predicted: true },
    },
    {
      name: "cpu (predicted): cluster maxCpuSockets 2 below sockets 4 is raised to 4 (v1.4+): no room to grow",
      source: "vmi-mutator_test.go: maxCpuSockets 2, sockets 3 → 3; rules §3.2 (v1.4.0+)",
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxCpuSockets: 2 } }),
      before: four,
      after: edit(four, sockets(5)),
      expect: {
        outcome: "restart",
        predicted: true,
        changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } },
      },
    },
    {
      name: "cpu (predicted): a VM-level maxSockets 16 wins over the cluster maxCpuSockets",
      source: `${VM_TEST} should prefer maximum CPU sockets from VM spec rather than from cluster config`,
      version: "v1.9.0",
      kubevirt: cluster("v1.9.0", { liveUpdateConfiguration: { maxCpuSockets: 4 } }),
      before: vm(specWith((s) => (s.domain!.cpu!.maxSockets = 16))),
      after: edit(vm(specWith((s) => (s.domain!.cpu!.maxSockets = 16))), sockets(12)),
      expect: { outcome: "live", predicted: true, changes: { [SOCKETS]: { outcome: "live" } } },
    },
  ];
}
