/**
 * The planning API of core, for programs and policies that want to know before an update what it will
 * do to a running VM: live, restart, rejected, stuck, staged or none.
 *
 *   const plan = planVirtualMachineUpdate({ before, after, kubevirt, version: "v1.4.1" });
 *   if (plan.outcome === "restart") ...
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
export { planVirtualMachineUpdate, type PlanOptions } from "../core/kubevirt/planner";
export { admitVirtualMachine, type AdmitVirtualMachineInput } from "../core/kubevirt/admission";
export { versionProfile, type VersionProfile } from "../core/kubevirt/versionProfile";
export { resolveClusterConfig, type ClusterConfig } from "../core/kubevirt/clusterConfig";
export {
  parseKubeVirtVersion,
  formatVersion,
  atLeast,
  type KubeVirtVersion,
  VersionError,
} from "../core/kubevirt/version";
