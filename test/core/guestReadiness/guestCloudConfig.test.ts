import assert from "node:assert/strict";
import { parse } from "yaml";
import { guestConfiguration, renderCloudConfig } from "../../../core/guestReadiness/guestCloudConfig";
import { ONLINING_SCRIPT_PATH } from "../../../core/guestReadiness/onliningScript";
import { UDEV_RULE_PATH } from "../../../core/guestReadiness/udevRule";

describe("core/guestReadiness/guestCloudConfig", () => {
  it("virtio-mem: onlining script, udev rule for cpu and memory, virtio_mem loading, online_movable policy", () => {
    const { cloudConfig, kernelArguments } = guestConfiguration({
      maxVcpus: 8,
      maxMemoryBytes: 8n << 30n,
      memoryHotplug: "virtio-mem",
    });
    assert.deepEqual(
      cloudConfig.write_files.map((f) => [f.path, f.permissions]),
      [
        [ONLINING_SCRIPT_PATH, "0755"],
        [UDEV_RULE_PATH, "0644"],
        ["/etc/modules-load.d/livevm-virtio-mem.conf", "0644"],
      ],
    );
    const rule = cloudConfig.write_files[1]!.content;
    assert.match(
      rule,
      /SUBSYSTEM=="cpu", ACTION=="add", RUN\+="\/bin\/sh \/usr\/local\/sbin\/livevm-online-hotplugged"/,
    );
    assert.match(rule, /SUBSYSTEM=="memory", ACTION=="add"/);
    assert.match(cloudConfig.write_files[0]!.content, /echo online_movable > "\$1\/state"/);
    assert.match(cloudConfig.bootcmd[0]!, /echo online_movable > \/sys\/devices\/system\/memory\/auto_online_blocks/);
    assert.ok(cloudConfig.runcmd.includes("modprobe virtio_mem || true"));
    assert.deepEqual(kernelArguments, ["memhp_default_state=online_movable"]);
  });

  it("CPU-only VMs get no memory rule, no memory policy and no kernel arguments", () => {
    const { cloudConfig, kernelArguments } = guestConfiguration({ maxVcpus: 4, memoryHotplug: "none" });
    assert.equal(cloudConfig.write_files.length, 2);
    assert.doesNotMatch(cloudConfig.write_files[0]!.content, /memory/);
    assert.doesNotMatch(cloudConfig.write_files[1]!.content, /memory/);
    assert.ok(!cloudConfig.bootcmd.some((c) => c.includes("auto_online_blocks")));
    assert.ok(!cloudConfig.runcmd.some((c) => c.includes("virtio_mem")));
    assert.deepEqual(kernelArguments, []);
  });

  it("parts narrow what is onlined: memory only, or CPUs only on a memory-hotplug VM", () => {
    const limits = { maxVcpus: 4, maxMemoryBytes: 8n << 30n, memoryHotplug: "virtio-mem" } as const;
    const memOnly = guestConfiguration(limits, { cpu: false }).cloudConfig;
    assert.doesNotMatch(memOnly.write_files[0]!.content, /online_cpu|cpu\)/);
    assert.doesNotMatch(memOnly.write_files[1]!.content, /SUBSYSTEM=="cpu"/);
    assert.match(memOnly.write_files[1]!.content, /SUBSYSTEM=="memory"/);
    const cpuOnly = guestConfiguration(limits, { memory: false }).cloudConfig;
    assert.doesNotMatch(JSON.stringify(cpuOnly), /memory|virtio_mem/);
    assert.throws(() => guestConfiguration(limits, { cpu: false, memory: false }), /nothing to configure/);
    assert.throws(
      () => guestConfiguration({ maxVcpus: 4, memoryHotplug: "none" }, { memory: true }),
      /memoryHotplug: memory onlining was asked for, but the VM cannot hot-plug memory/,
    );
  });

  it("ACPI DIMM hotplug onlines memory but loads no virtio_mem", () => {
    const { cloudConfig } = guestConfiguration({ maxVcpus: 2, maxMemoryBytes: 4n << 30n, memoryHotplug: "acpi" });
    assert.match(cloudConfig.write_files[1]!.content, /SUBSYSTEM=="memory"/);
    assert.ok(!cloudConfig.write_files.some((f) => f.path.includes("virtio-mem")));
  });

  it("renders a #cloud-config document that reads back to the same data", () => {
    const { cloudConfig } = guestConfiguration({ maxVcpus: 8, maxMemoryBytes: 1n << 33n, memoryHotplug: "virtio-mem" });
    const text = renderCloudConfig(cloudConfig);
    assert.ok(text.startsWith("#cloud-config\n"));
    assert.deepEqual(parse(text), JSON.parse(JSON.stringify(cloudConfig)));
  });

  it("rejects nonsensical limits naming the field", () => {
    assert.throws(
      () => guestConfiguration({ maxVcpus: 0, memoryHotplug: "none" }),
      /maxVcpus: expected a whole number >= 1, got 0/,
    );
    assert.throws(
      () => guestConfiguration({ maxVcpus: 2, memoryHotplug: "dimm" as never }),
      /memoryHotplug: expected one of none, acpi, virtio-mem, got "dimm"/,
    );
    assert.throws(
      () => guestConfiguration({ maxVcpus: 2, maxMemoryBytes: 0n, memoryHotplug: "acpi" }),
      /maxMemoryBytes: expected a positive bigint/,
    );
  });
});
