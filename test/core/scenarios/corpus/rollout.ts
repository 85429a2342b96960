import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import {
  CORES,
  NODE_SELECTOR,
  GUEST,
  HOSTNAME,
  MSG,
  SOCKETS,
  cluster,
  edit,
  restartRequired,
  specWith,
  vm,
  vmiOf,
  type Scenario,
} from "../builders";

const VM_TEST = "pkg/virt-controller/watch/vm/vm_test.go";

const oneSocket = vm(specWith(() => {}));
const sockets = (n: number) => (s: VmiSpec) => {
  s.domain!.cpu!.sockets = n;
};

/** Sockets 1→2 on a running VM whose VMI got maxSockets 4: the rollout strategy, gate and version decide. */
function socketsUnder(
  version: string,
  kubevirt: ReturnType<typeof cluster>,
  outcome: "live" | "restart",
  source: string,
  label: string,
): Scenario {
  return {
    name: `rollout: sockets 1→2 on ${version} ${label}`,
    source,
    version,
    kubevirt,
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: {
      outcome,
      changes: { [SOCKETS]: outcome === "live" ? { outcome } : { outcome, reason: MSG.template } },
    },
  };
}

/** A VM that changed cores earlier (RR set), whose VMI still runs 1 core: the user reverts cores to 1. */
function revert(version: string, outcome: "none" | "restart"): Scenario {
  const changed = vm(
    specWith((s) => (s.domain!.cpu!.cores = 2)),
    { conditions: [restartRequired(MSG.template)] },
  );
  return {
    name: `rollout: reverting a non-live change on ${version} ${outcome === "none" ? "clears RestartRequired" : "leaves RestartRequired (sticky)"}`,
    source:
      outcome === "none"
        ? `rules §1.1 / §1.9.5 (RR cleared when the diff disappears, v1.6.4/v1.7.1/v1.8.0); ${VM_TEST} should clear existing RestartRequired condition when VM and VMI specs match`
        : "rules §1.9.5 (before v1.6.4 / v1.7.1 / v1.8.0 RR stays until restart)",
    version,
    kubevirt: cluster(version, { rollout: "LiveUpdate" }),
    before: changed,
    after: edit(changed, (s) => (s.domain!.cpu!.cores = 1)),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome, changes: { [CORES]: { outcome } } },
  };
}

/** RR was set by a handler (sockets 5 > maxSockets 4); the user lowers sockets to 2. */
function handlerRR(version: string, outcome: "live" | "restart"): Scenario {
  const tooMany = vm(
    specWith((s) => (s.domain!.cpu!.sockets = 5)),
    { conditions: [restartRequired(MSG.socketsAbove)] },
  );
  return {
    name: `rollout: lowering sockets back under maxSockets after a handler RR on ${version} is ${outcome}`,
    source:
      outcome === "live"
        ? "rules §1.2 (HEAD: syncRestartRequired clears RR, the CPU handler then hot-plugs)"
        : "rules §1.2 (before the clearing fix an RR set by a handler blocks all later live updates)",
    version,
    kubevirt: cluster(version, { rollout: "LiveUpdate" }),
    before: tooMany,
    after: edit(tooMany, sockets(2)),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: { outcome, changes: { [SOCKETS]: { outcome } } },
  };
}

