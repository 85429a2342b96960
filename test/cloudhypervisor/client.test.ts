import assert from "node:assert/strict";
import {
  CloudHypervisorApiError,
  CloudHypervisorConnectionError,
  isUnknownDevice,
  isVcpuRemovalPending,
  isVmNotCreated,
} from "../../provider/cloudhypervisor/apiError";
import { CloudHypervisorClient } from "../../provider/cloudhypervisor/client";
import { parseVmConfig } from "../../core/cloudhypervisor/schema";
import { GiB, MiB } from "../../core/cloudhypervisor/size";
import { BASE_CONFIG, withSandbox } from "./sandboxHarness";

const VIRTIO_MEM_CONFIG = {
  ...BASE_CONFIG,
  memory: { size: 1073741824, hotplug_size: 2147483648, hotplug_method: "VirtioMem" },
};

async function rejection(promise: Promise<unknown>): Promise<CloudHypervisorApiError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof CloudHypervisorApiError) return e;
    throw e;
  }
  assert.fail("expected Cloud Hypervisor to refuse the request");
}

describe("cloudhypervisor client against the sandbox", () => {
  it("creates, boots and reads a VM, with exact sizes and without serde's nulls", async () => {
    const ch = await withSandbox();
    try {
      const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
      assert.equal((await client.ping()).build_version, "v54.0");
      await client.create(parseVmConfig(BASE_CONFIG, "config"));
      assert.equal((await client.info()).state, "Created");
      await client.boot();
      const info = await client.info();
      assert.equal(info.state, "Running");
      assert.equal(info.config.memory?.size, GiB);
      assert.equal(info.config.memory?.hotplug_size, 2n * GiB);
      assert.equal(info.config.memory?.hotplugged_size, undefined);
      assert.equal(info.memoryActualSize, GiB);
      assert.ok(info.deviceTree?.["net0"]);
      await client.shutdown();
      await client.delete();
      await client.delete(); // idempotent
    } finally {
      await ch.dispose();
    }
  });

  it("surfaces Cloud Hypervisor's error chain verbatim", async () => {
    const ch = await withSandbox({ vm: { config: BASE_CONFIG } });
    try {
      const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
      const error = await rejection(client.resize({ desiredVcpus: 9 }));
      assert.equal(error.status, 500);
      assert.deepEqual(error.chain, [
        "Error from API",
        "The VM could not be resized",
        "Error from CPU manager",
        "Requested vCPUs exceed maximum",
      ]);
      assert.match(
        error.message,
        /PUT \/api\/v1\/vm\.resize \(HTTP 500\): Error from API: .*Requested vCPUs exceed maximum$/,
      );
      const size = await rejection(client.resize({ desiredRam: GiB + 100n * MiB }));
      assert.equal(size.rootCause, "The requested hotplug memory addition is not a valid size");
      assert.equal(size.chain?.[2], "Memory manager error");
    } finally {
      await ch.dispose();
    }
  });

  it("retries 429 while a vCPU removal is pending, with back-off", async () => {
    const ch = await withSandbox({ vm: { config: BASE_CONFIG }, guest: { cpuEjectDelayMs: 120 } });
    try {
      const retries: number[] = [];
      const client = new CloudHypervisorClient({
        socketPath: ch.socketPath,
        retry: { initialDelayMs: 20, maxDelayMs: 80 },
        onRetry: (_e, _a, delay) => retries.push(delay),
      });
      await client.resize({ desiredVcpus: 1 });
      assert.equal(ch.guest().pendingVcpuRemoval, 1);
      await client.resize({ desiredVcpus: 3 });
      assert.ok(retries.length >= 2, `retried ${retries.length} times`);
      assert.deepEqual(retries.slice(0, 3), [20, 40, 80].slice(0, Math.min(3, retries.length)));
      assert.equal(ch.guest().presentVcpus, 3);
      assert.ok(ch.requests.some((r) => r.status === 429));
    } finally {
      await ch.dispose();
    }
  });

  it("gives up on 429 after the configured attempts and says so", async () => {
    const ch = await withSandbox({ vm: { config: BASE_CONFIG }, guest: { cpuEjectDelayMs: null } });
    try {
      const client = new CloudHypervisorClient({
        socketPath: ch.socketPath,
        retry: { attempts: 3, initialDelayMs: 1 },
      });
      await client.resize({ desiredVcpus: 1 });
      const error = await rejection(client.resize({ desiredVcpus: 3 }));
      assert.ok(isVcpuRemovalPending(error));
      assert.deepEqual(error.chain, ["Too Many Requests"]);
      assert.equal(ch.requests.filter((r) => r.status === 429).length, 3);
      // asking for the vCPUs still present is a no-op even while the removal is pending
      await client.resize({ desiredVcpus: 2 });
    } finally {
      await ch.dispose();
    }
  });

  it("skips no-op resizes: virtio-mem answers 500 to an identical size", async () => {
    const ch = await withSandbox({ vm: { config: VIRTIO_MEM_CONFIG } });
    try {
      const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
      const identical = await rejection(client.resize({ desiredRam: GiB }));
      assert.match(identical.rootCause!, /^new size 0x0 and requested_size are identical$/);
      assert.equal(await client.resizeIfChanged({ desiredRam: GiB, desiredVcpus: 2 }), undefined);
      const sent = await client.resizeIfChanged({ desiredRam: GiB + 512n * MiB, desiredVcpus: 2 });
      assert.deepEqual(sent, { desiredRam: GiB + 512n * MiB });
      assert.equal(ch.guest().virtioMemPlugged, 512n * MiB);
      assert.equal((await client.info()).config.memory?.hotplugged_size, 512n * MiB);
      assert.equal(await client.resizeIfChanged({ desiredRam: GiB + 512n * MiB }), undefined);
      const below = await rejection(client.resize({ desiredRam: 512n * MiB }));
      assert.equal(below.rootCause, `Invalid resize request: desired_size = ${512n * MiB} below boot size = ${GiB}`);
    } finally {
      await ch.dispose();
    }
  });

  it("classifies 'not created' and 'unknown device' on every release", async () => {
    for (const version of ["v52.0", "v53.0", "v54.0"]) {
      const ch = await withSandbox({ version });
      try {
        const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
        const notCreated = await rejection(client.info());
        assert.equal(notCreated.status, version === "v52.0" ? 500 : 404);
        assert.ok(isVmNotCreated(notCreated));
        await client.create(parseVmConfig(BASE_CONFIG, "config"));
        await client.boot();
        const unknown = await rejection(client.removeDevice("nope"));
        assert.equal(unknown.status, version === "v54.0" ? 404 : 500);
        assert.ok(isUnknownDevice(unknown));
        assert.ok(!isVmNotCreated(unknown));
      } finally {
        await ch.dispose();
      }
    }
  });

  it("hot-adds (200 with the PCI address) and cold-adds (204) devices", async () => {
    const ch = await withSandbox({ vm: { config: BASE_CONFIG, boot: false } });
    try {
      const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
      assert.equal(await client.addDevice("disks", { id: "cold", path: "/img/cold.raw" }), undefined);
      await client.boot();
      const info = await client.addDevice("net", { id: "net1", tap: "tap1" });
      assert.equal(info?.id, "net1");
      assert.match(info!.bdf, /^0000:00:/);
      await client.removeDevice("cold");
      const after = await client.info();
      assert.deepEqual(
        after.config.disks?.map((d) => d.id),
        ["root"],
      );
      assert.deepEqual(
        after.config.net?.map((d) => d.id),
        ["net0", "net1"],
      );
    } finally {
      await ch.dispose();
    }
  });

  it("resizes a user-defined memory zone (virtio-mem), and vm.resize is refused with zones", async () => {
    const zones = {
      ...BASE_CONFIG,
      memory: {
        size: 0,
        hotplug_method: "VirtioMem",
        zones: [{ id: "z0", size: 1073741824, hotplug_size: 1073741824 }],
      },
    };
    const ch = await withSandbox({ vm: { config: zones } });
    try {
      const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
      await client.resizeZone("z0", GiB + 256n * MiB);
      assert.equal(ch.guest().virtioMemPlugged, 256n * MiB);
      assert.equal((await client.info()).config.memory?.zones?.[0]?.hotplugged_size, 256n * MiB);
      const refused = await rejection(client.resize({ desiredRam: 2n * GiB }));
      assert.equal(
        refused.rootCause,
        "Impossible to resize guest memory if it is backed by user defined memory regions",
      );
      const unknown = await rejection(client.resizeZone("nope", GiB));
      assert.equal(unknown.rootCause, "Failed resizing a memory zone");
    } finally {
      await ch.dispose();
    }
  });

  it("sends sizes beyond 2^53 exactly", async () => {
    const ch = await withSandbox({ vm: { config: BASE_CONFIG, boot: false } });
    try {
      const client = new CloudHypervisorClient({ socketPath: ch.socketPath });
      const huge = (1n << 60n) + 1n;
      await client.resize({ desiredRam: huge }); // cold: stored as it is
      assert.equal((await client.info()).config.memory?.size, huge);
    } finally {
      await ch.dispose();
    }
  });

  it("names the socket when nothing listens", async () => {
    const client = new CloudHypervisorClient({ socketPath: "/nonexistent/ch.sock" });
    await assert.rejects(
      client.ping(),
      (e: unknown) => e instanceof CloudHypervisorConnectionError && /\/nonexistent\/ch\.sock.*ENOENT/.test(e.message),
    );
  });
});
