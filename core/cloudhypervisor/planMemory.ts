import { changedKeys, sameValue } from "./configValue";
import { ACPI_HOTPLUG_SLOTS, ACPI_HOTPLUG_STEP, VIRTIO_MEM_BLOCK_SIZE } from "./limits";
import { DEFAULT_MEMORY_SIZE } from "./memoryHotplugLedger";
import {
  emptyPartialPlan,
  PHASE,
  plannedChange,
  recreateReason,
  type PartialPlan,
  type PlanContext,
} from "./planContext";
import type { MemoryConfig, MemoryZoneConfig } from "./schema/memory";
import type { VmConfig } from "./schema/vmConfig";
import { describeSize } from "./size";

/** Fields a live resize moves; every other memory field is fixed for the VM's life. */
const RESIZABLE = new Set(["size", "hotplugged_size", "hotplug_size", "hotplug_method", "zones"]);

/**
 * Guest RAM.
 *
 * ACPI (the default): memory.size is the RAM target; Cloud Hypervisor rewrites it on every vm.resize.
 * Growing hot-adds one DIMM per call (a 128M multiple, within hotplug_size, at most 8 per boot); shrinking
 * is accepted and stored but only happens at the next reboot.
 *
 * VirtioMem: memory.size is the boot RAM and cannot change; memory.hotplugged_size is what is plugged on
 * top, grown and shrunk live in 2M blocks within hotplug_size.
 */
export function planMemory(before: VmConfig, after: VmConfig, ctx: PlanContext): PartialPlan {
  const out = emptyPartialPlan();
  const a = after.memory;
  if (!a) return out;
  const b: MemoryConfig = before.memory ?? { size: DEFAULT_MEMORY_SIZE };
  const methodBefore = b.hotplug_method ?? "Acpi";
  const methodAfter = a.hotplug_method ?? methodBefore;

  const recreateWhy: string[] = [];
  for (const key of changedKeys(b, a, RESIZABLE)) {
    const why = `memory.${key} is fixed when the VM is created; no API call changes it`;
    out.changes.push(plannedChange(ctx, `memory.${key}`, b[key], a[key], "recreate", recreateReason(why, ctx.running)));
    recreateWhy.push(`memory.${key}`);
  }
  if (methodAfter !== methodBefore) {
    out.changes.push(
      plannedChange(
        ctx,
        "memory.hotplug_method",
        methodBefore,
        methodAfter,
        "recreate",
        recreateReason(
          "the hotplug method is chosen when the VM is created (ACPI DIMM slots or a virtio-mem device)",
          ctx.running,
        ),
      ),
    );
    recreateWhy.push("memory.hotplug_method");
  }
  if (!sameValue(b.hotplug_size, a.hotplug_size)) {
    out.changes.push(
      plannedChange(
        ctx,
        "memory.hotplug_size",
        b.hotplug_size ?? null,
        a.hotplug_size ?? null,
        "recreate",
        recreateReason("hotplug_size reserves the hotplug area when the VM is created", ctx.running),
      ),
    );
    recreateWhy.push("memory.hotplug_size");
  }

  const zonesBefore = b.zones ?? [];
  const zonesAfter = a.zones ?? zonesBefore;
  if (zonesBefore.length > 0 || zonesAfter.length > 0) {
    planZones(zonesBefore, zonesAfter, b, a, ctx, out, recreateWhy);
    return out;
  }

  if (recreateWhy.length > 0) {
    for (const key of ["size", "hotplugged_size"] as const) {
      if (
        !sameValue(b[key], a[key]) &&
        !(key === "hotplugged_size" && a[key] === undefined && methodAfter === "Acpi")
      ) {
        out.changes.push(
          plannedChange(
            ctx,
            `memory.${key}`,
            b[key] ?? null,
            a[key] ?? null,
            "recreate",
            recreateReason(`applied by the recreate ${recreateWhy[0]} needs`, ctx.running),
          ),
        );
      }
    }
    return out;
  }
  if (methodAfter === "Acpi") planAcpi(b, a, ctx, out);
  else planVirtioMem(b, a, ctx, out);
  return out;
}