export const rolloutScenarios: Scenario[] = [
  socketsUnder(
    "v1.2.0",
    cluster("v1.2.0", { rollout: "LiveUpdate" }),
    "live",
    "rules §4.2 v1.2.x",
    "with LiveUpdate and the gate is live",
  ),
  socketsUnder(
    "v1.2.0",
    cluster("v1.2.0", { rollout: "LiveUpdate", gate: false }),
    "restart",
    "rules §4.1 v1.2.0 (LiveUpdate requires the gate and the strategy)",
    "with LiveUpdate but no VMLiveUpdateFeatures gate needs a restart",
  ),
  socketsUnder(
    "v1.3.0",
    cluster("v1.3.0", { rollout: "LiveUpdate", gate: false }),
    "restart",
    "rules §4.2 v1.2.x–v1.4.x (add VMLiveUpdateFeatures)",
    "with LiveUpdate but no gate needs a restart",
  ),
  socketsUnder(
    "v1.4.1",
    cluster("v1.4.1", { rollout: "LiveUpdate", gate: false }),
    "restart",
    "rules §4.2 v1.2.x–v1.4.x (add VMLiveUpdateFeatures)",
    "with LiveUpdate but no gate needs a restart",
  ),
  socketsUnder(
    "v1.4.0",
    cluster("v1.4.0", { rollout: "LiveUpdate" }),
    "live",
    "rules §4.2 v1.2.x–v1.4.x",
    "with LiveUpdate and the gate is live",
  ),
  socketsUnder(
    "v1.5.0",
    cluster("v1.5.0", { rollout: "LiveUpdate", gate: false }),
    "live",
    "rules §4.1 v1.5.0 (VMLiveUpdateFeatures GA)",
    "with LiveUpdate and no gate is live (gate GA)",
  ),
  socketsUnder(
    "v1.5.0",
    cluster("v1.5.0"),
    "restart",
    "rules §4.1 (default rollout Stage before v1.6)",
    "with the rollout strategy unset needs a restart (default Stage)",
  ),
  socketsUnder(
    "v1.4.0",
    cluster("v1.4.0", { gate: true }),
    "restart",
    "rules §4.1 (default rollout Stage before v1.6; the gate alone is not enough)",
    "with the gate but the rollout strategy unset needs a restart",
  ),
  socketsUnder(
    "v1.6.0",
    cluster("v1.6.0"),
    "live",
    "rules §4.1 v1.6.0 (default rollout LiveUpdate)",
    "with the rollout strategy unset is live (default LiveUpdate)",
  ),
  socketsUnder(
    "v1.7.0",
    cluster("v1.7.0", { rollout: "Stage" }),
    "restart",
    "tests/hotplug/rolloutstrategy.go [test_id:11207] should set RestartRequired when changing any spec field",
    "with Stage needs a restart",
  ),
  socketsUnder(
    "v1.3.1",
    cluster("v1.3.1", { rollout: "Stage", gate: true }),
    "restart",
    "rules §1.1 Stage",
    "with Stage (gate on) needs a restart",
  ),
  {
    name: "rollout: the cluster switched Stage→LiveUpdate while the VM ran: the VMI has maxSockets 0",
    source: "rules §1.9.4 (issue #16738)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "LiveUpdate" }),
    before: oneSocket,
    after: edit(oneSocket, sockets(2)),
    vmi: vmiOf(oneSocket),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart", reason: MSG.socketsAbove } } },
  },
  {
    name: "rollout: memory under the Stage strategy needs a restart",
    source: "rules §1.1 Stage (nothing rollout-dependent is neutralised)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: vm(specWith((s) => (s.domain!.memory!.guest = "1Gi"))),
    after: edit(vm(specWith((s) => (s.domain!.memory!.guest = "1Gi"))), (s) => (s.domain!.memory!.guest = "2Gi")),
    vmi: vmiOf(vm(specWith((s) => (s.domain!.memory!.guest = "1Gi"))), { maxGuest: "4Gi" }),
    expect: { outcome: "restart", changes: { [GUEST]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "rollout: changing the hostname needs a restart",
    source: `${VM_TEST} The RestartRequired condition: should appear when changing a non-live-updatable field`,
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith((s) => (s.hostname = "a"))),
    after: edit(vm(specWith((s) => (s.hostname = "a"))), (s) => (s.hostname = "b")),
    vmi: vmiOf(vm(specWith((s) => (s.hostname = "a"))), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [HOSTNAME]: { outcome: "restart", reason: MSG.template } } },
  },
  {
    name: "rollout: a hostname change in the same update blocks a socket hotplug",
    source: "rules §1.2 (the gate in front of the live handlers)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => {
      s.hostname = "renamed";
      s.domain!.cpu!.sockets = 2;
    }),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { [SOCKETS]: { outcome: "restart" }, [HOSTNAME]: { outcome: "restart", reason: MSG.template } },
      steps: { live: [SOCKETS] },
    },
  },
  {
    name: "rollout: changing evictionStrategy in the template needs a restart",
    source: "rules §1.1 (evictionStrategy is not live-updatable)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => ((s as Record<string, unknown>).evictionStrategy = "LiveMigrate")),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.evictionStrategy": { outcome: "restart", reason: MSG.template } },
    },
  },
  {
    name: "rollout: changing resources.requests.memory needs a restart",
    source: "rules §1.1 (resources are not live-updatable)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.domain!.resources = { requests: { memory: "3Gi" } })),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.domain.resources.requests.memory": { outcome: "restart", reason: MSG.template } },
    },
  },
  {
    name: "rollout: changing the CPU model needs a restart",
    source: "rules §1.1 (cpu.model)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: oneSocket,
    after: edit(oneSocket, (s) => (s.domain!.cpu!.model = "host-passthrough")),
    vmi: vmiOf(oneSocket, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.domain.cpu.model": { outcome: "restart", reason: MSG.template } },
    },
  },
  revert("v1.9.0", "none"),
  revert("v1.8.0", "none"),
  revert("v1.7.1", "none"),
  revert("v1.6.4", "none"),
  revert("v1.7.0", "restart"),
  revert("v1.6.3", "restart"),
  revert("v1.4.0", "restart"),
  handlerRR("v1.9.0", "live"),
  handlerRR("v1.6.4", "live"),
  handlerRR("v1.6.3", "restart"),
  handlerRR("v1.7.0", "restart"),
  {
    name: "rollout: a sticky RestartRequired from an unrelated earlier change blocks a socket hotplug (v1.5)",
    source: "rules §1.2 (gate: !HasCondition(vm, RestartRequired))",
    version: "v1.5.0",
    kubevirt: cluster("v1.5.0", { rollout: "LiveUpdate" }),
    before: vm(
      specWith((s) => (s.hostname = "b")),
      { conditions: [restartRequired(MSG.template)] },
    ),
    after: edit(vm(specWith((s) => (s.hostname = "b"))), sockets(2)),
    vmi: vmiOf(vm(specWith((s) => (s.hostname = "a"))), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart" } } },
  },
  {
    name: "rollout: a pending non-live change still differs on v1.9, so a socket hotplug is still blocked",
    source: "rules §1.1 / §1.2 (syncRestartRequired compares with the start spec, which still differs)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => (s.hostname = "b")),
      { conditions: [restartRequired(MSG.template)] },
    ),
    after: edit(vm(specWith((s) => (s.hostname = "b"))), sockets(2)),
    vmi: vmiOf(vm(specWith((s) => (s.hostname = "a"))), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [SOCKETS]: { outcome: "restart" } } },
  },
];

