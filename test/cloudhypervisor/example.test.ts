import assert from "node:assert/strict";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseVmConfig } from "../../core/cloudhypervisor/schema";
import { cloudHypervisorVirtualMachine } from "../../provider/resources/cloudHypervisorVirtualMachine";

const EXAMPLE = join(__dirname, "..", "..", "examples", "cloud-hypervisor", "index.ts");

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("examples/cloud-hypervisor under setMocks", () => {
  const declared: { type: string; name: string; inputs: Record<string, unknown> }[] = [];
  before(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          declared.push({ type: args.type, name: args.name, inputs: args.inputs });
          return {
            id: String(args.inputs.apiSocket),
            state: {
              ...args.inputs,
              state: "Running",
              info: { memoryActualSize: 2 ** 31, pciDevices: { root: "0000:00:02.0" } },
              lastPlan: { outcome: "live", changes: [{ path: "cpus.boot_vcpus", outcome: "live", reason: "" }] },
            },
          };
        },
        call: () => ({}),
      },
      "livevm-cloud-hypervisor",
      "dev",
      false,
    );
    pulumi.runtime.setConfig("livevm-cloud-hypervisor:vcpus", "4");
    pulumi.runtime.setConfig("livevm-cloud-hypervisor:memory", "2G");
    pulumi.runtime.setConfig("livevm-cloud-hypervisor:dataDisk", "true");
  });

  it("declares a livevm:cloudhypervisor:VirtualMachine whose inputs pass the provider's check", async () => {
    const exports = (await import(EXAMPLE)) as Record<string, pulumi.Output<unknown>>;
    assert.equal(await valueOf(exports.state!), "Running");
    assert.equal(await valueOf(exports.lastPlan!), "live: cpus.boot_vcpus live");
    const vm = declared.find((d) => d.type === "livevm:cloudhypervisor:VirtualMachine");
    assert.ok(vm, declared.map((d) => d.type).join(", "));
    const config = parseVmConfig(vm.inputs.config, "example config");
    assert.equal(config.cpus?.boot_vcpus, 4);
    assert.equal(config.memory?.size, 2n << 30n);
    assert.deepEqual(
      config.disks?.map((d) => d.id),
      ["root", "data"],
    );
    const checked = await cloudHypervisorVirtualMachine.check(undefined, vm.inputs, undefined as never);
    assert.deepEqual(checked.failures, []);
  });
});