function planAcpi(b: MemoryConfig, a: MemoryConfig, ctx: PlanContext, out: PartialPlan): void {
  if (a.hotplugged_size !== undefined && !sameValue(b.hotplugged_size, a.hotplugged_size)) {
    out.changes.push(
      plannedChange(
        ctx,
        "memory.hotplugged_size",
        b.hotplugged_size ?? null,
        a.hotplugged_size,
        "recreate",
        recreateReason(
          "with the ACPI method hotplugged_size is only read at boot; change memory.size to resize live",
          ctx.running,
        ),
      ),
    );
  }
  if (a.hotplug_size !== undefined && a.hotplug_size % ACPI_HOTPLUG_STEP !== 0n) {
    out.messages.push(
      `memory.hotplug_size ${describeSize(a.hotplug_size)} is not a multiple of 128M: ACPI hot-adds 128M multiples, so ${describeSize(a.hotplug_size % ACPI_HOTPLUG_STEP)} of it can never be used`,
    );
  }
  const path = "memory.size";
  const sb = b.size;
  const sa = a.size;
  const ledger = ctx.ledger;
  if (ctx.running && ledger.currentSize !== sb && sa === sb) {
    out.messages.push(
      `memory.size is ${describeSize(sb)} but the guest has ${describeSize(ledger.currentSize)} until it reboots (an ACPI resize below the current RAM is only stored)`,
    );
  }
  if (sa === sb) return;
  const call = { endpoint: "vm.resize", body: { desired_ram: sa }, paths: [path] };
  if (!ctx.running) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        sb,
        sa,
        "staged",
        "the VM is not running: vm.resize stores memory.size for the next boot",
      ),
    );
    out.calls.push({ phase: sa > sb ? PHASE.growMemory : PHASE.shrinkMemory, call });
    return;
  }
  const current = ledger.currentSize;
  if (sa < current) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        sb,
        sa,
        "reboot",
        `Cloud Hypervisor accepts an ACPI shrink (204) but only stores it: the guest keeps ${describeSize(current)} until the next reboot (vm.reboot). To take memory away live, use the balloon or hotplug_method VirtioMem`,
      ),
    );
    out.calls.push({ phase: PHASE.shrinkMemory, call });
    return;
  }
  if (sa === current) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        sb,
        sa,
        "live",
        `the guest already has ${describeSize(current)}: vm.resize stores it again, cancelling the pending shrink`,
      ),
    );
    out.calls.push({ phase: PHASE.growMemory, call });
    return;
  }
  const delta = sa - current;
  const reject = (why: string) => out.changes.push(plannedChange(ctx, path, sb, sa, "rejected", why));
  if (b.hotplug_size === undefined) {
    reject(
      `Cloud Hypervisor refuses it: "Not enough space in the hotplug RAM region" (HTTP 500): the VM was booted without memory.hotplug_size, so there is no room to hot-add RAM. Setting hotplug_size needs the VM recreated`,
    );
    return;
  }
  if (delta % ACPI_HOTPLUG_STEP !== 0n) {
    reject(
      `Cloud Hypervisor refuses it: "The requested hotplug memory addition is not a valid size" (HTTP 500): the addition ${describeSize(delta)} (from ${describeSize(current)}) must be a multiple of 128M`,
    );
    return;
  }
  if (ledger.acpiSlotsUsed >= ACPI_HOTPLUG_SLOTS) {
    reject(
      `Cloud Hypervisor refuses it: "No ACPI slot available" (HTTP 500): all ${ACPI_HOTPLUG_SLOTS} ACPI memory slots were used by grows since the last boot; a reboot (vm.reboot) frees them`,
    );
    return;
  }
  const used = current - ledger.bootSize;
  const room = b.hotplug_size - used;
  if (delta > room) {
    reject(
      `Cloud Hypervisor refuses it: "Not enough space in the hotplug RAM region" (HTTP 500): adding ${describeSize(delta)} needs more than the ${describeSize(room < 0n ? 0n : room)} left of hotplug_size ${describeSize(b.hotplug_size)} (${describeSize(used)} hot-added since boot); a reboot starts a fresh area, a bigger hotplug_size needs the VM recreated`,
    );
    return;
  }
  out.changes.push(
    plannedChange(
      ctx,
      path,
      sb,
      sa,
      "live",
      `vm.resize hot-adds ${describeSize(delta)} as one ACPI DIMM (slot ${ledger.acpiSlotsUsed + 1} of ${ACPI_HOTPLUG_SLOTS} since boot); the guest must online it (memhp_default_state=online_movable, auto_online_blocks or a udev rule)`,
    ),
  );
  out.calls.push({ phase: PHASE.growMemory, call });
}

