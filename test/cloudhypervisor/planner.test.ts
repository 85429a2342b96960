import assert from "node:assert/strict";
import type { Outcome } from "../../core/kubevirt/plan";
import { planCloudHypervisorUpdate } from "../../core/cloudhypervisor/planner";
import { parseVmConfig, type VmConfigInput } from "../../core/cloudhypervisor/schema";
import type { ApplyMode, CloudHypervisorPlanInput, VmState } from "../../core/cloudhypervisor/plan";
import type { Architecture } from "../../core/cloudhypervisor/limits";
import { GiB, MiB } from "../../core/cloudhypervisor/size";
import type { MemoryHotplugLedger } from "../../core/cloudhypervisor/memoryHotplugLedger";

type Patch = (c: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

function acpiVm(): VmConfigInput {
  return {
    payload: { kernel: "/vmlinux" },
    cpus: { boot_vcpus: 2, max_vcpus: 8 },
    memory: { size: "1G", hotplug_size: "2G" },
    disks: [{ id: "root", path: "/img/root.raw" }],
    net: [{ id: "net0", tap: "tap0" }],
  };
}
function virtioMemVm(): VmConfigInput {
  return {
    payload: { kernel: "/vmlinux" },
    cpus: { boot_vcpus: 2, max_vcpus: 8 },
    memory: { size: "1G", hotplug_size: "2G", hotplug_method: "VirtioMem", hotplugged_size: "512M" },
    balloon: { id: "balloon0", size: 0 },
  };
}

function zonesVm(): VmConfigInput {
  return {
    payload: { kernel: "/vmlinux" },
    cpus: { boot_vcpus: 2, max_vcpus: 8 },
    memory: { size: 0, hotplug_method: "VirtioMem", zones: [{ id: "z0", size: "1G", hotplug_size: "1G" }] },
  };
}

interface Row {
  readonly name: string;
  readonly base: () => VmConfigInput;
  readonly patch: Patch;
  readonly state?: VmState;
  readonly arch?: Architecture;
  readonly ledger?: MemoryHotplugLedger;
  readonly pendingEject?: string[];
  /** path -> [outcome, apply] */
  readonly expect: Record<string, [Outcome, ApplyMode]>;
  readonly outcome: Outcome;
  readonly reason?: RegExp;
  readonly calls?: string[];
  readonly disruption?: string;
}

function plan(row: Pick<Row, "base" | "patch" | "state" | "arch" | "ledger" | "pendingEject">) {
  const before = parseVmConfig(row.base(), "before");
  const raw = structuredClone(row.base()) as Record<string, unknown>;
  row.patch(raw);
  const after = parseVmConfig(raw, "after");
  const input: CloudHypervisorPlanInput = {
    before,
    after,
    state: row.state,
    arch: row.arch,
    ledger: row.ledger,
    pendingEject: row.pendingEject,
  };
  return planCloudHypervisorUpdate(input);
}

function callSummary(c: { endpoint: string; body?: Readonly<Record<string, unknown>> }): string {
  return `${c.endpoint} ${JSON.stringify(c.body, (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`;
}

const rows: Row[] = [
  // vCPUs
  {
    name: "vCPU grow within max_vcpus is live",
    base: acpiVm,
    patch: (c) => (c.cpus.boot_vcpus = 6),
    expect: { "cpus.boot_vcpus": ["live", "live"] },
    outcome: "live",
    reason: /online/,
    calls: ['vm.resize {"desired_vcpus":6}'],
  },
  {
    name: "vCPU grow to exactly max_vcpus is live",
    base: acpiVm,
    patch: (c) => (c.cpus.boot_vcpus = 8),
    expect: { "cpus.boot_vcpus": ["live", "live"] },
    outcome: "live",
  },
  {
    name: "vCPU shrink is live (the guest ejects)",
    base: acpiVm,
    patch: (c) => (c.cpus.boot_vcpus = 1),
    expect: { "cpus.boot_vcpus": ["live", "live"] },
    outcome: "live",
    reason: /429/,
  },
  {
    name: "vCPUs above max_vcpus are rejected",
    base: acpiVm,
    patch: (c) => (c.cpus.boot_vcpus = 9),
    expect: { "cpus.boot_vcpus": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /Requested vCPUs exceed maximum/,
    calls: [],
  },
  {
    name: "raising max_vcpus needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.cpus.max_vcpus = 16),
    expect: { "cpus.max_vcpus": ["restart", "recreate"] },
    outcome: "restart",
    reason: /must be recreated/,
    disruption: "recreate",
  },
  {
    name: "max_vcpus and boot_vcpus together: both by recreate",
    base: acpiVm,
    patch: (c) => (c.cpus = { boot_vcpus: 12, max_vcpus: 16 }),
    expect: { "cpus.max_vcpus": ["restart", "recreate"], "cpus.boot_vcpus": ["restart", "recreate"] },
    outcome: "restart",
    calls: [],
  },
  {
    name: "vCPU change on aarch64 restarts the guest (cold resize)",
    base: acpiVm,
    arch: "aarch64",
    patch: (c) => (c.cpus.boot_vcpus = 4),
    expect: { "cpus.boot_vcpus": ["restart", "cold"] },
    outcome: "restart",
    reason: /x86_64-only/,
    calls: [],
    disruption: "cold",
  },
  {
    name: "vCPU change on a created VM is staged",
    base: acpiVm,
    state: "Created",
    patch: (c) => (c.cpus.boot_vcpus = 4),
    expect: { "cpus.boot_vcpus": ["staged", "staged"] },
    outcome: "staged",
    calls: ['vm.resize {"desired_vcpus":4}'],
  },
  {
    name: "max below boot is an invalid config",
    base: acpiVm,
    patch: (c) => (c.cpus = { boot_vcpus: 4, max_vcpus: 2 }),
    expect: { "cpus.max_vcpus": ["rejected", "rejected"], "cpus.boot_vcpus": ["restart", "recreate"] },
    outcome: "rejected",
    reason: /Max CPUs \(2\) lower than boot CPUs \(4\)/,
  },
  // ACPI memory
  {
    name: "ACPI grow by 128M multiple is live",
    base: acpiVm,
    patch: (c) => (c.memory.size = "1536M"),
    expect: { "memory.size": ["live", "live"] },
    outcome: "live",
    reason: /slot 1 of 8/,
    calls: [`vm.resize {"desired_ram":${1536 * 2 ** 20}}`],
  },
  {
    name: "ACPI grow filling hotplug_size exactly is live",
    base: acpiVm,
    patch: (c) => (c.memory.size = "3G"),
    expect: { "memory.size": ["live", "live"] },
    outcome: "live",
  },
  {
    name: "ACPI grow beyond hotplug_size is rejected",
    base: acpiVm,
    patch: (c) => (c.memory.size = "3200M"),
    expect: { "memory.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /Not enough space in the hotplug RAM region/,
  },
  {
    name: "ACPI grow not a 128M multiple is rejected",
    base: acpiVm,
    patch: (c) => (c.memory.size = "1100M"),
    expect: { "memory.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /not a valid size/,
  },
  {
    name: "ACPI grow without hotplug_size is rejected",
    base: () => ({ ...acpiVm(), memory: { size: "1G" } }),
    patch: (c) => (c.memory.size = "2G"),
    expect: { "memory.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /without memory.hotplug_size/,
  },
  {
    name: "ACPI ninth grow since boot is rejected (8 slots)",
    base: acpiVm,
    ledger: { bootSize: 512n * MiB, currentSize: GiB, acpiSlotsUsed: 8 },
    patch: (c) => (c.memory.size = "1152M"),
    expect: { "memory.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /No ACPI slot available/,
  },
  {
    name: "ACPI eighth grow since boot is live",
    base: acpiVm,
    ledger: { bootSize: 512n * MiB, currentSize: GiB, acpiSlotsUsed: 7 },
    patch: (c) => (c.memory.size = "1152M"),
    expect: { "memory.size": ["live", "live"] },
    outcome: "live",
    reason: /slot 8 of 8/,
  },
  {
    name: "ACPI room counts what was hot-added since boot",
    base: acpiVm,
    ledger: { bootSize: 512n * MiB, currentSize: GiB, acpiSlotsUsed: 1 },
    patch: (c) => (c.memory.size = "3G"),
    expect: { "memory.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /1536M .* left of hotplug_size 2G/,
  },
  {
    name: "ACPI shrink applies after a reboot",
    base: acpiVm,
    patch: (c) => (c.memory.size = "512M"),
    expect: { "memory.size": ["restart", "reboot"] },
    outcome: "restart",
    reason: /until the next reboot/,
    calls: [`vm.resize {"desired_ram":${512 * 2 ** 20}}`],
    disruption: "reboot",
  },
  {
    name: "ACPI grow measured from the RAM the guest has, not a pending shrink",
    base: () => ({ ...acpiVm(), memory: { size: "768M", hotplug_size: "2G" } }),
    ledger: { bootSize: GiB, currentSize: GiB, acpiSlotsUsed: 0 },
    patch: (c) => (c.memory.size = "1100M"),
    expect: { "memory.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /from 1G/,
  },
  {
    name: "ACPI back to the RAM the guest has cancels a pending shrink, live",
    base: () => ({ ...acpiVm(), memory: { size: "768M", hotplug_size: "2G" } }),
    ledger: { bootSize: GiB, currentSize: GiB, acpiSlotsUsed: 0 },
    patch: (c) => (c.memory.size = "1G"),
    expect: { "memory.size": ["live", "live"] },
    outcome: "live",
  },
  {
    name: "ACPI resize on a created VM is staged",
    base: acpiVm,
    state: "Created",
    patch: (c) => (c.memory.size = "1100M"),
    expect: { "memory.size": ["staged", "staged"] },
    outcome: "staged",
  },
  {
    name: "changing hotplug_size needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.memory.hotplug_size = "4G"),
    expect: { "memory.hotplug_size": ["restart", "recreate"] },
    outcome: "restart",
    reason: /must be recreated/,
  },
  {
    name: "hotplug_size together with size: size by recreate",
    base: acpiVm,
    patch: (c) => (c.memory = { size: "2G", hotplug_size: "4G" }),
    expect: { "memory.hotplug_size": ["restart", "recreate"], "memory.size": ["restart", "recreate"] },
    outcome: "restart",
    calls: [],
  },
  {
    name: "changing hotplug_method needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.memory.hotplug_method = "virtio-mem"),
    expect: { "memory.hotplug_method": ["restart", "recreate"] },
    outcome: "restart",
  },
  {
    name: "changing memory.shared needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.memory.shared = true),
    expect: { "memory.shared": ["restart", "recreate"] },
    outcome: "restart",
  },
  {
    name: "an absent optional field keeps its value",
    base: () => ({ ...acpiVm(), memory: { size: "1G", hotplug_size: "2G", thp: true } }),
    patch: (c) => delete c.memory.thp,
    expect: {},
    outcome: "none",
  },
  // virtio-mem
  {
    name: "virtio-mem grow in 2M steps is live",
    base: virtioMemVm,
    patch: (c) => (c.memory.hotplugged_size = "514M"),
    expect: { "memory.hotplugged_size": ["live", "live"] },
    outcome: "live",
    calls: [`vm.resize {"desired_ram":${(1024 + 514) * 2 ** 20}}`],
  },
  {
    name: "virtio-mem shrink is live, maybe partial",
    base: virtioMemVm,
    patch: (c) => (c.memory.hotplugged_size = "128M"),
    expect: { "memory.hotplugged_size": ["live", "live"] },
    outcome: "live",
    reason: /partly/,
  },
  {
    name: "virtio-mem shrink back to the boot size is live",
    base: virtioMemVm,
    patch: (c) => delete c.memory.hotplugged_size,
    expect: { "memory.hotplugged_size": ["live", "live"] },
    outcome: "live",
    calls: [`vm.resize {"desired_ram":${2 ** 30}}`],
  },
  {
    name: "virtio-mem identical size sends nothing",
    base: virtioMemVm,
    patch: (c) => (c.memory.hotplugged_size = 512 * 2 ** 20),
    expect: {},
    outcome: "none",
    calls: [],
  },
  {
    name: "virtio-mem not a 2M multiple is rejected",
    base: virtioMemVm,
    patch: (c) => (c.memory.hotplugged_size = "513M"),
    expect: { "memory.hotplugged_size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /not aligned on block_size/,
  },
  {
    name: "virtio-mem beyond hotplug_size is rejected",
    base: virtioMemVm,
    patch: (c) => (c.memory.hotplugged_size = "3G"),
    expect: { "memory.hotplugged_size": ["rejected", "rejected"] },
    outcome: "rejected",
  },
  {
    name: "virtio-mem boot size change needs the VM recreated",
    base: virtioMemVm,
    patch: (c) => (c.memory.size = "2G"),
    expect: { "memory.size": ["restart", "recreate"] },
    outcome: "restart",
    reason: /boot RAM/,
  },
  {
    name: "virtio-mem without hotplug_size is rejected",
    base: () => ({ ...virtioMemVm(), memory: { size: "1G", hotplug_method: "VirtioMem" } }),
    patch: (c) => (c.memory.hotplugged_size = "128M"),
    expect: { "memory.hotplugged_size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /virtio-mem/,
  },
  {
    name: "virtio-mem on a stopped VM is staged by recreating the stored config",
    base: virtioMemVm,
    state: "Shutdown",
    patch: (c) => (c.memory.hotplugged_size = "1G"),
    expect: { "memory.hotplugged_size": ["staged", "recreate"] },
    outcome: "staged",
    disruption: "recreate",
  },
  // user-defined memory zones (virtio-mem per zone, vm.resize-zone)
  {
    name: "a zone's hotplugged_size moves live with vm.resize-zone",
    base: zonesVm,
    patch: (c) => (c.memory.zones[0].hotplugged_size = "512M"),
    expect: { "memory.zones[id=z0].hotplugged_size": ["live", "live"] },
    outcome: "live",
    calls: [`vm.resize-zone {"id":"z0","desired_ram":${1536 * 2 ** 20}}`],
  },
  {
    name: "a zone beyond its hotplug_size is refused",
    base: zonesVm,
    patch: (c) => (c.memory.zones[0].hotplugged_size = "2G"),
    expect: { "memory.zones[id=z0].hotplugged_size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /bigger than region_size/,
  },
  {
    name: "a zone's size needs the VM recreated",
    base: zonesVm,
    patch: (c) => (c.memory.zones[0].size = "2G"),
    expect: { "memory.zones[id=z0].size": ["restart", "recreate"] },
    outcome: "restart",
  },
  // balloon
  {
    name: "balloon size is live",
    base: virtioMemVm,
    patch: (c) => (c.balloon.size = "256M"),
    expect: { "balloon.size": ["live", "live"] },
    outcome: "live",
    calls: [`vm.resize {"desired_balloon":${256 * 2 ** 20}}`],
  },
  {
    name: "adding a balloon needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.balloon = { size: 0 }),
    expect: { balloon: ["restart", "recreate"] },
    outcome: "restart",
  },
  {
    name: "a balloon larger than RAM is rejected",
    base: virtioMemVm,
    patch: (c) => (c.balloon.size = "4G"),
    expect: { "balloon.size": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /greater than RAM/,
  },
  // devices
  {
    name: "hot-adding a disk is live",
    base: acpiVm,
    patch: (c) => c.disks.push({ id: "data", path: "/img/data.raw" }),
    expect: { "disks[id=data]": ["live", "live"] },
    outcome: "live",
    calls: ['vm.add-disk {"id":"data","path":"/img/data.raw"}'],
  },
  {
    name: "hot-removing a net is live",
    base: acpiVm,
    patch: (c) => (c.net = []),
    expect: { "net[id=net0]": ["live", "live"] },
    outcome: "live",
    calls: ['vm.remove-device {"id":"net0"}'],
  },
  {
    name: "leaving out a device list removes its devices",
    base: acpiVm,
    patch: (c) => delete c.disks,
    expect: { "disks[id=root]": ["live", "live"] },
    outcome: "live",
  },
  {
    name: "hot-adding vsock, pmem, fs and VFIO is live",
    base: acpiVm,
    patch: (c) =>
      Object.assign(c, {
        vsock: { id: "vs", cid: 3, socket: "/v.sock" },
        pmem: [{ id: "pm", file: "/p" }],
        fs: [{ id: "fs0", tag: "t", socket: "/f", num_queues: 1, queue_size: 1024 }],
        devices: [{ id: "gpu", path: "/sys/bus/pci/devices/0000:01:00.0/" }],
      }),
    expect: {
      "vsock[id=vs]": ["live", "live"],
      "pmem[id=pm]": ["live", "live"],
      "fs[id=fs0]": ["live", "live"],
      "devices[id=gpu]": ["live", "live"],
    },
    outcome: "live",
  },
  {
    name: "changing a disk under the same id needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.disks[0].readonly = true),
    expect: { "disks[id=root].readonly": ["restart", "recreate"] },
    outcome: "restart",
    reason: /new id/,
  },
  {
    name: "swapping a disk under a new id is live",
    base: acpiVm,
    patch: (c) => (c.disks = [{ id: "root2", path: "/img/root2.raw" }]),
    expect: { "disks[id=root]": ["live", "live"], "disks[id=root2]": ["live", "live"] },
    outcome: "live",
    calls: ['vm.remove-device {"id":"root"}', 'vm.add-disk {"id":"root2","path":"/img/root2.raw"}'],
  },
  {
    name: "device changes on a created VM are staged",
    base: acpiVm,
    state: "Created",
    patch: (c) => c.disks.push({ id: "d", path: "/d" }),
    expect: { "disks[id=d]": ["staged", "staged"] },
    outcome: "staged",
  },
  {
    name: "re-adding an id the guest has not ejected yet is refused",
    base: () => ({ ...acpiVm(), net: [] }),
    pendingEject: ["net0"],
    patch: (c) => (c.net = [{ id: "net0", tap: "tap0" }]),
    expect: { "net[id=net0]": ["rejected", "rejected"] },
    outcome: "rejected",
    reason: /not ejected/,
  },
  {
    name: "two disks on one path are refused",
    base: acpiVm,
    patch: (c) => c.disks.push({ id: "again", path: "/img/root.raw" }),
    expect: { "disks[1].path": ["rejected", "rejected"], "disks[id=again]": ["live", "live"] },
    outcome: "rejected",
    reason: /Duplicated device path/,
  },
  // other fields
  {
    name: "changing the kernel needs the VM recreated",
    base: acpiVm,
    patch: (c) => (c.payload.kernel = "/vmlinux-2"),
    expect: { payload: ["restart", "recreate"] },
    outcome: "restart",
  },
  { name: "no change, no plan", base: acpiVm, patch: () => undefined, expect: {}, outcome: "none", calls: [] },
];

describe("cloudhypervisor planner", () => {
  for (const row of rows) {
    it(row.name, () => {
      const result = plan(row);
      const got = Object.fromEntries(result.changes.map((c) => [c.path, [c.outcome, c.apply]]));
      assert.deepEqual(got, row.expect, JSON.stringify(result.changes, null, 1));
      assert.equal(result.outcome, row.outcome);
      if (row.reason)
        assert.ok(
          result.changes.some((c) => row.reason!.test(c.reason)),
          result.changes.map((c) => c.reason).join("\n"),
        );
      if (row.calls) assert.deepEqual(result.calls.map(callSummary), row.calls);
      if (row.disruption) assert.equal(result.disruption, row.disruption);
    });
  }

  it("orders calls safely: removals, memory grow, vCPUs, memory shrink, balloon, additions", () => {
    const result = plan({
      base: virtioMemVm,
      patch: (c) => {
        c.cpus.boot_vcpus = 4;
        c.memory.hotplugged_size = "1G";
        c.balloon.size = "64M";
        c.disks = [{ id: "new", path: "/n" }];
      },
    });
    assert.deepEqual(
      result.calls.map((c) => c.endpoint + " " + Object.keys(c.body ?? {}).join(",")),
      ["vm.resize desired_ram", "vm.resize desired_vcpus", "vm.resize desired_balloon", "vm.add-disk id,path"],
    );
    const shrink = plan({
      base: virtioMemVm,
      patch: (c) => {
        c.cpus.boot_vcpus = 4;
        c.memory.hotplugged_size = "0";
        c.net = [{ id: "n" }];
      },
    });
    assert.deepEqual(
      shrink.calls.map((c) => c.endpoint + " " + Object.keys(c.body ?? {}).join(",")),
      ["vm.resize desired_vcpus", "vm.resize desired_ram", "vm.add-net id"],
    );
  });

  it("sends nothing when any change is rejected", () => {
    const result = plan({
      base: acpiVm,
      patch: (c) => {
        c.cpus.boot_vcpus = 4;
        c.memory.size = "1100M";
      },
    });
    assert.equal(result.outcome, "rejected");
    assert.deepEqual(result.calls, []);
  });

  it("says when part of an ACPI hotplug_size can never be used", () => {
    const result = plan({
      base: () => ({ ...acpiVm(), memory: { size: "1G", hotplug_size: "1000M" } }),
      patch: (c) => (c.memory.size = "1152M"),
    });
    assert.equal(result.outcome, "live");
    assert.ok(
      result.messages.some((m) => /hotplug_size 1000M .* 104M .* can never be used/.test(m)),
      result.messages.join("\n"),
    );
  });

  it("a new VM is staged, or rejected when its config is invalid", () => {
    const after = parseVmConfig(acpiVm(), "after");
    assert.equal(planCloudHypervisorUpdate({ after }).outcome, "staged");
    const bad = parseVmConfig(
      { ...acpiVm(), memory: { size: "1G", hotplug_size: "100M", hotplug_method: "VirtioMem", hotplugged_size: "3M" } },
      "after",
    );
    const result = planCloudHypervisorUpdate({ after: bad });
    assert.equal(result.outcome, "rejected");
    assert.equal(result.changes[0]?.path, "memory.hotplugged_size");
  });

  it("says when it assumed no ACPI hot-adds since boot", () => {
    const result = plan({ base: acpiVm, patch: (c) => (c.memory.size = "2G") });
    assert.ok(result.messages.some((m) => /assumed none/.test(m)));
  });
});
