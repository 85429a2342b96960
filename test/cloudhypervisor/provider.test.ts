import assert from "node:assert/strict";
import {
  cloudHypervisorVirtualMachine,
  CLOUD_HYPERVISOR_VM_TOKEN,
} from "../../provider/resources/cloudHypervisorVirtualMachine";
import { CloudHypervisorClient } from "../../provider/cloudhypervisor/client";
import { propertyPathOf } from "../../provider/cloudhypervisor/propertyValues";
import { FakeEngine, TEST_STACK_URN, type ProviderCallError, type Wire } from "../provider/fakeEngine";
import { BASE_CONFIG, withSandbox } from "./sandboxHarness";
import type { CloudHypervisorSandboxOptions } from "../../sandbox/cloudHypervisor";

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const urn = TEST_STACK_URN(CLOUD_HYPERVISOR_VM_TOKEN, "vm1");

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function config(patch: (c: Config) => void = () => undefined): Config {
  const c = structuredClone(BASE_CONFIG) as Config;
  patch(c);
  return c;
}

/** A provider (over gRPC, in process) and a Cloud Hypervisor sandbox, with the VM created through the provider. */
async function setup(
  options: { sandbox?: Omit<CloudHypervisorSandboxOptions, "socketPath">; config?: Config; policy?: string } = {},
) {
  const ch = await withSandbox(options.sandbox);
  const engine = await new FakeEngine().start();
  await engine.startInProcess([cloudHypervisorVirtualMachine]);
  const inputs = (c: Config, policy = options.policy): Wire => ({
    apiSocket: ch.socketPath,
    config: c,
    ...(policy ? { onRestartRequired: policy } : {}),
  });
  const checked = await engine.check(urn, undefined, inputs(options.config ?? config()));
  assert.deepEqual(checked.failures, []);
  const created = await engine.create(urn, checked.inputs);
  let state = created.outputs;
  let lastInputs = checked.inputs;
  /** check + diff + update, as `pulumi up` does; returns the diff */
  const up = async (c: Config, policy?: string) => {
    const news = (await engine.check(urn, lastInputs, inputs(c, policy ?? options.policy))).inputs;
    const diff = await engine.diff(urn, created.id, state, news, lastInputs);
    await engine.update(urn, created.id, state, news, { preview: true, oldInputs: lastInputs });
    state = await engine.update(urn, created.id, state, news, { oldInputs: lastInputs });
    lastInputs = news;
    return diff;
  };
  const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
  return {
    ch,
    engine,
    client,
    id: created.id,
    up,
    state: () => state as Config,
    dispose: async () => {
      await engine.stop();
      await ch.dispose();
    },
  };
}

function resizeBodies(ch: { requests: readonly { endpoint: string; body: unknown; status: number }[] }): unknown[] {
  return ch.requests.filter((r) => r.endpoint === "vm.resize").map((r) => r.body);
}

