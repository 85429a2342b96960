/**
 * Scenarios where the planner (core/kubevirt/planner) disagrees with KubeVirt, checked against the rules
 * document and KubeVirt's code (the code wins). Each stays in the corpus asserting KubeVirt's behaviour and is
 * reported as pending until the planner is fixed: this list is the planner's to-do. Remove an entry once it
 * passes (the suite fails when a listed scenario starts passing, so the list cannot go stale).
 */

export const KNOWN_PLANNER_DISAGREEMENTS: ReadonlyMap<string, string> = new Map<string, string>([]);