function planVirtioMem(b: MemoryConfig, a: MemoryConfig, ctx: PlanContext, out: PartialPlan): void {
  if (a.size !== b.size) {
    out.changes.push(
      plannedChange(
        ctx,
        "memory.size",
        b.size,
        a.size,
        "recreate",
        recreateReason(
          "with virtio-mem memory.size is the boot RAM, fixed for the VM's life (vm.resize cannot go below it, nor move it); change memory.hotplugged_size to resize live",
          ctx.running,
        ),
      ),
    );
    return;
  }
  const path = "memory.hotplugged_size";
  const hb = b.hotplugged_size ?? 0n;
  const ha = a.hotplugged_size ?? 0n;
  if (ha === hb) return;
  const reject = (why: string) => out.changes.push(plannedChange(ctx, path, hb, ha, "rejected", why));
  if (b.hotplug_size === undefined) {
    reject(
      `Cloud Hypervisor refuses it: "No virtio-mem resizing handler found" (HTTP 500): without memory.hotplug_size the VM has no virtio-mem device`,
    );
    return;
  }
  if (ha % VIRTIO_MEM_BLOCK_SIZE !== 0n) {
    reject(
      `Cloud Hypervisor refuses it: "new size 0x${ha.toString(16)} is not aligned on block_size 0x200000" (HTTP 500): virtio-mem moves in 2M blocks`,
    );
    return;
  }
  if (ha > b.hotplug_size) {
    reject(
      `Cloud Hypervisor refuses it: "new size 0x${ha.toString(16)} is bigger than region_size 0x${b.hotplug_size.toString(16)}" (HTTP 500): at most hotplug_size ${describeSize(b.hotplug_size)} can be plugged`,
    );
    return;
  }
  if (!ctx.running) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        hb,
        ha,
        "recreate",
        recreateReason(
          "on a stopped VM vm.resize would overwrite memory.size (the boot RAM), so the stored config is replaced instead",
          false,
        ),
      ),
    );
    return;
  }
  const desired = a.size + ha;
  const grow = ha > hb;
  out.changes.push(
    plannedChange(
      ctx,
      path,
      hb,
      ha,
      "live",
      grow
        ? `vm.resize (desired_ram ${describeSize(desired)}) asks the virtio-mem device to plug ${describeSize(ha - hb)} more; the guest must online it (memhp_default_state=online_movable or auto_online_blocks)`
        : `vm.resize (desired_ram ${describeSize(desired)}) asks the guest to unplug ${describeSize(hb - ha)}; it may only partly succeed (the guest can only give back movable memory): watch vm.info memory_actual_size`,
    ),
  );
  out.calls.push({
    phase: grow ? PHASE.growMemory : PHASE.shrinkMemory,
    call: { endpoint: "vm.resize", body: { desired_ram: desired }, paths: [path] },
  });
}

