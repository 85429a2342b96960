/**
 * Scenarios where the planner (core/kubevirt/planner) disagrees with KubeVirt, checked against the rules
 * document and KubeVirt's code (the code wins). Each stays in the corpus asserting KubeVirt's behaviour and is
 * reported as pending until the planner is fixed: this list is the planner's to-do. Remove an entry once it
 * passes (the suite fails when a listed scenario starts passing, so the list cannot go stale).
 */

export const KNOWN_PLANNER_DISAGREEMENTS: ReadonlyMap<string, string> = new Map<string, string>([
  [
    "revert: removing a hostname added after the start clears RestartRequired on v1.9 (the VMI has none)",
    "v1.9.0 vm.go syncRestartRequired: the start revision had no hostname (the VMI has none; hostname is never defaulted) and neither has the new template, so RR is removed and nothing restarts; startSpec.ts only corrects fields that BOTH the VMI and `before` state, so a revert to 'unset' is planned as a restart",
  ],
  [
    "revert: reverting one of two pending non-live changes keeps RestartRequired on v1.9",
    "v1.9.0 vm.go syncRestartRequired: cores is back to the start value but hostname (VMI 'a', template 'b') still differs from the start revision, so RR stays; the planner only compares the changed leaves (cores) and reports 'v1.9.0 removes the RestartRequired condition' (outcome none)",
  ],
]);
