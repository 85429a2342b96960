import assert from "node:assert/strict";
import fc from "fast-check";
import { dropNulls } from "../../core/cloudhypervisor/configValue";
import { planCloudHypervisorUpdate } from "../../core/cloudhypervisor/planner";
import { parseVmConfig } from "../../core/cloudhypervisor/schema";
import { Vmm } from "../../sandbox/cloudHypervisor/vmm";

/**
 * The planner and the sandbox model Cloud Hypervisor independently; here they must agree. For random
 * running VMs and random vCPU/memory/balloon targets:
 * - a plan that is live (or none) applies on the sandbox without an error and the guest ends with the target;
 * - a refused change is refused by the sandbox too when sent as it is;
 * - an ACPI shrink is accepted but the guest only has the new size after vm.reboot.
 */

const MiB = 1n << 20n;

const vmArb = fc.record({
  boot: fc.integer({ min: 1, max: 4 }),
  extraMax: fc.integer({ min: 0, max: 4 }),
  method: fc.constantFrom("Acpi", "VirtioMem"),
  sizeMiB: fc.constantFrom(512, 1024, 1536, 3072, 4096),
  hotplugMiB: fc.constantFrom(undefined, 256, 1024, 2048),
  hotpluggedMiB: fc.constantFrom(0, 2, 128, 256),
  slotsUsed: fc.integer({ min: 0, max: 8 }),
  balloonMiB: fc.constantFrom(undefined, 0, 128),
});

const targetArb = fc.record({
  vcpus: fc.integer({ min: 1, max: 10 }),
  /** ACPI: the new memory.size as an offset from the current one, in MiB */
  acpiDeltaMiB: fc.constantFrom(0, 128, 256, 512, 1024, 2048, 100, -128, -512, 64),
  /** virtio-mem: the new hotplugged_size in MiB */
  virtioMiB: fc.constantFrom(0, 2, 3, 128, 254, 1024, 2048, 4096),
  balloonMiB: fc.constantFrom(0, 64, 256),
});

type VmArb = typeof vmArb extends fc.Arbitrary<infer T> ? T : never;

function bootVm(vm: VmArb): Vmm {
  const vmm = new Vmm({ guest: { cpuEjectDelayMs: 0 } });
  const memory: Record<string, unknown> = { size: vm.sizeMiB * 2 ** 20, hotplug_method: vm.method };
  if (vm.hotplugMiB !== undefined) memory.hotplug_size = vm.hotplugMiB * 2 ** 20;
  if (
    vm.method === "VirtioMem" &&
    vm.hotplugMiB !== undefined &&
    vm.hotpluggedMiB <= vm.hotplugMiB &&
    vm.hotpluggedMiB > 0
  ) {
    memory.hotplugged_size = vm.hotpluggedMiB * 2 ** 20;
  }
  vmm.create({
    payload: { kernel: "/k" },
    cpus: { boot_vcpus: vm.boot, max_vcpus: vm.boot + vm.extraMax },
    memory,
    ...(vm.balloonMiB !== undefined ? { balloon: { size: vm.balloonMiB * 2 ** 20 } } : {}),
  });
  vmm.boot();
  // use up ACPI slots with 128M grows while there is room, as earlier updates would have
  if (vm.method === "Acpi" && vm.hotplugMiB !== undefined) {
    for (let i = 0; i < vm.slotsUsed && (i + 1) * 128 <= vm.hotplugMiB; i++) {
      vmm.resize({ desired_ram: BigInt(vm.sizeMiB + (i + 1) * 128) * MiB });
    }
  }
  return vmm;
}

describe("cloudhypervisor planner agrees with the sandbox", () => {
  it("live plans apply, refusals are refused, ACPI shrinks wait for a reboot", () => {
    fc.assert(
      fc.property(vmArb, targetArb, (vm, target) => {
        const vmm = bootVm(vm);
        const guestBefore = vmm.guestView();
        const info = vmm.info();
        const before = parseVmConfig(dropNulls(info.config), "before", { requireDeviceIds: false });
        const after = structuredClone(before);
        after.cpus = { ...after.cpus!, boot_vcpus: target.vcpus };
        const memory = { ...after.memory! };
        if (vm.method === "Acpi") {
          const size = memory.size + BigInt(target.acpiDeltaMiB) * MiB;
          memory.size = size > 0n ? size : memory.size;
        } else {
          memory.hotplugged_size = BigInt(target.virtioMiB) * MiB;
        }
        after.memory = memory;
        if (after.balloon) after.balloon = { ...after.balloon, size: BigInt(target.balloonMiB) * MiB };
        const ledger = {
          bootSize: guestBefore.bootRam,
          currentSize: vm.method === "Acpi" ? guestBefore.ram : guestBefore.bootRam,
          acpiSlotsUsed: guestBefore.acpiSlotsUsed,
        };
        const plan = planCloudHypervisorUpdate({ before, after, ledger });
        const byPath = new Map(plan.changes.map((c) => [c.path, c]));
        const memPath = vm.method === "Acpi" ? "memory.size" : "memory.hotplugged_size";

        if (plan.outcome === "rejected") {
          const naive = (path: string) =>
            path === "cpus.boot_vcpus"
              ? { desired_vcpus: target.vcpus }
              : path === memPath
                ? { desired_ram: memory.size + (vm.method === "VirtioMem" ? memory.hotplugged_size! : 0n) }
                : path === "balloon.size"
                  ? { desired_balloon: after.balloon!.size }
                  : undefined;
          const rejected = plan.changes.filter((c) => c.outcome === "rejected");
          // a refused resize is refused by the sandbox when sent as it is
          for (const change of rejected.filter((c) => c.reason.startsWith("Cloud Hypervisor refuses it"))) {
            const body = naive(change.path);
            if (body) assert.throws(() => vmm.resize(body), `${change.path}: ${change.reason}`);
          }
          // a config the planner refuses (e.g. a balloon larger than the RAM) may be accepted live, but
          // Cloud Hypervisor refuses to boot it
          const configRefusals = rejected.filter((c) => !c.reason.startsWith("Cloud Hypervisor refuses it"));
          if (configRefusals.length > 0 && rejected.length === configRefusals.length) {
            for (const path of ["cpus.boot_vcpus", memPath, "balloon.size"]) {
              const body = naive(path);
              if (body) vmm.resize(body);
            }
            assert.throws(() => vmm.reboot(), configRefusals.map((c) => c.reason).join("; "));
          }
          return;
        }
        for (const call of plan.calls) {
          assert.equal(call.endpoint, "vm.resize");
          vmm.resize(call.body!);
        }
        const guest = vmm.guestView();
        if (byPath.get("cpus.boot_vcpus")?.outcome === "live") assert.equal(guest.presentVcpus, target.vcpus);
        const memChange = byPath.get(memPath);
        const wantedRam = memory.size + (vm.method === "VirtioMem" ? (memory.hotplugged_size ?? 0n) : 0n);
        if (memChange?.outcome === "live") assert.equal(guest.ram, wantedRam, memChange.reason);
        if (memChange?.outcome === "restart") {
          assert.equal(memChange.apply, "reboot");
          assert.equal(guest.ram, guestBefore.ram, "an ACPI shrink changes nothing until the reboot");
          vmm.reboot();
          assert.equal(vmm.guestView().ram, wantedRam);
        }
        if (!memChange) assert.equal(guest.ram, guestBefore.ram);
      }),
      { numRuns: 400 },
    );
  });
});
