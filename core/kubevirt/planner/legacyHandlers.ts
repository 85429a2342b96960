import { vcpuCount } from "../defaults/topology";
import { compareQuantities } from "../quantity";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import type { VersionProfile } from "../versionProfile";
import type { FieldGroup } from "./fieldGroups";
import { placementHandler } from "./placementHandlers";
import type { Verdict } from "./verdict";
import { conditionStatus, isMigrating } from "./vmiState";

/** A change KubeVirt v1.0/v1.1 cannot apply live: there is no RestartRequired condition (rules §9). */
export function silentlyStaged(profile: VersionProfile, what = "this change"): Verdict {
  return {
    outcome: "restart",
    reason: `KubeVirt ${profile.label} does not apply ${what} to the running VM and has no RestartRequired condition (it arrived in v1.2): it is staged silently and takes effect at the next restart`,
  };
}

/**
 * The v1.0/v1.1 VM controller (rules §1.3–§1.5 "up to v1.1", §2.6, §3.1): the live handlers run whenever the VM
 * carries the matching `spec.liveUpdateFeatures` section, with no RestartRequired comparison in front of them.
 * v1.0: CPU only (`liveUpdateFeatures` present); v1.1: `.cpu`, `.memory`, `.affinity`.
 */
export function legacyVerdict(
  group: FieldGroup,
  after: VirtualMachine,
  vmi: VirtualMachineInstance,
  profile: VersionProfile,
): Verdict {
  const features = after.spec.liveUpdateFeatures;
  const desired = after.spec.template.spec ?? {};
  const v10 = profile.version.minor === 0;
  switch (group) {
    case "cpuSockets": {
      const enabled = features !== undefined && (v10 || features.cpu !== undefined);
      if (!enabled) return silentlyStaged(profile, "a socket change without spec.liveUpdateFeatures.cpu");
      const vmCpu = desired.domain?.cpu;
      const vmiCpu = vmi.spec.domain?.cpu;
      if (!vmCpu || !vmiCpu) return silentlyStaged(profile, "a CPU change on a VM or VMI without domain.cpu");
      if (vcpuCount(vmCpu) === vcpuCount(vmiCpu)) {
        return { outcome: "none", reason: `the running VMI already has ${vcpuCount(vmiCpu)} vCPUs` };
      }
      const retry =
        conditionStatus(vmi.status?.conditions, "HotVCPUChange") === "True"
          ? "another CPU hotplug is in progress"
          : isMigrating(vmi)
            ? "CPU hotplug is not allowed while VMI is migrating"
            : undefined;
      const maxSockets = vmiCpu.maxSockets ?? 0;
      const sockets = vmCpu.sockets ?? 0;
      if (sockets > maxSockets) {
        return {
          outcome: "stuck",
          reason: `the VM controller of ${profile.label} patches the VMI's sockets to ${sockets} without checking its maxSockets ${maxSockets}: the hotplug cannot go beyond what the VMI booted with and never completes until a restart${maxSockets === 0 ? " (with no maxSockets the VMI never gets HotVCPUChange, so not even an eviction applies it)" : ""}`,
          // vmi.go requireCPUHotplug: HotVCPUChange, which the workload updater acts on, needs a maxSockets
          ...(maxSockets > 0 ? { needsMigration: "hotplug" as const } : {}),
          ...(retry ? { retry } : {}),
        };
      }
      return {
        outcome: "live",
        reason: `CPU hotplug (spec.liveUpdateFeatures.cpu): the VM controller patches the VMI's sockets ${vmiCpu.sockets ?? 0} → ${sockets}; the VMI gets HotVCPUChange`,
        needsMigration: "hotplug",
        ...(retry ? { retry } : {}),
      };
    }
    case "memoryGuest": {
      if (!profile.liveUpdateFeaturesMemory || features?.memory === undefined) {
        return silentlyStaged(profile, "a guest memory change without spec.liveUpdateFeatures.memory");
      }
      const vmGuest = desired.domain?.memory?.guest;
      const vmiGuest = vmi.spec.domain?.memory?.guest;
      const current = vmi.status?.memory?.guestCurrent;
      if (vmGuest == null || vmiGuest == null || current == null) {
        return silentlyStaged(profile, "a guest memory change on a VM or VMI without memory.guest");
      }
      if (compareQuantities(vmGuest, vmiGuest) === 0) {
        return { outcome: "none", reason: `the running VMI already has guest memory ${String(vmiGuest)}` };
      }
      const retry =
        conditionStatus(vmi.status?.conditions, "HotMemoryChange") === "True"
          ? "another memory hotplug is in progress"
          : isMigrating(vmi)
            ? "memory hotplug is not allowed while VMI is migrating"
            : undefined;
      if (vmi.spec.domain?.memory?.maxGuest == null) {
        return {
          outcome: "stuck",
          reason: `the VM controller patches the VMI's guest memory, but the VMI has no maxGuest (it booted without spec.liveUpdateFeatures.memory), so the memory never changes until a restart`,
          ...(retry ? { retry } : {}),
        };
      }
      const maxGuest = vmi.spec.domain.memory.maxGuest;
      if (compareQuantities(vmGuest, maxGuest) > 0) {
        // v1.1.0 vm.go handleMemoryHotplugRequest patches the VMI without comparing with its maxGuest (admission
        // only checks an explicit liveUpdateFeatures.memory.maxGuest); virt-launcher's UpdateGuestMemory then asks
        // libvirt for a virtio-mem size beyond the device the domain was defined with, which libvirt refuses.
        return {
          outcome: "stuck",
          reason: `the VM controller of ${profile.label} patches the VMI's guest memory to ${String(vmGuest)} without checking its maxGuest ${String(maxGuest)}: virt-launcher cannot grow the virtio-mem device past the size the VMI booted with (libvirt refuses the update), so the memory never changes until a restart`,
          needsMigration: "hotplug",
          ...(retry ? { retry } : {}),
        };
      }
      return {
        outcome: "live",
        reason: `memory hotplug (spec.liveUpdateFeatures.memory): the VM controller patches the VMI's guest memory ${String(vmiGuest)} → ${String(vmGuest)}; the VMI gets HotMemoryChange`,
        needsMigration: "hotplug",
        ...(retry ? { retry } : {}),
      };
    }
    case "nodeSelector":
    case "affinity":
      if (!profile.liveUpdateFeaturesAffinity || features?.affinity === undefined) {
        return silentlyStaged(
          profile,
          `a ${group} change${profile.liveUpdateFeaturesAffinity ? " without spec.liveUpdateFeatures.affinity" : ""}`,
        );
      }
      return placementHandler(group, desired, vmi);
    default:
      return silentlyStaged(profile);
  }
}