/** Reverts measured against the start spec (v1.9.0 vm.go syncRestartRequired) when the VMI alone shows it. */
export const revertScenarios: Scenario[] = [
  {
    name: "revert: removing a hostname added after the start clears RestartRequired on v1.9 (the VMI has none)",
    source:
      "v1.9.0 vm.go syncRestartRequired (start revision without hostname == new template: RR removed); the VMI spec has no hostname because the start spec had none (hostname is not defaulted)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => (s.hostname = "b")),
      { conditions: [restartRequired(MSG.template)] },
    ),
    after: edit(vm(specWith((s) => (s.hostname = "b"))), (s) => delete s.hostname),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4 }),
    expect: { outcome: "none", changes: { [HOSTNAME]: { outcome: "none" } } },
  },
  {
    name: "revert: reverting one of two pending non-live changes keeps RestartRequired on v1.9",
    source: "v1.9.0 vm.go syncRestartRequired (the hostname still differs from the start revision)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => {
        s.hostname = "b";
        s.domain!.cpu!.cores = 2;
      }),
      { conditions: [restartRequired(MSG.template)] },
    ),
    after: edit(
      vm(
        specWith((s) => {
          s.hostname = "b";
          s.domain!.cpu!.cores = 2;
        }),
      ),
      (s) => (s.domain!.cpu!.cores = 1),
    ),
    vmi: vmiOf(vm(specWith((s) => (s.hostname = "a"))), { maxSockets: 4 }),
    expect: { outcome: "restart" },
  },
  {
    name: "revert: a pending hostname change and a live nodeSelector on v1.9: the nodeSelector waits too",
    source: "v1.9.0 vm.go sync (syncRestartRequired still finds the hostname; the gate stays closed)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(
      specWith((s) => (s.hostname = "b")),
      { conditions: [restartRequired(MSG.template)] },
    ),
    after: edit(vm(specWith((s) => (s.hostname = "b"))), (s) => {
      s.nodeSelector = { zone: "a" };
    }),
    vmi: vmiOf(vm(specWith((s) => (s.hostname = "a"))), { maxSockets: 4 }),
    expect: { outcome: "restart", changes: { [NODE_SELECTOR]: { outcome: "restart" } } },
  },
  {
    name: "revert: writing the VMI's defaulted cpu.model into the VM needs a restart",
    source: "rules §1.9.3 (copying VMI-defaulted values such as cpu.model into the VM → RR; issue #17610)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: vm(specWith(() => {})),
    after: edit(vm(specWith(() => {})), (s) => (s.domain!.cpu!.model = "host-model")),
    vmi: vmiOf(vm(specWith(() => {})), { maxSockets: 4, mutate: (s) => (s.domain!.cpu!.model = "host-model") }),
    expect: {
      outcome: "restart",
      changes: { "spec.template.spec.domain.cpu.model": { outcome: "restart", reason: MSG.template } },
    },
  },
];

