import type { Outcome } from "../../core/kubevirt/plan";

/** Each outcome in plain words, for the summary lines of the table and markdown outputs. */
export const OUTCOME_WORDS: Readonly<Record<Outcome, string>> = {
  none: "no effect on the running VM",
  staged: "applies at the next start (the VM is not running)",
  live: "applied to the running VM without a restart",
  stuck: "accepted, but KubeVirt will never complete it",
  restart: "needs a restart: KubeVirt sets RestartRequired",
  rejected: "rejected by KubeVirt's admission webhook",
};
