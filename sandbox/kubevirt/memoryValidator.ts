/**
 * The sandbox's own model of KubeVirt's memory-hotplug validator (`pkg/liveupdate/memory/memory.go`
 * `ValidateLiveUpdateMemory`, v1.3+; the v1.2.x admitter's `validateLiveUpdateMemory`): the first
 * failing check's message, or undefined when the configuration supports memory hotplug.
 */
import { atLeast, type KubeVirtVersion } from "../../core/kubevirt/version";
import { at, bytes, type Obj } from "./spec";

const Mi2 = 2n * 1024n * 1024n;
const Gi = 1024n * 1024n * 1024n;

/** Whether the validator accepts arm64 besides amd64 (v1.3.0–v1.5.2 and v1.6.0). */
function allowsArm64(v: KubeVirtVersion): boolean {
  if (v.major !== 1) return false;
  if (v.minor === 3 || v.minor === 4) return true;
  if (v.minor === 5) return v.patch <= 2;
  if (v.minor === 6) return v.patch === 0;
  return false;
}

export function validateLiveUpdateMemory(spec: Obj, maxGuest: unknown, version: KubeVirtVersion): string | undefined {
  const cpu = at(spec, "domain", "cpu");
  if (at(cpu, "realtime") !== undefined && at(cpu, "realtime") !== null)
    return "Memory hotplug is not compatible with realtime VMs";
  if (at(cpu, "numa", "guestMappingPassthrough") !== undefined && at(cpu, "numa", "guestMappingPassthrough") !== null)
    return "Memory hotplug is not compatible with guest mapping passthrough";
  if (at(spec, "domain", "launchSecurity") !== undefined && at(spec, "domain", "launchSecurity") !== null)
    return "Memory hotplug is not compatible with encrypted VMs";
  if (!atLeast(version, 3)) {
    if (at(cpu, "dedicatedCpuPlacement") === true) return "Memory hotplug is not compatible with dedicated CPUs";
    if (at(spec, "domain", "memory", "hugepages") !== undefined)
      return "Memory hotplug is not compatible with hugepages";
  }
  const guest = bytes(at(spec, "domain", "memory", "guest"));
  if (guest === undefined) return "Guest memory must be configured when memory hotplug is enabled";
  const max = bytes(maxGuest);
  if (max === undefined) return "Max guest memory must be configured when memory hotplug is enabled";
  if (guest > max) return "Guest memory is greater than the configured maxGuest memory";
  const oneGiPages = at(spec, "domain", "memory", "hugepages", "pageSize") === "1Gi";
  const align = oneGiPages ? Gi : Mi2;
  const alignText = oneGiPages ? "1Gi" : "2Mi";
  if (guest % align !== 0n) return `Guest memory must be ${alignText} aligned`;
  if (max % align !== 0n) return `MaxGuest must be ${alignText} aligned`;
  const arch = at(spec, "architecture");
  if (allowsArm64(version)) {
    if (arch !== "amd64" && arch !== "arm64") return "Memory hotplug is only available for x86_64 and arm64 VMs";
  } else if (arch !== "amd64") return "Memory hotplug is only available for x86_64 VMs";
  // pkg/liveupdate/memory/memory.go has this check from v1.3.1 (not in v1.3.0)
  if (atLeast(version, 3, 1) && guest < Gi)
    return "Memory hotplug is only available for VMs with at least 1Gi of guest memory";
  return undefined;
}