describe("cloudhypervisor provider over gRPC", () => {
  it("creates and boots a VM, and reports what Cloud Hypervisor holds", async () => {
    const t = await setup();
    try {
      assert.equal(t.id, t.ch.socketPath);
      assert.equal(t.state().state, "Running");
      assert.equal(t.state().config.memory.size, GiB);
      assert.equal(t.state().config.memory.hotplug_method, "Acpi");
      assert.ok(t.state().info.pciDevices.root);
      assert.deepEqual(t.state().memoryHotplug, { bootSize: GiB, currentSize: GiB, acpiSlotsUsed: 0 });
      assert.deepEqual(
        t.ch.requests.map((r) => r.endpoint),
        ["vm.info", "vm.create", "vm.boot", "vm.info"],
      );
    } finally {
      await t.dispose();
    }
  });

  it("adopts a VM already at the socket instead of creating it", async () => {
    const t = await setup({ sandbox: { vm: { config: BASE_CONFIG } }, config: config((c) => (c.cpus.boot_vcpus = 3)) });
    try {
      assert.ok(!t.ch.requests.some((r) => r.endpoint === "vm.create"));
      assert.equal(t.ch.guest().presentVcpus, 3);
      assert.equal(t.ch.guest().boots, 1);
    } finally {
      await t.dispose();
    }
  });

  it("grows and shrinks vCPUs live", async () => {
    const t = await setup();
    try {
      const diff = await t.up(config((c) => (c.cpus.boot_vcpus = 6)));
      assert.deepEqual(diff.detailedDiff["config.cpus.boot_vcpus"], { kind: "update", inputDiff: false });
      assert.equal(t.ch.guest().presentVcpus, 6);
      await t.up(config((c) => (c.cpus.boot_vcpus = 1)));
      assert.equal(t.ch.guest().presentVcpus, 1);
      assert.equal(t.state().config.cpus.boot_vcpus, 1);
      assert.equal(t.ch.guest().boots, 1, "the VM was never restarted");
      await t.engine.settle();
      assert.ok(t.engine.logsFor(urn, "info").some((l) => /cpus\.boot_vcpus: 2 -> 6: live/.test(l.message)));
    } finally {
      await t.dispose();
    }
  });

  it("waits out a pending vCPU removal (429) before the next resize", async () => {
    const t = await setup({ sandbox: { guest: { cpuEjectDelayMs: null } } });
    try {
      await t.up(config((c) => (c.cpus.boot_vcpus = 1)));
      assert.equal(t.ch.guest().pendingVcpuRemoval, 1);
      const ejected = new Promise<void>((resolve) =>
        setTimeout(() => {
          t.ch.ejectPending();
          resolve();
        }, 300),
      );
      await t.up(config((c) => (c.cpus.boot_vcpus = 4)));
      await ejected;
      assert.equal(t.ch.guest().presentVcpus, 4);
      assert.ok(t.ch.requests.some((r) => r.status === 429));
    } finally {
      await t.dispose();
    }
  });

  it("grows ACPI memory live and tracks the slots; a shrink waits for a reboot (warn) or reboots (restart)", async () => {
    const t = await setup({ policy: "warn" });
    try {
      await t.up(config((c) => (c.memory.size = 1536 * MiB)));
      assert.equal(t.ch.guest().ram, BigInt(1536 * MiB));
      assert.deepEqual(t.state().memoryHotplug, { bootSize: GiB, currentSize: 1536 * MiB, acpiSlotsUsed: 1 });
      await t.up(config((c) => (c.memory.size = "2G")));
      assert.equal(t.ch.guest().ram, BigInt(2 * GiB));
      assert.equal(t.state().memoryHotplug.acpiSlotsUsed, 2);

      await t.up(config((c) => (c.memory.size = "1G")));
      await t.engine.settle();
      assert.ok(
        t.engine.logsFor(urn, "warning").some((l) => /memory\.size: not applied until the VM restarts/.test(l.message)),
      );
      assert.equal(t.ch.guest().ram, BigInt(2 * GiB), "the guest keeps its memory until it reboots");
      assert.equal(t.state().config.memory.size, GiB, "Cloud Hypervisor stored the smaller size");
      assert.deepEqual(t.state().lastPlan.pending, ["memory.size"]);

      // growing again is measured from what the guest has (2G), not the stored 1G
      const diff = await t.up(config((c) => (c.memory.size = "2G")));
      assert.ok(diff.detailedDiff["config.memory.size"]);
      assert.equal(t.ch.guest().ram, BigInt(2 * GiB));
      assert.equal(t.state().memoryHotplug.acpiSlotsUsed, 2);

      await t.up(
        config((c) => (c.memory.size = "1G")),
        "restart",
      );
      assert.equal(t.ch.guest().boots, 2, "vm.reboot");
      assert.equal(t.ch.guest().ram, BigInt(GiB));
      assert.deepEqual(t.state().memoryHotplug, { bootSize: GiB, currentSize: GiB, acpiSlotsUsed: 0 });
    } finally {
      await t.dispose();
    }
  });

  it("grows and shrinks virtio-mem memory live, never repeating a size", async () => {
    const t = await setup({
      config: config((c) => (c.memory = { size: "1G", hotplug_size: "2G", hotplug_method: "virtio-mem" })),
      sandbox: { guest: { virtioMemUnplugShare: 0.5 } },
    });
    try {
      await t.up(
        config(
          (c) => (c.memory = { size: "1G", hotplug_size: "2G", hotplug_method: "virtio-mem", hotplugged_size: "1G" }),
        ),
      );
      assert.equal(t.ch.guest().virtioMemPlugged, BigInt(GiB));
      assert.equal(t.state().info.memoryActualSize, 2 * GiB);
      await t.up(
        config(
          (c) => (c.memory = { size: "1G", hotplug_size: "2G", hotplug_method: "virtio-mem", hotplugged_size: "512M" }),
        ),
      );
      assert.equal(t.state().config.memory.hotplugged_size, 512 * MiB);
      assert.equal(t.ch.guest().virtioMemPlugged, BigInt(768 * MiB), "the guest unplugged half of what was asked");
      // the same desired config again: no vm.resize (virtio-mem would answer 500 "identical")
      const before = resizeBodies(t.ch).length;
      const diff = await t.up(
        config(
          (c) => (c.memory = { size: "1G", hotplug_size: "2G", hotplug_method: "virtio-mem", hotplugged_size: "512M" }),
        ),
      );
      assert.equal(diff.changes, "none");
      assert.equal(resizeBodies(t.ch).length, before);
      assert.equal(t.ch.guest().boots, 1);
    } finally {
      await t.dispose();
    }
  });

  it("hot-adds and removes disks and nets", async () => {
    const t = await setup();
    try {
      const diff = await t.up(
        config((c) => {
          c.disks.push({ id: "data", path: "/img/data.raw" });
          c.net = [];
        }),
      );
      assert.deepEqual(diff.detailedDiff["config.disks[1]"], { kind: "add", inputDiff: false });
      assert.deepEqual(diff.detailedDiff["config.net[0]"], { kind: "delete", inputDiff: false });
      assert.deepEqual(
        t.ch.requests
          .filter((r) => r.endpoint.startsWith("vm.add") || r.endpoint === "vm.remove-device")
          .map((r) => r.endpoint),
        ["vm.remove-device", "vm.add-disk"],
      );
      assert.deepEqual(
        t.state().config.disks.map((d: Config) => d.id),
        ["root", "data"],
      );
      assert.deepEqual(t.state().config.net ?? [], []);
      assert.ok(t.state().info.pciDevices.data);
      await t.up(config((c) => (c.net = [{ id: "net1", tap: "tap1" }])));
      assert.deepEqual(
        t.state().config.net.map((d: Config) => d.id),
        ["net1"],
      );
      assert.equal(t.ch.guest().boots, 1);
    } finally {
      await t.dispose();
    }
  });

  it("reports a device the guest has not ejected yet", async () => {
    const t = await setup({ sandbox: { guest: { deviceEjectDelayMs: null } } });
    try {
      await t.up(config((c) => (c.net = [])));
      assert.deepEqual(t.state().info.devicesPendingEject, ["net0"]);
    } finally {
      await t.dispose();
    }
  });

  it("refuses re-adding a device before the guest has ejected it", async () => {
    const t = await setup({ sandbox: { guest: { deviceEjectDelayMs: null } } });
    try {
      await t.up(config((c) => (c.net = [])));
      await assert.rejects(t.up(config()), /has not ejected the device removed under id "net0" yet/);
      t.ch.ejectPending();
      const read = await t.engine.read(urn, t.id, t.state());
      assert.deepEqual((read.outputs.info as Config).devicesPendingEject, []);
    } finally {
      await t.dispose();
    }
  });

  it("restores the previous VM when recreating it fails", async () => {
    // the host is aarch64 (255 vCPUs at most) but the program says x86_64: Cloud Hypervisor refuses the boot
    const t = await setup({ sandbox: { arch: "aarch64" }, policy: "restart" });
    try {
      await assert.rejects(
        t.up(config((c) => (c.cpus.max_vcpus = 300))),
        /Too many CPUs: specified 300 but 255 is the limit.*restored with its previous config/s,
      );
      const info = await t.client.info();
      assert.equal(info.state, "Running");
      assert.equal(info.config.cpus?.max_vcpus, 8);
      assert.equal(info.config.cpus?.boot_vcpus, 2);
    } finally {
      await t.dispose();
    }
  });

  const refused: [string, (c: Config) => void, RegExp][] = [
    ["vCPUs above max_vcpus", (c) => (c.cpus.boot_vcpus = 9), /Requested vCPUs exceed maximum/],
    ["memory not a 128M multiple", (c) => (c.memory.size = 1100 * MiB), /not a valid size/],
    ["memory beyond hotplug_size", (c) => (c.memory.size = "4G"), /Not enough space in the hotplug RAM region/],
  ];
  for (const [name, patch, message] of refused) {
    it(`refuses ${name} in preview and update, sending nothing`, async () => {
      const t = await setup();
      try {
        const sent = t.ch.requests.length;
        await assert.rejects(
          t.up(config(patch)),
          (e: ProviderCallError) => message.test(e.message) && /nothing was sent/.test(e.message),
        );
        assert.ok(t.ch.requests.slice(sent).every((r) => r.endpoint === "vm.info"));
      } finally {
        await t.dispose();
      }
    });
  }

  it("refuses growing memory of a VM booted without hotplug_size", async () => {
    const t = await setup({ config: config((c) => (c.memory = { size: "1G" })) });
    try {
      await assert.rejects(t.up(config((c) => (c.memory = { size: "2G" }))), /without memory\.hotplug_size/);
      assert.deepEqual(resizeBodies(t.ch), []);
    } finally {
      await t.dispose();
    }
  });

  it("recreate-only changes: warn leaves them, fail refuses, restart recreates the VM", async () => {
    const t = await setup({ policy: "warn" });
    try {
      const wanted = config((c) => (c.cpus = { boot_vcpus: 4, max_vcpus: 16 }));
      await t.up(wanted);
      await t.engine.settle();
      assert.ok(t.engine.logsFor(urn, "warning").some((l) => /cpus\.max_vcpus: .*must be recreated/.test(l.message)));
      assert.equal(t.state().config.cpus.max_vcpus, 8);
      assert.equal(t.ch.guest().boots, 1);

      await assert.rejects(t.up(wanted, "fail"), /onRestartRequired is "fail"; nothing was sent/);
      assert.equal(t.ch.guest().boots, 1);

      await t.up(wanted, "restart");
      assert.equal(t.state().config.cpus.max_vcpus, 16);
      assert.equal(t.state().config.cpus.boot_vcpus, 4);
      assert.equal(t.ch.guest().boots, 2);
      assert.deepEqual(t.state().lastPlan.steps, ["vm.shutdown", "vm.delete", "vm.create", "vm.boot"]);
    } finally {
      await t.dispose();
    }
  });

  it("the plugin binary serves the resource: schema, create and a live update", async function () {
    this.timeout(60_000);
    const ch = await withSandbox();
    const engine = await new FakeEngine().start();
    try {
      await engine.spawnPlugin();
      const schema = (await engine.getSchema()) as { resources: Record<string, { requiredInputs: string[] }> };
      assert.deepEqual(schema.resources[CLOUD_HYPERVISOR_VM_TOKEN]?.requiredInputs, ["apiSocket", "config"]);
      const inputs = { apiSocket: ch.socketPath, config: config() };
      const created = await engine.create(urn, (await engine.check(urn, undefined, inputs)).inputs);
      const news = (await engine.check(urn, inputs, { ...inputs, config: config((c) => (c.cpus.boot_vcpus = 4)) }))
        .inputs;
      const outputs = await engine.update(urn, created.id, created.outputs, news);
      assert.equal((outputs.config as Config).cpus.boot_vcpus, 4);
      assert.equal(ch.guest().presentVcpus, 4);
    } finally {
      await engine.stop();
      await ch.dispose();
    }
  });

  it("on aarch64 a vCPU change restarts the guest (shutdown, resize, boot) under onRestartRequired=restart", async () => {
    const t = await setup({ sandbox: { arch: "aarch64" }, policy: "restart" });
    try {
      const news = (
        await t.engine.check(urn, undefined, {
          apiSocket: t.ch.socketPath,
          config: config((c) => (c.cpus.boot_vcpus = 4)),
          architecture: "aarch64",
          onRestartRequired: "restart",
        })
      ).inputs;
      const outputs = await t.engine.update(urn, t.id, t.state(), news);
      assert.deepEqual((outputs.lastPlan as Config).steps, ["vm.shutdown", "vm.resize desired_vcpus=4", "vm.boot"]);
      assert.equal(t.ch.guest().presentVcpus, 4);
      assert.equal(t.ch.guest().boots, 2);
    } finally {
      await t.dispose();
    }
  });

  it("check names the exact path of bad input", async () => {
    const t = await setup();
    try {
      const { failures } = await t.engine.check(urn, undefined, {
        apiSocket: t.ch.socketPath,
        config: config((c) => {
          c.memory.size = "1g";
          c.disks.push({ path: "/no-id" });
        }),
        onRestartRequired: "sometimes",
      });
      assert.deepEqual(
        failures.map((f) => f.property),
        ["onRestartRequired", "config.memory.size"],
      );
      const second = await t.engine.check(urn, undefined, {
        apiSocket: t.ch.socketPath,
        config: config((c) => c.disks.push({ path: "/no-id" })),
      });
      assert.deepEqual(
        second.failures.map((f) => f.property),
        ["config.disks[1].id"],
      );
      const third = await t.engine.check(urn, undefined, {
        apiSocket: t.ch.socketPath,
        config: config((c) => (c.cpus.max_vcpus = 1)),
      });
      assert.match(third.failures[0]!.reason, /Max CPUs \(1\) lower than boot CPUs \(2\)/);
    } finally {
      await t.dispose();
    }
  });

  it("refresh shows drift made behind Pulumi's back; delete shuts down and deletes", async () => {
    const t = await setup();
    try {
      await t.client.resize({ desiredVcpus: 5 });
      const read = await t.engine.read(urn, t.id, t.state());
      assert.equal((read.outputs.config as Config).cpus.boot_vcpus, 5);
      const news = (await t.engine.check(urn, undefined, { apiSocket: t.ch.socketPath, config: config() })).inputs;
      const diff = await t.engine.diff(urn, t.id, read.outputs, news);
      assert.equal(diff.changes, "some");
      assert.ok(diff.detailedDiff["config.cpus.boot_vcpus"]);
      await t.engine.delete(urn, t.id, read.outputs);
      assert.deepEqual(
        t.ch.requests.slice(-3).map((r) => r.endpoint),
        ["vm.info", "vm.shutdown", "vm.delete"],
      );
      await assert.rejects(t.client.info(), /VM is not created/);
      const gone = await t.engine.read(urn, t.id, read.outputs);
      assert.equal(gone.id, "");
    } finally {
      await t.dispose();
    }
  });
});

describe("cloudhypervisor provider: property paths for the detailed diff", () => {
  it("turns id paths into Pulumi index paths", () => {
    const before = { disks: [{ id: "a" }, { id: "b" }], memory: { zones: [{ id: "z0" }, { id: "z1" }] } };
    const after = {
      disks: [{ id: "b" }, { id: "c" }],
      vsock: { id: "v" },
      memory: { zones: [{ id: "z0" }, { id: "z1" }] },
    };
    assert.equal(propertyPathOf("disks[id=c]", before, after), "config.disks[1]");
    assert.equal(propertyPathOf("disks[id=a]", before, after), "config.disks[0]");
    assert.equal(propertyPathOf("disks[id=b].readonly", before, after), "config.disks[0].readonly");
    assert.equal(propertyPathOf("vsock[id=v]", before, after), "config.vsock");
    assert.equal(
      propertyPathOf("memory.zones[id=z1].hotplugged_size", before, after),
      "config.memory.zones[1].hotplugged_size",
    );
    assert.equal(propertyPathOf("cpus.boot_vcpus", before, after), "config.cpus.boot_vcpus");
  });
});
