import assert from "node:assert/strict";
import { SchemaError } from "../../core/kubevirt/schema/parse";
import { parseVmConfig } from "../../core/cloudhypervisor/schema";
import { GiB, MiB } from "../../core/cloudhypervisor/size";

function issues(input: unknown, requireDeviceIds = true): string[] {
  try {
    parseVmConfig(input, "vm.json", { requireDeviceIds });
  } catch (e) {
    assert.ok(e instanceof SchemaError);
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe("cloudhypervisor VmConfig schema", () => {
  it("parses sizes exactly, normalises the hotplug method and keeps unknown fields", () => {
    const config = parseVmConfig(
      {
        payload: { kernel: "/vmlinux", cmdline: "console=ttyS0" },
        cpus: { boot_vcpus: 2, max_vcpus: 8, kvm_hyperv: false },
        memory: { size: "1G", hotplug_size: 4294967296, hotplug_method: "virtio-mem", shared: true, hugepages: false },
        balloon: { size: "256M", id: "balloon0" },
        disks: [{ id: "root", path: "/img/root.raw", readonly: false, some_new_field: 7 }],
        net: [{ id: "net0", tap: "tap0", mac: "12:34:56:78:90:ab" }],
        serial: { mode: "Tty" },
      },
      "vm.json",
    );
    assert.equal(config.memory?.size, GiB);
    assert.equal(config.memory?.hotplug_size, 4n * GiB);
    assert.equal(config.memory?.hotplug_method, "VirtioMem");
    assert.equal(config.balloon?.size, 256n * MiB);
    assert.equal(config.disks?.[0]?.["some_new_field"], 7);
    assert.deepEqual(config["serial"], { mode: "Tty" });
  });
  it("names the exact path of every problem", () => {
    assert.deepEqual(issues({ payload: {}, cpus: { boot_vcpus: 0, max_vcpus: 2 } }), [
      "cpus.boot_vcpus: Too small: expected number to be >=1",
    ]);
    const sizeIssue = issues({ payload: {}, memory: { size: "1g" } });
    assert.equal(sizeIssue.length, 1);
    assert.match(sizeIssue[0]!, /^memory\.size: invalid size "1g": .*upper case/);
    assert.match(
      issues({ payload: {}, memory: { size: "1G", hotplug_method: "dimm" } })[0]!,
      /^memory\.hotplug_method: expected "Acpi" or "VirtioMem"/,
    );
    assert.match(
      issues({ payload: {}, vsock: { cid: 2, socket: "/s" } })[0]!,
      /^vsock\.cid: a vsock cid must be at least 3/,
    );
    assert.match(issues({ cpus: { boot_vcpus: 1, max_vcpus: 1 } })[0]!, /^payload: /);
  });
  it("requires device ids, unique across kinds", () => {
    assert.deepEqual(issues({ payload: {}, disks: [{ id: "a", path: "/a" }, { path: "/b" }] }), [
      "disks[1].id: every disk needs an id: livevm matches devices between configs by id (vm.remove-device takes it)",
    ]);
    assert.deepEqual(issues({ payload: {}, disks: [{ path: "/b" }] }, false), []);
    assert.deepEqual(issues({ payload: {}, disks: [{ id: "x", path: "/a" }], net: [{ id: "x" }] }), [
      'net[0].id: id "x" is already used by disks[0]',
    ]);
  });
});
