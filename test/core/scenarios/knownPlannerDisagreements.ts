/**
 * Scenarios where the planner (core/kubevirt/planner) disagrees with KubeVirt, checked against the rules
 * document and KubeVirt's code. Each stays in the corpus asserting KubeVirt's behaviour and is reported as
 * pending until the planner is fixed: this list is the planner's to-do. Remove an entry once it passes (the
 * suite fails when a listed scenario starts passing, so the list cannot go stale).
 */
const REVERT =
  "vm.go syncRestartRequired (v1.6.4/v1.7.1/v1.8.0+, PR #16606) compares the START spec (the VMI's, cores 1) with the new spec: equal, so RR is cleared and nothing restarts; the planner takes `before` (cores 2) as the start spec and plans a restart";

export const KNOWN_PLANNER_DISAGREEMENTS: ReadonlyMap<string, string> = new Map<string, string>([
  ["rollout: reverting a non-live change on v1.9.0 clears RestartRequired", REVERT],
  ["rollout: reverting a non-live change on v1.8.0 clears RestartRequired", REVERT],
  ["rollout: reverting a non-live change on v1.7.1 clears RestartRequired", REVERT],
  ["rollout: reverting a non-live change on v1.6.4 clears RestartRequired", REVERT],
  [
    "rollout: a pending non-live change still differs on v1.9, so a socket hotplug is still blocked",
    "vm.go sync: syncRestartRequired compares the start spec (VMI hostname a) with the VM (hostname b): still differs, RR stays and the gate (!restartRequired) keeps handleCPUChangeRequest from running; the planner compares `before` with `after` only and plans the socket live",
  ],
  [
    "network: a NAD name change on v1.9 with a non-migratable VMI: no RestartRequired, the migration never happens",
    "v1.9.0 pkg/network/vmliveupdate/restart.go IsRestartRequired ignores multus.networkName with no migratability check (restart_test.go 'should not require restart when NAD name changes'; LiveUpdateNADRef GA, conditionals removed in f3fbce8e7f); the network controller copies the NAD name into the VMI and evaluator.go marks MigrationRequired, which a non-migratable VMI never completes (stuck). The planner follows rules §1.7 ('RR if not migratable') and plans RestartRequired",
  ],
]);
