/**
 * The planning API of core, for programs and policies that want to know before an update what it will
 * do to a running VM: live, restart, rejected, stuck, staged or none.
 */
export {
  OUTCOMES,
  worstOutcome,
  type Outcome,
  type PlannedChange,
  type AdmissionCause,
  type PlanInput,
  type PlanStep,
  type VirtualMachinePlan,
} from "../core/kubevirt/plan";
export {
  parseKubeVirtVersion,
  formatVersion,
  atLeast,
  type KubeVirtVersion,
  VersionError,
} from "../core/kubevirt/version";
