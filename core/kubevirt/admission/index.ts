import type { ClusterConfig } from "../clusterConfig";
import * as memoryValidatorModule from "../memoryValidator";
import type { AdmissionCause } from "../plan";
import * as quantityModule from "../quantity";
import type { KubeVirt } from "../schema/kubeVirt";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import type { AdmissionContext } from "./admissionContext";
import * as admissionContextModule from "./admissionContext";
import * as instancetypeConflictsModule from "./instancetypeConflicts";
import * as liveUpdateFeaturesModule from "./liveUpdateFeatures";
import * as runningVmUpdateModule from "./runningVmUpdate";
import * as runStrategyModule from "./runStrategy";
import * as templateDefaultsModule from "./templateDefaults";
import * as vmiSpecModule from "./vmiSpec";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { validateLiveUpdateMemory } = memoryValidatorModule;
const { isQuantity } = quantityModule;
const { admissionSwitches } = admissionContextModule;
const { validateInstancetypeConflicts } = instancetypeConflictsModule;
const { validateLiveUpdateFeatures } = liveUpdateFeaturesModule;
const { validateRunningVmUpdate } = runningVmUpdateModule;
const { validateRunStrategy } = runStrategyModule;
const { applyTemplateDefaults } = templateDefaultsModule;
const { validateVirtualMachineInstanceSpec } = vmiSpecModule;

export { admitVirtualMachineInstanceUpdate, type VirtualMachineInstanceUpdateInput } from "./vmiUpdate";
export { applyTemplateDefaults } from "./templateDefaults";
export { validateVirtualMachineInstanceSpec } from "./vmiSpec";
export type { AdmissionContext } from "./admissionContext";

export interface AdmitVirtualMachineInput {
  /** the VM submitted (create or update) */
  readonly vm: VirtualMachine;
  /** the stored VM, for an update: v1.0/v1.1 had old-vs-new rules for running VMs */
  readonly oldVm?: VirtualMachine;
  /** the running VMI, read by the v1.0/v1.1 running-VM rules */
  readonly vmi?: VirtualMachineInstance;
  readonly cluster: ClusterConfig;
  readonly profile: VersionProfile;
  /**
   * The KubeVirt CR, optional: read only for settings ClusterConfig does not carry
   * (developerConfiguration.memoryOvercommit and configuration.cpuRequest, which the defaults step uses).
   */
  readonly kubevirt?: KubeVirt;
}

/**
 * KubeVirt's VirtualMachine validating webhook (vms-admitter.go `Admit`), for the rules that concern CPU, memory,
 * dedicated CPUs, NUMA, realtime, architecture, hugepages sizing, `liveUpdateFeatures` and live updates, with
 * KubeVirt's own messages, cause types and fields. An empty array means the request is admitted.
 *
 * Like KubeVirt: a VM with a deletionTimestamp is allowed; the template fields an instance type owns are denied
 * first (instancetypeConflicts.ts); the defaults step runs on a copy of the template (the input is not modified), then the VMI rules
 * on `spec.template.spec` and the VM-level live-update rules; for v1.0/v1.1 updates whose spec rules pass, the
 * old-vs-new rules for a running VM. Instance types are not expanded (their contents live in the cluster).
 */
export function admitVirtualMachine(input: AdmitVirtualMachineInput): AdmissionCause[] {
  // a VM being deleted is admitted at once; the instance type is applied (and its conflicts returned) first
  if (input.vm.metadata?.deletionTimestamp != null) return [];
  const conflicts = validateInstancetypeConflicts(input.vm, input.profile.version);
  if (conflicts.length > 0) return conflicts;
  const ctx = admissionContext(input);
  const spec = applyTemplateDefaults(input.vm.spec.template.spec, {
    version: ctx.version,
    defaultArchitecture: ctx.defaultArchitecture,
    memoryOvercommit: ctx.memoryOvercommit,
    cpuRequest: ctx.cpuRequest,
  });
  const causes = [
    ...validateVirtualMachineInstanceSpec("spec.template.spec", spec, ctx),
    ...validateRunStrategy(input.vm, ctx.version, ctx.isFeatureGateEnabled),
    ...validateLiveUpdateFeatures(input.vm, spec, ctx),
  ];
  if (causes.length > 0) return causes;
  const switches = admissionSwitches(ctx.version);
  if (switches.runningVmUpdateRules && input.oldVm) {
    return validateRunningVmUpdate(input.oldVm, input.vm, input.vmi, {
      migrationMessage: switches.migrationMessage,
      memory: switches.liveUpdateFeaturesMemory,
    });
  }
  return [];
}

/**
 * KubeVirt's VirtualMachineInstance create webhook (vmi-create-admitter.go), for the same rule groups: the VMI
 * rules with prefix `spec`. `vmi` must already carry the mutating webhook's defaults (architecture, topology,
 * the computed maxSockets/maxGuest): e.g. a VMI started with more sockets than the cluster's maxCpuSockets in
 * v1.2–v1.3.1 fails here with "Number of sockets in CPU topology is greater than the maximum sockets allowed".
 */
export function admitVirtualMachineInstance(
  input: Pick<AdmitVirtualMachineInput, "cluster" | "profile" | "kubevirt"> & { readonly vmi: VirtualMachineInstance },
): AdmissionCause[] {
  return validateVirtualMachineInstanceSpec("spec", input.vmi.spec, admissionContext(input));
}

// Without a KubeVirt CR the context depends only on the (cached, immutable) cluster config and profile: it is
// kept per cluster config, for the profile it was built with (a cluster config is used with its own version's).
const CONTEXTS = new WeakMap<ClusterConfig, { readonly profile: VersionProfile; readonly context: AdmissionContext }>();

/** Builds the rules' context from the planner's cluster config and version profile. */
export function admissionContext(
  input: Pick<AdmitVirtualMachineInput, "cluster" | "profile" | "kubevirt">,
): AdmissionContext {
  if (input.kubevirt !== undefined) return buildAdmissionContext(input);
  const known = CONTEXTS.get(input.cluster);
  if (known?.profile === input.profile) return known.context;
  const context = buildAdmissionContext(input);
  CONTEXTS.set(input.cluster, { profile: input.profile, context });
  return context;
}

function buildAdmissionContext(
  input: Pick<AdmitVirtualMachineInput, "cluster" | "profile" | "kubevirt">,
): AdmissionContext {
  const { cluster, profile, kubevirt } = input;
  const version = profile.version;
  const configuration = kubevirt?.spec?.configuration as Record<string, unknown> | undefined;
  const developer = configuration?.developerConfiguration as Record<string, unknown> | undefined;
  const overcommit = developer?.memoryOvercommit;
  const cpuRequest = configuration?.cpuRequest;
  return {
    version,
    // v1.0/v1.1 have no rollout strategy: ClusterConfig.liveUpdate is the gate there, which the v1.0/v1.1 rules
    // read through isFeatureGateEnabled instead
    liveUpdate: cluster.liveUpdate,
    isFeatureGateEnabled: (name) => cluster.isFeatureGateEnabled(name),
    defaultArchitecture: cluster.defaultArchitecture,
    // virt-operator publishes its own GOARCH as status.defaultArchitecture unless a default is configured
    nativeArchitecture: cluster.defaultArchitecture,
    memoryOvercommit: typeof overcommit === "number" && overcommit > 0 ? overcommit : 100,
    cpuRequest: isQuantity(cpuRequest) ? cpuRequest : undefined,
    validateLiveUpdateMemory: (spec, maxGuest) =>
      validateLiveUpdateMemory(spec, maxGuest, version, cluster.defaultArchitecture),
  };
}
