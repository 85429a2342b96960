import { compareQuantities, isQuantity } from "../../core/kubevirt/quantity";
import type { KubeObject } from "../kubernetes/watchCache";
import { getAt, parsePath } from "../json/path";

export const SOCKETS_PATH = "spec.template.spec.domain.cpu.sockets";
export const GUEST_PATH = "spec.template.spec.domain.memory.guest";

/**
 * Live changes KubeVirt has accepted but not finished: the VMI spec already has the desired sockets or guest
 * memory (the VM controller patched it) while its status does not (the hotplug migration has not completed).
 * This is what an update interrupted after its patch (a killed provider, a timeout) leaves behind: the VM
 * already equals the program, so planning live → desired finds nothing, yet the change is still in flight
 * and the update must wait for it rather than report the old topology.
 */
export function pendingHotplugPaths(vmi: KubeObject | undefined, desired: unknown): string[] {
  if (!vmi) return [];
  const paths: string[] = [];
  const sockets = getAt(desired, parsePath(SOCKETS_PATH));
  const vmiSockets = getAt(vmi, ["spec", "domain", "cpu", "sockets"]);
  const currentSockets = getAt(vmi, ["status", "currentCPUTopology", "sockets"]);
  if (typeof sockets === "number" && vmiSockets === sockets && typeof currentSockets === "number") {
    if (currentSockets !== sockets) paths.push(SOCKETS_PATH);
  }
  const guest = getAt(desired, parsePath(GUEST_PATH));
  const vmiGuest = getAt(vmi, ["spec", "domain", "memory", "guest"]);
  const requested = getAt(vmi, ["status", "memory", "guestRequested"]);
  if (isQuantity(guest) && isQuantity(vmiGuest) && isQuantity(requested)) {
    if (compareQuantities(guest, vmiGuest) === 0 && compareQuantities(guest, requested) !== 0) paths.push(GUEST_PATH);
  }
  return paths;
}
