import assert from "node:assert/strict";
import { request } from "node:http";
import { parseRelease } from "../../sandbox/cloudHypervisor/releases";
import { BASE_CONFIG, withSandbox } from "./sandboxHarness";

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(socketPath: string, method: string, path: string, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({
      socketPath,
      method,
      path,
      agent: false,
      headers: body === undefined ? { "Content-Length": 0 } : { "Content-Length": Buffer.byteLength(body) },
    });
    req.on("error", reject);
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.end(body);
  });
}

describe("cloudhypervisor sandbox: HTTP contract", () => {
  it("routes exact paths, checks methods and bodies, and answers like micro_http", async () => {
    const ch = await withSandbox();
    try {
      const s = ch.socketPath;
      const ping = await raw(s, "GET", "/api/v1/vmm.ping");
      assert.equal(ping.status, 200);
      assert.equal(ping.headers["content-type"], "application/json");
      assert.equal(ping.headers["server"], "Cloud Hypervisor API");
      assert.equal(JSON.parse(ping.body).build_version, "v54.0");
      assert.deepEqual(await raw(s, "GET", "/api/v1/vm.nope").then((r) => [r.status, r.body]), [404, '["Not Found"]']);
      assert.deepEqual(await raw(s, "GET", "/api/v1/vm.boot").then((r) => [r.status, r.body]), [
        400,
        '["Bad Request"]',
      ]);
      assert.deepEqual(await raw(s, "POST", "/api/v1/vm.info").then((r) => [r.status, r.body]), [400, ""]);
      assert.deepEqual(await raw(s, "PUT", "/api/v1/vm.create").then((r) => [r.status, r.body]), [400, ""]);
      const badJson = await raw(s, "PUT", "/api/v1/vm.create", "{");
      assert.equal(badJson.status, 400);
      assert.equal(JSON.parse(badJson.body)[0], "Failed to deserialize JSON");
      const badShape = await raw(
        s,
        "PUT",
        "/api/v1/vm.create",
        JSON.stringify({ cpus: { boot_vcpus: 1, max_vcpus: 1 } }),
      );
      assert.deepEqual(
        [badShape.status, JSON.parse(badShape.body)],
        [400, ["Failed to deserialize JSON", "missing field `payload`"]],
      );
      const negative = await raw(
        s,
        "PUT",
        "/api/v1/vm.create",
        JSON.stringify({ ...BASE_CONFIG, cpus: { boot_vcpus: -1, max_vcpus: 2 } }),
      );
      assert.equal(negative.status, 400);
      assert.equal((await raw(s, "PUT", "/api/v1/vm.create", JSON.stringify(BASE_CONFIG))).status, 204);
      assert.deepEqual(await raw(s, "PUT", "/api/v1/vm.boot", "{}").then((r) => [r.status, r.body]), [
        400,
        '["Bad Request"]',
      ]);
      const twice = await raw(s, "PUT", "/api/v1/vm.create", JSON.stringify(BASE_CONFIG));
      assert.deepEqual(
        [twice.status, JSON.parse(twice.body)],
        [500, ["Error from API", "The VM could not be created", "VM is already created"]],
      );
      assert.equal((await raw(s, "PUT", "/api/v1/vm.boot")).status, 204);
      const info = JSON.parse((await raw(s, "GET", "/api/v1/vm.info")).body);
      assert.equal(info.state, "Running");
      assert.equal(info.config.memory.hotplug_method, "Acpi");
      assert.equal(info.config.memory.hotplugged_size, null);
      assert.equal(info.config.disks[0].num_queues, 1);
      assert.ok(info.device_tree.root.pci_bdf);
      const added = await raw(s, "PUT", "/api/v1/vm.add-disk", JSON.stringify({ path: "/img/data.raw" }));
      assert.equal(added.status, 200);
      assert.match(JSON.parse(added.body).id, /^_disk\d+$/);
      assert.match(JSON.parse(added.body).bdf, /^0000:00:[0-9a-f]{2}\.0$/);
      assert.deepEqual(await raw(s, "PUT", "/api/v1/vm.resize", "{}").then((r) => r.status), 204);
      assert.deepEqual(
        await raw(s, "PUT", "/api/v1/vm.resize", '{"desired_vcpus":null,"desired_ram":null}').then((r) => r.status),
        204,
      );
      const getWithBody = await raw(s, "GET", "/api/v1/vm.info", "{}");
      assert.equal(getWithBody.status, 400);
      assert.match(
        getWithBody.body,
        /^\{ "error": "Invalid request\.\nAll previous unanswered requests will be dropped\." \}$/,
      );
      const tooLarge = await raw(s, "PUT", "/api/v1/vm.resize", " ".repeat((4 << 20) + 1));
      assert.equal(tooLarge.status, 400);
      assert.match(tooLarge.body, /larger than the limit of 4194304 allowed by server/);
      const vmmShutdown = await raw(s, "PUT", "/api/v1/vmm.shutdown");
      assert.deepEqual([vmmShutdown.status, vmmShutdown.body], [200, ""]);
      await ch.exited;
    } finally {
      await ch.dispose();
    }
  });

  const table: [string, string, string | undefined, boolean, Record<string, number>][] = [
    // endpoint, method, body, create the VM first, status per release
    ["vm.info", "GET", undefined, false, { "v52.0": 500, "v53.0": 404, "v54.0": 404 }],
    ["vm.boot", "PUT", undefined, false, { "v52.0": 500, "v53.0": 404, "v54.0": 404 }],
    ["vm.resize", "PUT", '{"desired_vcpus":2}', false, { "v52.0": 500, "v53.0": 404, "v54.0": 404 }],
    ["vm.remove-device", "PUT", '{"id":"nope"}', true, { "v52.0": 500, "v53.0": 500, "v54.0": 404 }],
    ["vm.add-disk", "PUT", '{"id":"root","path":"/img/other.raw"}', true, { "v52.0": 500, "v53.0": 500, "v54.0": 409 }],
    ["vm.add-disk", "PUT", '{"id":"d2","path":"/img/root.raw"}', true, { "v52.0": 500, "v53.0": 500, "v54.0": 409 }],
    ["vm.add-vsock", "PUT", '{"cid":2,"socket":"/v.sock"}', true, { "v52.0": 500, "v53.0": 500, "v54.0": 400 }],
    ["vm.resize", "PUT", '{"desired_vcpus":9}', true, { "v52.0": 500, "v53.0": 500, "v54.0": 500 }],
    ["vm.shutdown", "PUT", undefined, false, { "v52.0": 500, "v53.0": 500, "v54.0": 500 }],
    ["vm.delete", "PUT", undefined, false, { "v52.0": 204, "v53.0": 204, "v54.0": 204 }],
  ];
  for (const [endpoint, method, body, booted, statuses] of table) {
    for (const [version, status] of Object.entries(statuses)) {
      it(`${method} ${endpoint} ${body ?? ""}${booted ? " (running VM)" : ""} answers ${status} on ${version}`, async () => {
        const ch = await withSandbox({ version, vm: booted ? { config: BASE_CONFIG } : undefined });
        try {
          const answer = await raw(ch.socketPath, method, `/api/v1/${endpoint}`, body);
          assert.equal(answer.status, status, answer.body);
          if (status >= 400) assert.equal(JSON.parse(answer.body)[0], "Error from API");
        } finally {
          await ch.dispose();
        }
      });
    }
  }

  it("maps version strings to the release whose status codes it answers with", () => {
    assert.equal(parseRelease("v51.1"), "v52.0");
    assert.equal(parseRelease("52.0"), "v52.0");
    assert.equal(parseRelease("v53.1"), "v53.0");
    assert.equal(parseRelease("main"), "v54.0");
    assert.equal(parseRelease("v55.0"), "v54.0");
    assert.throws(() => parseRelease("latest"), /unknown Cloud Hypervisor version "latest"/);
  });

  it("reboot when not running: 404 from v53.0, 500 before", async () => {
    for (const [version, status] of [
      ["v52.0", 500],
      ["v53.0", 404],
    ] as const) {
      const ch = await withSandbox({ version, vm: { config: BASE_CONFIG, boot: false } });
      try {
        assert.equal((await raw(ch.socketPath, "PUT", "/api/v1/vm.reboot")).status, status);
      } finally {
        await ch.dispose();
      }
    }
  });
});
