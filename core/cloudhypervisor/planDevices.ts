import { sameValue } from "./configValue";
import { deviceEntries, type DeviceEntry } from "./deviceKinds";
import {
  emptyPartialPlan,
  PHASE,
  plannedChange,
  recreateReason,
  type PartialPlan,
  type PlanContext,
} from "./planContext";
import type { VmConfig } from "./schema/vmConfig";

/**
 * Hot-pluggable devices, matched by id: a new id is hot-added (vm.add-*), a missing id is hot-removed
 * (vm.remove-device). A device whose config changes under the same id cannot be changed in place, and
 * re-adding it under the same id right after removing it is unsafe (the id stays taken until the guest
 * has ejected the old device), so that needs the VM recreated; a new id swaps it live.
 */
export function planDevices(before: VmConfig, after: VmConfig, ctx: PlanContext): PartialPlan {
  const out = emptyPartialPlan();
  const old = new Map<string, DeviceEntry>();
  for (const entry of deviceEntries(before)) if (entry.id !== undefined) old.set(entry.id, entry);
  const wanted = deviceEntries(after);
  const wantedIds = new Set(wanted.map((e) => e.id));

  for (const [id, entry] of old) {
    if (wantedIds.has(id)) continue;
    const path = `${entry.kind.key}[id=${id}]`;
    out.changes.push(
      plannedChange(
        ctx,
        path,
        entry.config,
        null,
        ctx.running ? "live" : "staged",
        ctx.running
          ? `vm.remove-device removes the ${entry.kind.label} from the config and asks the guest to eject it; it is gone once the guest has ejected it`
          : `the VM is not running: vm.remove-device removes the ${entry.kind.label} from the stored config`,
      ),
    );
    out.calls.push({ phase: PHASE.removeDevice, call: { endpoint: "vm.remove-device", body: { id }, paths: [path] } });
  }

  for (const entry of wanted) {
    const id = entry.id!;
    const path = `${entry.kind.key}[id=${id}]`;
    const was = old.get(id);
    if (!was && ctx.running && ctx.pendingEject.has(id)) {
      out.changes.push(
        plannedChange(
          ctx,
          path,
          null,
          entry.config,
          "rejected",
          `the guest has not ejected the device removed under id ${JSON.stringify(id)} yet (it is still in vm.info's device_tree); adding it again now would clash: retry once the guest has ejected it, or use a new id`,
        ),
      );
      continue;
    }
    if (!was) {
      out.changes.push(
        plannedChange(
          ctx,
          path,
          null,
          entry.config,
          ctx.running ? "live" : "staged",
          ctx.running
            ? `${entry.kind.addEndpoint} hot-adds the ${entry.kind.label} (PCI hotplug); it stays in the config across reboots`
            : `the VM is not running: ${entry.kind.addEndpoint} adds the ${entry.kind.label} to the stored config`,
        ),
      );
      out.calls.push({
        phase: PHASE.addDevice,
        call: { endpoint: entry.kind.addEndpoint, body: entry.config, paths: [path] },
      });
      continue;
    }
    if (was.kind.key !== entry.kind.key) {
      out.changes.push(
        plannedChange(
          ctx,
          path,
          { [was.kind.key]: was.config },
          { [entry.kind.key]: entry.config },
          "recreate",
          recreateReason(
            `id ${JSON.stringify(id)} moves from ${was.kind.key} to ${entry.kind.key}; an id cannot be reused before the guest has ejected the old device (use a new id to swap it live)`,
            ctx.running,
          ),
        ),
      );
      continue;
    }
    for (const key of Object.keys(entry.config)) {
      const value = entry.config[key];
      if (value === undefined || sameValue(was.config[key], value)) continue;
      out.changes.push(
        plannedChange(
          ctx,
          `${path}.${key}`,
          was.config[key],
          value,
          "recreate",
          recreateReason(
            `Cloud Hypervisor cannot change a ${entry.kind.label} in place, and its id cannot be reused before the guest has ejected the old one; give the changed ${entry.kind.label} a new id to swap it live (remove + add)`,
            ctx.running,
          ),
        ),
      );
    }
  }
  return out;
}
