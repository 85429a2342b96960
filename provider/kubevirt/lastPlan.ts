import type { VirtualMachinePlan } from "../../core/kubevirt/plan";

/**
 * The `lastPlan` output: what the last create/update did to the running VM and why, kept in state so
 * a user (or a policy pack) can read it after `pulumi up`.
 */
export interface LastPlan {
  readonly outcome: string;
  readonly version: string;
  readonly predicted: boolean;
  readonly changes: readonly { path: string; before: unknown; after: unknown; outcome: string; reason: string }[];
  readonly messages: readonly string[];
  /** what the provider did: "applied live", "restarted", "left RestartRequired", "staged", "nothing to do" */
  readonly action: string;
}

export function lastPlanOf(plan: VirtualMachinePlan, action: string): LastPlan {
  return {
    outcome: plan.outcome,
    version: plan.version,
    predicted: plan.predicted,
    changes: plan.changes.map((c) => ({
      path: c.path,
      before: c.before ?? null,
      after: c.after ?? null,
      outcome: c.outcome,
      reason: c.reason,
    })),
    messages: [...plan.messages],
    action,
  };
}
