/**
 * Real kubectl (the oldest and newest installed, 1.27 and 1.33) against the sandbox: apply a VM, patch
 * sockets and memory, watch the VMI until the hotplug lands, see the migration succeed.
 */
import assert from "node:assert/strict";
import YAML from "yaml";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox } from "../../sandbox/index";
import { findKubectl, run, stream, tempDir, vmManifest, waitFor, writeTemp } from "./helpers";

interface Migration {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: { priority?: string };
  status: { phase: string };
}

for (const name of ["kubectl.1.27", "kubectl.1.33"]) {
  const bin = findKubectl(name);
  describe(`sandbox with ${name}`, function () {
    let sandbox: Sandbox;
    let env: Record<string, string>;
    let dir: string;

    before(async function () {
      if (!bin) {
        // only allowed skip: the binary is not installed on this machine
        console.log(`    ${name} is not installed (looked on PATH and /usr/lib/google-cloud-sdk/bin): skipping`);
        this.skip();
      }
      dir = tempDir("livevm-kubectl-");
      sandbox = await startSandbox({
        migrationSeconds: 0.1,
        kubevirt: hotplugReadyKubeVirtSpec("1.9"),
        kubeconfigPath: `${dir}/kubeconfig`,
      });
      env = { KUBECONFIG: sandbox.kubeconfigPath!, HOME: dir };
    });
    after(async () => sandbox?.close());

    const k = (...args: string[]) => run(bin!, args, env);

    it("serves version, discovery and api-resources", async () => {
      const v = await k("version", "-o", "json");
      assert.equal(v.code, 0, v.stderr);
      assert.equal(JSON.parse(v.stdout).serverVersion.gitVersion, "v1.33.0");
      const r = await k("api-resources", "--api-group=kubevirt.io", "-o", "name");
      assert.equal(r.code, 0, r.stderr);
      for (const res of ["virtualmachines", "virtualmachineinstances", "virtualmachineinstancemigrations", "kubevirts"])
        assert.match(r.stdout, new RegExp(`^${res}\\.kubevirt\\.io$`, "m"));
    });

    it("applies a VM, hot-plugs sockets and memory through a migration, keeps the VMI", async () => {
      const file = writeTemp(dir, "vm.yaml", YAML.stringify(vmManifest("demo")));
      const applied = await k("apply", "-f", file);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(applied.stdout, /virtualmachine.kubevirt.io\/demo created/);
      const uid = await waitFor("the VMI", async () => {
        const r = await k("get", "vmi", "demo", "-o", "jsonpath={.metadata.uid}");
        return r.code === 0 && r.stdout ? r.stdout : undefined;
      });
      const watch = stream(
        bin!,
        [
          "get",
          "vmi",
          "demo",
          "-w",
          "-o",
          'jsonpath={.status.currentCPUTopology.sockets} {.status.memory.guestCurrent}{"\\n"}',
        ],
        env,
      );
      try {
        await waitFor("the watch to start", () => (watch.lines.length > 0 ? true : undefined));
        assert.equal(watch.lines[0], "1 2Gi");
        const patched = await k(
          "patch",
          "vm",
          "demo",
          "--type",
          "merge",
          "-p",
          JSON.stringify({
            spec: { template: { spec: { domain: { cpu: { sockets: 2 }, memory: { guest: "3Gi" } } } } },
          }),
        );
        assert.equal(patched.code, 0, patched.stderr);
        await waitFor("the watch to show the hotplug", () => (watch.lines.includes("2 3Gi") ? true : undefined));
      } finally {
        watch.child.kill();
      }
      const migrations = JSON.parse((await k("get", "vmim", "-o", "json")).stdout).items as Migration[];
      assert.equal(migrations.length, 1);
      const m = migrations[0]!;
      assert.match(m.metadata.name, /^kubevirt-workload-update-[a-z0-9]{5}$/);
      assert.equal(m.metadata.labels["kubevirt.io/vmi-name"], "demo");
      assert.equal(m.metadata.annotations["kubevirt.io/workloadUpdateMigration"], "");
      assert.equal(m.spec.priority, "user-triggered");
      assert.equal(m.status.phase, "Succeeded");
      const vmi = JSON.parse((await k("get", "vmi", "demo", "-o", "json")).stdout);
      assert.equal(vmi.metadata.uid, uid, "hotplug must not restart the VMI");
      assert.equal(vmi.spec.domain.cpu.sockets, 2);
      assert.equal(vmi.status.memory.guestAtBoot, "2Gi");
      assert.equal(vmi.status.memory.guestRequested, "3Gi");
      assert.ok(
        !vmi.status.conditions.some(
          (c: { type: string }) => c.type === "HotVCPUChange" || c.type === "HotMemoryChange",
        ),
      );
    });

    it("json-patches a non-live field and reports RestartRequired; restart gives a new VMI", async () => {
      const before = (await k("get", "vmi", "demo", "-o", "jsonpath={.metadata.uid}")).stdout;
      const p = await k(
        "patch",
        "vm",
        "demo",
        "--type",
        "json",
        "-p",
        JSON.stringify([{ op: "replace", path: "/spec/template/spec/domain/cpu/cores", value: 2 }]),
      );
      assert.equal(p.code, 0, p.stderr);
      const w = await k("wait", "vm/demo", "--for=condition=RestartRequired", "--timeout=10s");
      assert.equal(w.code, 0, w.stderr);
      const vm = JSON.parse((await k("get", "vm", "demo", "-o", "json")).stdout);
      const rr = vm.status.conditions.find((c: { type: string }) => c.type === "RestartRequired");
      assert.equal(rr.message, "a non-live-updatable field was changed in the template spec");
      const restart = await k("delete", "vmi", "demo");
      assert.equal(restart.code, 0, restart.stderr);
      const after = await waitFor("a new VMI", async () => {
        const r = await k("get", "vmi", "demo", "-o", "jsonpath={.metadata.uid}");
        return r.code === 0 && r.stdout && r.stdout !== before ? r.stdout : undefined;
      });
      assert.notEqual(after, before);
      const vm2 = JSON.parse((await k("get", "vm", "demo", "-o", "json")).stdout);
      assert.ok(!vm2.status.conditions.some((c: { type: string }) => c.type === "RestartRequired"));
      const vmi = JSON.parse((await k("get", "vmi", "demo", "-o", "json")).stdout);
      assert.deepEqual(vmi.status.currentCPUTopology, { sockets: 2, cores: 2, threads: 1 });
      assert.equal(vmi.status.memory.guestAtBoot, "3Gi");
    });

    it("shows KubeVirt's admission message for an invalid change", async () => {
      const r = await k(
        "patch",
        "vm",
        "demo",
        "--type",
        "merge",
        "-p",
        JSON.stringify({ spec: { template: { spec: { domain: { cpu: { sockets: 9, maxSockets: 4 } } } } } }),
      );
      assert.notEqual(r.code, 0);
      // kubectl prints a 422 Invalid Status with causes as "The request is invalid: <field>: <message>"
      assert.match(
        r.stderr,
        /The request is invalid: spec\.template\.spec\.domain\.cpu\.sockets: Number of sockets in CPU topology is greater than the maximum sockets allowed/,
      );
    });

    it("creates, server-side applies with conflicts, and deletes", async () => {
      const kv = writeTemp(
        dir,
        "kv.yaml",
        YAML.stringify({
          apiVersion: "kubevirt.io/v1",
          kind: "KubeVirt",
          metadata: { name: "kubevirt", namespace: "kubevirt" },
          spec: { configuration: { vmRolloutStrategy: "Stage" } },
        }),
      );
      const first = await k("apply", "--server-side", "--field-manager=team-a", "-f", kv);
      assert.equal(first.code, 0, first.stderr);
      const kv2 = writeTemp(
        dir,
        "kv2.yaml",
        YAML.stringify({
          apiVersion: "kubevirt.io/v1",
          kind: "KubeVirt",
          metadata: { name: "kubevirt", namespace: "kubevirt" },
          spec: { configuration: { vmRolloutStrategy: "LiveUpdate" } },
        }),
      );
      const second = await k("apply", "--server-side", "--field-manager=team-b", "-f", kv2);
      assert.notEqual(second.code, 0);
      assert.match(second.stderr, /conflict with "team-a"/);
      assert.match(second.stderr, /\.spec\.configuration\.vmRolloutStrategy/);
      const forced = await k("apply", "--server-side", "--force-conflicts", "--field-manager=team-b", "-f", kv2);
      assert.equal(forced.code, 0, forced.stderr);
      const created = await k("create", "-f", writeTemp(dir, "vm2.yaml", YAML.stringify(vmManifest("other"))));
      assert.equal(created.code, 0, created.stderr);
      const dup = await k("create", "-f", writeTemp(dir, "vm3.yaml", YAML.stringify(vmManifest("other"))));
      assert.match(dup.stderr, /AlreadyExists|already exists/);
      const del = await k("delete", "vm", "other");
      assert.equal(del.code, 0, del.stderr);
      await waitFor("the VMI to go", async () => ((await k("get", "vmi", "other")).code !== 0 ? true : undefined));
    });
  });
}
