import { formatQuantity, quantitiesEqual } from "../../core/kubevirt/quantity";
import { all } from "./condition/all";
import { conditionStatus, findCondition } from "./condition/conditionStatus";
import { deleted } from "./condition/deleted";
import { failWhen } from "./condition/failWhen";
import { jsonPath } from "./condition/jsonPath";
import { ready } from "./condition/ready";
import type { Satisfier } from "./condition/satisfier";

/**
 * What "done" means for a VirtualMachineInstance, per KubeVirt's status surfaces
 * (kubevirt-live-update-rules.md §5): the conditions the provider awaits for a live CPU/memory update,
 * for a running VMI, for a restart (a new UID), and for deletion.
 */

export interface LiveUpdateTarget {
  /** the CPU socket count the VMI must run with */
  readonly sockets?: number;
  /** the guest memory the VMI must run with */
  readonly guest?: string | number;
}

function sameQuantity(want: string | number): (v: unknown) => boolean {
  return (v) => (typeof v === "string" || typeof v === "number") && safeEqual(v, want);
}

function safeEqual(a: string | number, b: string | number): boolean {
  try {
    return quantitiesEqual(a, b);
  } catch {
    return false;
  }
}

/** The memory-hotplug failure KubeVirt reports: HotMemoryChange=False ("Memory Hotplug Failed"). */
export function memoryHotplugFailure(vmiName: string): Satisfier {
  return failWhen((vmi) => {
    const c = findCondition(vmi, "HotMemoryChange");
    if (c?.status !== "False") return undefined;
    return `memory hotplug of VirtualMachineInstance ${vmiName} failed: ${c.reason ?? "Memory Hotplug Failed"}: ${
      c.message ?? "memory hotplug failed"
    }. KubeVirt will not retry it and marks the VM RestartRequired: restart the VM to apply the new memory (set onRestartRequired: "restart", or run virtctl restart), or revert memory.guest`;
  });
}

/**
 * A live update is done when the VMI spec carries the target (KubeVirt's VM controller patched it),
 * the status reached it (the target virt-handler hot-plugged after the migration), and the hotplug
 * conditions are gone.
 */
export function liveUpdateApplied(vmiName: string, target: LiveUpdateTarget): Satisfier {
  const parts: Satisfier[] = [];
  if (target.sockets !== undefined) {
    const s = target.sockets;
    parts.push(
      jsonPath("spec.domain.cpu.sockets", (v) => v === s, String(s)),
      jsonPath("status.currentCPUTopology.sockets", (v) => sameSocketCount(v, s), String(s)),
      conditionStatus("HotVCPUChange", "absent"),
    );
  }
  if (target.guest !== undefined) {
    const g = target.guest;
    const want = safeFormat(g);
    parts.push(
      jsonPath("spec.domain.memory.guest", sameQuantity(g), want),
      jsonPath("status.memory.guestRequested", sameQuantity(g), want),
      jsonPath("status.memory.guestCurrent", sameQuantity(g), want),
      conditionStatus("HotMemoryChange", "absent"),
      memoryHotplugFailure(vmiName),
    );
  }
  parts.push(
    failWhen((vmi) =>
      (vmi["status"] as { phase?: string } | undefined)?.phase === "Failed"
        ? `VirtualMachineInstance ${vmiName} failed while the change was being applied`
        : undefined,
    ),
  );
  return all(...parts);
}

/**
 * KubeVirt's vCPU count skips zero factors (GetNumberOfVCPUs), so 0 and 1 socket are the same topology: patching
 * an unset socket count to 1 raises no HotVCPUChange, and the status keeps its 0.
 */
function sameSocketCount(v: unknown, want: number): boolean {
  return v === want || (typeof v === "number" && Math.max(v, 1) === Math.max(want, 1));
}

function safeFormat(q: string | number): string {
  try {
    return formatQuantity(q);
  } catch {
    return String(q);
  }
}

/** The VMI runs (phase Running, Ready=True) and is not being deleted. */
export function running(vmiName: string): Satisfier {
  // a VMI being deleted (a restart or stop under way) still reports Running and Ready until it is gone
  return all(
    jsonPath("metadata.deletionTimestamp", (v) => v === undefined, "unset (not being deleted)"),
    ready(`VirtualMachineInstance ${vmiName}`),
  );
}

/** A restart finished: a VMI with a UID other than `oldUid` is running. */
export function restarted(vmiName: string, oldUid: string | undefined): Satisfier {
  return all(
    jsonPath("metadata.uid", (v) => typeof v === "string" && v !== oldUid, `a new UID (not ${oldUid ?? "none"})`),
    running(vmiName),
  );
}

export function gone(what: string): Satisfier {
  return deleted(what);
}