/** User-defined memory zones: vm.resize is refused; each zone's hotplugged_size moves with vm.resize-zone (virtio-mem). */
function planZones(
  zonesBefore: readonly MemoryZoneConfig[],
  zonesAfter: readonly MemoryZoneConfig[],
  b: MemoryConfig,
  a: MemoryConfig,
  ctx: PlanContext,
  out: PartialPlan,
  recreateWhy: string[],
): void {
  if (a.size !== b.size) {
    out.changes.push(
      plannedChange(
        ctx,
        "memory.size",
        b.size,
        a.size,
        "recreate",
        recreateReason(
          '"Impossible to resize guest memory if it is backed by user defined memory regions": with memory zones, resize each zone',
          ctx.running,
        ),
      ),
    );
    recreateWhy.push("memory.size");
  }
  const byId = new Map(zonesBefore.map((z) => [z.id, z]));
  const afterIds = new Set(zonesAfter.map((z) => z.id));
  for (const zone of zonesBefore) {
    if (!afterIds.has(zone.id)) {
      out.changes.push(
        plannedChange(
          ctx,
          `memory.zones[id=${zone.id}]`,
          zone,
          null,
          "recreate",
          recreateReason("memory zones are fixed when the VM is created", ctx.running),
        ),
      );
      recreateWhy.push("memory.zones");
    }
  }
  zonesAfter.forEach((zone) => {
    const base = `memory.zones[id=${zone.id}]`;
    const old = byId.get(zone.id);
    if (!old) {
      out.changes.push(
        plannedChange(
          ctx,
          base,
          null,
          zone,
          "recreate",
          recreateReason("memory zones are fixed when the VM is created", ctx.running),
        ),
      );
      recreateWhy.push("memory.zones");
      return;
    }
    for (const key of changedKeys(old, zone, new Set(["hotplugged_size"]))) {
      out.changes.push(
        plannedChange(
          ctx,
          `${base}.${key}`,
          old[key],
          zone[key],
          "recreate",
          recreateReason(`${base}.${key} is fixed when the VM is created`, ctx.running),
        ),
      );
      recreateWhy.push(`${base}.${key}`);
    }
  });
  const recreating = recreateWhy.length > 0;
  zonesAfter.forEach((zone) => {
    const old = byId.get(zone.id);
    if (!old) return;
    const path = `memory.zones[id=${zone.id}].hotplugged_size`;
    const hb = old.hotplugged_size ?? 0n;
    const ha = zone.hotplugged_size ?? 0n;
    if (ha === hb) return;
    const reject = (why: string) => out.changes.push(plannedChange(ctx, path, hb, ha, "rejected", why));
    if (old.hotplug_size === undefined)
      return void reject(
        `Cloud Hypervisor refuses it: "Failed resizing a memory zone" (HTTP 500): zone ${zone.id} has no hotplug_size`,
      );
    if (ha % VIRTIO_MEM_BLOCK_SIZE !== 0n)
      return void reject(
        `Cloud Hypervisor refuses it: "new size 0x${ha.toString(16)} is not aligned on block_size 0x200000" (HTTP 500)`,
      );
    if (ha > old.hotplug_size)
      return void reject(
        `Cloud Hypervisor refuses it: "new size 0x${ha.toString(16)} is bigger than region_size 0x${old.hotplug_size.toString(16)}" (HTTP 500)`,
      );
    if (recreating || !ctx.running) {
      out.changes.push(
        plannedChange(
          ctx,
          path,
          hb,
          ha,
          "recreate",
          recreateReason(
            recreating
              ? `applied by the recreate ${recreateWhy[0]} needs`
              : "vm.resize-zone on a stopped VM rewrites the zone's boot size",
            ctx.running,
          ),
        ),
      );
      return;
    }
    const grow = ha > hb;
    out.changes.push(
      plannedChange(
        ctx,
        path,
        hb,
        ha,
        "live",
        `vm.resize-zone ${grow ? "plugs" : "unplugs"} ${describeSize(grow ? ha - hb : hb - ha)} in zone ${zone.id} (virtio-mem)${grow ? "" : "; it may only partly succeed"}`,
      ),
    );
    out.calls.push({
      phase: grow ? PHASE.growMemory : PHASE.shrinkMemory,
      call: { endpoint: "vm.resize-zone", body: { id: zone.id, desired_ram: zone.size + ha }, paths: [path] },
    });
  });
}