const twoGi = vm(specWith((s) => (s.domain!.memory!.guest = "2Gi")));

/** Quantities written other ways (Kubernetes resource.Quantity semantics). */
export const quantityScenarios: Scenario[] = [
  {
    name: "quantity: 2Gi written as 2147483648 bytes is no change",
    source: "handleMemoryHotplugRequest step 3 (Quantity.Equal compares values)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, (s) => (s.domain!.memory!.guest = "2147483648")),
    vmi: vmiOf(twoGi, { maxGuest: "8Gi" }),
    expect: { outcome: "none" },
  },
  {
    name: "quantity: 3Gi written as a plain number of bytes is hot-plugged",
    source: "handleMemoryHotplugRequest (3221225472 = 3Gi)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, (s) => (s.domain!.memory!.guest = 3221225472)),
    vmi: vmiOf(twoGi, { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
  {
    name: "quantity: 2G (decimal) instead of 2Gi is not 2Mi aligned: the validator answers before the guestAtBoot check",
    source:
      "v1.9.0 vm.go handleMemoryHotplugRequest (ValidateLiveUpdateMemory before the guestAtBoot comparison); 2G = 2000000000 bytes",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, (s) => (s.domain!.memory!.guest = "2G")),
    vmi: vmiOf(twoGi, { maxGuest: "8Gi" }),
    expect: {
      outcome: "restart",
      changes: { [GUEST]: { outcome: "restart", reason: `${MSG.memNotSupported}${MSG.mem2Mi}` } },
    },
  },
  {
    name: "quantity: 4096Mi is 4Gi: a live hotplug to exactly the computed maxGuest 8Gi written as 8192Mi",
    source: "rules §2.3 row 6 (guest > maxGuest only); Quantity comparison by value",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, (s) => (s.domain!.memory!.guest = "8192Mi")),
    vmi: vmiOf(twoGi, { maxGuest: "8Gi" }),
    expect: { outcome: "live", changes: { [GUEST]: { outcome: "live" } } },
  },
];

/** The safer order when live and restart-required changes are mixed (issue 2: live part first). */
export const stepScenarios: Scenario[] = [
  {
    name: "steps: sockets and memory with a hostname change: the two hotplugs form step 1",
    source: "issue 2 (the safer order, live part first); rules §1.2 (together, nothing would be hot-plugged)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: twoGi,
    after: edit(twoGi, (s) => {
      s.domain!.cpu!.sockets = 2;
      s.domain!.memory!.guest = "4Gi";
      s.hostname = "renamed";
    }),
    vmi: vmiOf(twoGi, { maxSockets: 4, maxGuest: "8Gi" }),
    expect: {
      outcome: "restart",
      changes: {
        [SOCKETS]: { outcome: "restart" },
        [GUEST]: { outcome: "restart" },
        [HOSTNAME]: { outcome: "restart", reason: MSG.template },
      },
      steps: { live: [SOCKETS, GUEST] },
    },
  },
  {
    name: "steps: no safer order when the live part could not complete (no LiveMigrate)",
    source: "issue 2; rules §4.2 (without LiveMigrate the hotplug never completes)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { methods: [] }),
    before: twoGi,
    after: edit(twoGi, (s) => {
      s.domain!.cpu!.sockets = 2;
      s.hostname = "renamed";
    }),
    vmi: vmiOf(twoGi, { maxSockets: 4, maxGuest: "8Gi" }),
    expect: { outcome: "restart", steps: null },
  },
  {
    name: "steps: no safer order under Stage (nothing is live)",
    source: "rules §1.1 Stage",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0", { rollout: "Stage" }),
    before: twoGi,
    after: edit(twoGi, (s) => {
      s.domain!.cpu!.sockets = 2;
      s.hostname = "renamed";
    }),
    vmi: vmiOf(twoGi),
    expect: { outcome: "restart", steps: null },
  },
];
