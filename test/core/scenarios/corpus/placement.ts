import type { VmiSpec } from "../../../../core/kubevirt/schema/common";
import {
  AFFINITY,
  CORES,
  MSG,
  NODE_SELECTOR,
  SOCKETS,
  TOLERATIONS,
  cluster,
  edit,
  specWith,
  vm,
  vmiOf,
  type Scenario,
} from "../builders";

const VM_TEST = "pkg/virt-controller/watch/vm/vm_test.go";
const AFFINITY_E2E = "tests/hotplug/affinity.go";

const base = vm(specWith(() => {}));
const withTolerations = vm(
  specWith((s) => {
    s.tolerations = [{ key: "dedicated", operator: "Equal", value: "vms", effect: "NoSchedule" }];
  }),
);
const nodeSelector = (s: VmiSpec) => {
  s.nodeSelector = { "kubernetes.io/hostname": "node02" };
};
const addToleration = (s: VmiSpec) => {
  s.tolerations = [...(s.tolerations ?? []), { key: "gpu", operator: "Exists", effect: "NoSchedule" }];
};
const affinity = (s: VmiSpec) => {
  s.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }],
      },
    },
  };
};

function placement(
  name: string,
  version: string,
  kubevirt: ReturnType<typeof cluster>,
  before: ReturnType<typeof vm>,
  mutate: (s: VmiSpec) => void,
  path: string,
  outcome: "live" | "restart",
  source: string,
  reason?: string,
): Scenario {
  return {
    name,
    source,
    version,
    kubevirt,
    before,
    after: edit(before, mutate),
    vmi: vmiOf(before, { maxSockets: 4 }),
    expect: { outcome, changes: { [path]: reason ? { outcome, reason } : { outcome } } },
  };
}

export const placementScenarios: Scenario[] = [
  placement(
    "placement: adding a nodeSelector is live",
    "v1.9.0",
    cluster("v1.9.0"),
    base,
    nodeSelector,
    NODE_SELECTOR,
    "live",
    `${AFFINITY_E2E} [test_id:11208] should successfully update node selector`,
  ),
  placement(
    "placement: adding node affinity is live",
    "v1.9.0",
    cluster("v1.9.0"),
    base,
    affinity,
    AFFINITY,
    "live",
    `${AFFINITY_E2E} [test_id:11209] should successfully update node affinity`,
  ),
  placement(
    "placement: a nodeSelector under Stage needs a restart",
    "v1.9.0",
    cluster("v1.9.0", { rollout: "Stage" }),
    base,
    nodeSelector,
    NODE_SELECTOR,
    "restart",
    "rules §1.1 (nodeSelector neutralised only under LiveUpdate)",
    MSG.template,
  ),
  placement(
    "placement: a nodeSelector on v1.5 with the rollout unset (Stage) needs a restart",
    "v1.5.0",
    cluster("v1.5.0"),
    base,
    nodeSelector,
    NODE_SELECTOR,
    "restart",
    "rules §1.1, §4.1 (default Stage before v1.6)",
    MSG.template,
  ),
  placement(
    "placement: a nodeSelector on v1.2.0 with LiveUpdate and the gate is live",
    "v1.2.0",
    cluster("v1.2.0", { rollout: "LiveUpdate" }),
    base,
    nodeSelector,
    NODE_SELECTOR,
    "live",
    "rules §1.5 (nodeSelector and affinity: v1.2.0+)",
  ),
  placement(
    "placement: a nodeSelector completes without any migration (workloadUpdateMethods empty)",
    "v1.9.0",
    cluster("v1.9.0", { methods: [] }),
    base,
    nodeSelector,
    NODE_SELECTOR,
    "live",
    "rules §0 / §1.5 (scheduling fields only patch the VMI spec; no migration)",
  ),
  placement(
    "placement: adding a toleration to a VM without tolerations is live",
    "v1.9.0",
    cluster("v1.9.0"),
    base,
    addToleration,
    TOLERATIONS,
    "live",
    `${VM_TEST} tolerations: when adding a toleration from an empty set`,
  ),
  placement(
    "placement: removing all tolerations is live",
    "v1.9.0",
    cluster("v1.9.0"),
    withTolerations,
    (s) => delete s.tolerations,
    TOLERATIONS,
    "live",
    `${VM_TEST} tolerations: when removing all tolerations`,
  ),
  placement(
    "placement: tolerations are live from v1.4.0",
    "v1.4.0",
    cluster("v1.4.0", { rollout: "LiveUpdate" }),
    base,
    addToleration,
    TOLERATIONS,
    "live",
    "rules §1.1 (tolerations neutralised since v1.4.0); §1.5",
  ),
  placement(
    "placement: tolerations on v1.3.1 need a restart",
    "v1.3.1",
    cluster("v1.3.1", { rollout: "LiveUpdate" }),
    base,
    addToleration,
    TOLERATIONS,
    "restart",
    "rules §1.1 (tolerations live only from v1.4.0)",
    MSG.template,
  ),
  placement(
    "placement: tolerations under Stage need a restart",
    "v1.8.0",
    cluster("v1.8.0", { rollout: "Stage" }),
    base,
    addToleration,
    TOLERATIONS,
    "restart",
    "rules §1.1 Stage",
    MSG.template,
  ),
  {
    name: "placement: a nodeSelector while the VMI migrates: live once the migration ends (retry)",
    source: "rules §1.5 ('Node affinity should not be changed during VMI migration', AffinityChangeError)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: base,
    after: edit(base, nodeSelector),
    vmi: vmiOf(base, { maxSockets: 4, migrating: true }),
    expect: { outcome: "live", changes: { [NODE_SELECTOR]: { outcome: "live", reason: MSG.affinityMigrating } } },
  },
  {
    name: "placement: a nodeSelector with a cores change: nothing live",
    source: "rules §1.2 (the gate)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: base,
    after: edit(base, (s) => {
      nodeSelector(s);
      s.domain!.cpu!.cores = 2;
    }),
    vmi: vmiOf(base, { maxSockets: 4 }),
    expect: {
      outcome: "restart",
      changes: { [NODE_SELECTOR]: { outcome: "restart" }, [CORES]: { outcome: "restart", reason: MSG.template } },
      steps: { live: [`${NODE_SELECTOR}.kubernetes.io/hostname`] },
    },
  },
  {
    name: "placement: sockets, nodeSelector and tolerations together are all live",
    source: "rules §0 (handlers in order: CPU, affinity, tolerations, memory)",
    version: "v1.9.0",
    kubevirt: cluster("v1.9.0"),
    before: base,
    after: edit(base, (s) => {
      nodeSelector(s);
      addToleration(s);
      s.domain!.cpu!.sockets = 2;
    }),
    vmi: vmiOf(base, { maxSockets: 4 }),
    expect: {
      outcome: "live",
      changes: {
        [NODE_SELECTOR]: { outcome: "live" },
        [TOLERATIONS]: { outcome: "live" },
        [SOCKETS]: { outcome: "live" },
      },
    },
  },
];
