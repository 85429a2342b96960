import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import * as livevm from "../../sdk";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  custom: boolean;
  provider?: string;
}
const registered: Registered[] = [];

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

describe("sdk: provider and resource classes", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push({
            type: args.type,
            name: args.name,
            inputs: args.inputs as Record<string, unknown>,
            custom: args.custom ?? false,
            ...(args.provider ? { provider: args.provider } : {}),
          });
          const state: Record<string, unknown> = { ...args.inputs };
          if (args.type === "livevm:kubevirt:VirtualMachine") {
            state["status"] = { printableStatus: "Running", ready: true };
            state["restartRequired"] = false;
            state["currentCpuTopology"] = { sockets: 2, cores: 1, threads: 1 };
            state["memory"] = { guestAtBoot: "2Gi", guestCurrent: "2Gi" };
            state["vmiUid"] = "3f0c";
            state["lastPlan"] = {
              outcome: "live",
              version: "v1.9.0",
              predicted: false,
              changes: [],
              messages: [],
              action: "applied live",
            };
          }
          if (args.type === "livevm:cloudhypervisor:VirtualMachine") {
            state["state"] = "Running";
            state["info"] = { memoryActualSize: null, pciDevices: { root: "0000:00:03.0" }, devicesPendingEject: [] };
            state["memoryHotplug"] = { bootSize: 1 << 30, slotsUsed: 0 };
          }
          return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
      },
      "sdk-test",
      "test",
    );
  });
  beforeEach(() => {
    registered.length = 0;
  });

  it("Provider registers pulumi:providers:livevm with its configuration, kubeconfig as a secret", async () => {
    const provider = new livevm.Provider("cluster", {
      kubeconfig: "apiVersion: v1\nkind: Config\n",
      context: "kind-dev",
      namespace: "vms",
      kubevirtNamespace: "kubevirt",
      onRestartRequired: "fail",
      timeouts: { update: 1200 },
    });
    await valueOf(provider.urn);
    const reg = registered.find((r) => r.type === "pulumi:providers:livevm");
    assert.ok(reg, "provider registered");
    assert.equal(reg.custom, true);
    assert.equal(reg.inputs["context"], "kind-dev");
    assert.equal(reg.inputs["namespace"], "vms");
    assert.equal(reg.inputs["onRestartRequired"], "fail");
    const timeouts = reg.inputs["timeouts"];
    // older SDKs JSON-encode non-string provider inputs; 3.270 passes the object
    assert.deepEqual(typeof timeouts === "string" ? JSON.parse(timeouts) : timeouts, { update: 1200 });
    assert.equal(await pulumi.isSecret(provider.kubeconfig), true);
    assert.ok(livevm.Provider.isInstance(provider));
  });

  it("kubevirt.VirtualMachine registers livevm:kubevirt:VirtualMachine with metadata, spec and policies, and reads outputs", async () => {
    const provider = new livevm.Provider("p", {});
    const vm = new livevm.kubevirt.VirtualMachine(
      "web",
      {
        metadata: { name: "web", namespace: "vms", labels: { app: pulumi.output("web") } },
        spec: {
          runStrategy: "Always",
          template: { spec: { domain: { cpu: { sockets: 2, maxSockets: 8 }, memory: { guest: "2Gi" } } } },
        },
        onRestartRequired: "warn",
        waitForLiveUpdate: true,
      },
      { provider },
    );
    await valueOf(vm.urn);
    const reg = registered.find((r) => r.type === "livevm:kubevirt:VirtualMachine");
    assert.ok(reg);
    assert.equal(reg.custom, true);
    assert.match(reg.provider ?? "", /pulumi:providers:livevm::p::p-id$/);
    assert.deepEqual(reg.inputs["metadata"], { name: "web", namespace: "vms", labels: { app: "web" } });
    assert.deepEqual(reg.inputs["spec"], {
      runStrategy: "Always",
      template: { spec: { domain: { cpu: { sockets: 2, maxSockets: 8 }, memory: { guest: "2Gi" } } } },
    });
    assert.equal(reg.inputs["onRestartRequired"], "warn");
    assert.equal(reg.inputs["waitForLiveUpdate"], true);
    assert.deepEqual(await valueOf(vm.currentCpuTopology), { sockets: 2, cores: 1, threads: 1 });
    assert.equal(await valueOf(vm.restartRequired), false);
    assert.deepEqual(await valueOf(vm.memory), { guestAtBoot: "2Gi", guestCurrent: "2Gi" });
    assert.equal((await valueOf(vm.status))?.printableStatus, "Running");
    assert.equal(await valueOf(vm.vmiUid), "3f0c");
    assert.equal((await valueOf(vm.lastPlan))?.action, "applied live");
    assert.ok(livevm.kubevirt.VirtualMachine.isInstance(vm));
    assert.ok(!livevm.cloudhypervisor.VirtualMachine.isInstance(vm));
  });

  it("cloudhypervisor.VirtualMachine registers livevm:cloudhypervisor:VirtualMachine with apiSocket and config", async () => {
    const config = {
      payload: { kernel: "/boot/vmlinux", cmdline: "console=ttyS0" },
      cpus: { boot_vcpus: 2, max_vcpus: 8 },
      memory: { size: "1G", hotplug_size: 4 << 30, hotplug_method: "VirtioMem" },
      disks: [{ id: "root", path: "/var/lib/vms/root.img" }],
    };
    const vm = new livevm.cloudhypervisor.VirtualMachine("ch", {
      apiSocket: "/run/ch/vm1.sock",
      config,
      onRestartRequired: "restart",
      architecture: "x86_64",
    });
    await valueOf(vm.urn);
    const reg = registered.find((r) => r.type === "livevm:cloudhypervisor:VirtualMachine");
    assert.ok(reg);
    assert.equal(reg.inputs["apiSocket"], "/run/ch/vm1.sock");
    assert.deepEqual(reg.inputs["config"], config);
    assert.equal(reg.inputs["onRestartRequired"], "restart");
    assert.equal(await valueOf(vm.state), "Running");
    assert.equal(reg.inputs["architecture"], "x86_64");
    assert.deepEqual((await valueOf(vm.info))?.pciDevices, { root: "0000:00:03.0" });
    assert.deepEqual(await valueOf(vm.memoryHotplug), { bootSize: 1 << 30, slotsUsed: 0 });
  });

  it("missing required arguments fail at construction, naming them", () => {
    assert.throws(
      () => new livevm.kubevirt.VirtualMachine("x", { spec: undefined as never }),
      /livevm\.kubevirt\.VirtualMachine "x": missing required argument 'spec'/,
    );
    assert.throws(
      () => new livevm.cloudhypervisor.VirtualMachine("y", { config: { payload: {} } } as never),
      /missing required argument 'apiSocket'/,
    );
    assert.throws(
      () => new livevm.cloudhypervisor.VirtualMachine("z", { apiSocket: "/s" } as never),
      /missing required argument 'config'/,
    );
  });

  it("re-exports core's planner: a sockets bump on a running v1.9 VM plans live", () => {
    const vm = (sockets: number) => ({
      apiVersion: "kubevirt.io/v1",
      kind: "VirtualMachine" as const,
      metadata: { name: "web", namespace: "vms" },
      spec: {
        runStrategy: "Always" as const,
        template: { spec: { domain: { cpu: { sockets, maxSockets: 8 }, memory: { guest: "2Gi" } } } },
      },
      status: { ready: true, printableStatus: "Running" },
    });
    const kubevirt = { spec: { workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate" as const] } } };
    const plan = livevm.planVirtualMachineUpdate({ before: vm(2), after: vm(4), kubevirt, version: "v1.9.0" });
    assert.equal(plan.outcome, "live");
    assert.ok(plan.changes.some((c) => c.path.endsWith("cpu.sockets") && c.outcome === "live"));
    assert.equal(livevm.versionProfile("v1.4.0").liveUpdateGateRequired, true);
  });

  it("re-exports core's planning vocabulary", () => {
    assert.equal(livevm.worstOutcome(["live", "restart", "none"]), "restart");
    assert.deepEqual([...livevm.planning.OUTCOMES], ["none", "staged", "live", "stuck", "restart", "rejected"]);
    assert.equal(livevm.formatVersion(livevm.parseKubeVirtVersion("1.4")), "v1.4.0");
  });
});
