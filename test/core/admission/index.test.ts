import assert from "node:assert/strict";
import type { VirtualMachine } from "../../../core/kubevirt/schema/virtualMachine";
import { admit, kubevirtFor, plainSpec, VERSIONS, vmWith } from "./admissionHarness";

describe("admission: admitVirtualMachine", () => {
  const everyday: VirtualMachine[] = [
    vmWith(plainSpec()),
    vmWith({ domain: { cpu: { sockets: 4, cores: 2, threads: 2 }, memory: { guest: "4Gi" } } }),
    vmWith({ domain: { resources: { requests: { memory: "1Gi", cpu: "2" } } } }),
    vmWith({ domain: { resources: { requests: { memory: "2Gi" }, limits: { memory: "2Gi", cpu: "2" } } } }),
    vmWith({
      domain: {
        cpu: { sockets: 2, dedicatedCpuPlacement: true, isolateEmulatorThread: true },
        memory: { guest: "4Gi" },
      },
    }),
    vmWith({ domain: { cpu: { sockets: 1 }, memory: { guest: "2Gi", hugepages: { pageSize: "1Gi" } } } }),
    vmWith({}),
  ];
  for (const version of VERSIONS) {
    for (const rollout of ["Stage", "LiveUpdate"] as const) {
      it(`${version} ${rollout}: everyday VMs are admitted`, () => {
        for (const vm of everyday) {
          // v1.2.0–v1.2.1 under LiveUpdate refuse any CPU requests/limits (tested in liveUpdateFeatures.test.ts)
          const cpuResources = JSON.stringify(vm.spec.template.spec?.domain?.resources ?? {}).includes('"cpu"');
          if (cpuResources && rollout === "LiveUpdate" && (version === "v1.2.0" || version === "v1.2.1")) continue;
          assert.deepEqual(admit(version, vm, { rollout }), [], JSON.stringify(vm.spec.template.spec));
        }
      });
    }
  }

  it("does not modify its input", () => {
    const vm = vmWith({ domain: { resources: { limits: { cpu: "3", memory: "2Gi" } } } });
    const before = structuredClone(vm);
    admit("v1.5.0", vm, { rollout: "LiveUpdate" });
    admit("v1.9.0", vm);
    assert.deepEqual(vm, before);
  });

  it("reports causes in KubeVirt's order: VMI rules first, then the VM live-update rules", () => {
    const vm = vmWith({
      domain: {
        cpu: { sockets: 4, maxSockets: 2, isolateEmulatorThread: true },
        memory: { guest: "2Gi", maxGuest: "8Gi" },
        resources: { requests: { memory: "512k" } },
        launchSecurity: { sev: {} },
      },
    });
    assert.deepEqual(
      admit("v1.9.0", vm, { kubevirt: kubevirtFor("v1.9.0", "LiveUpdate") }).map((c) => c.message),
      [
        "spec.template.spec.domain.resources.requests.memory '512k': must be greater than or equal to 1M.",
        "IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement",
        "Number of sockets in CPU topology is greater than the maximum sockets allowed",
        "Number of sockets in CPU topology is greater than the maximum sockets allowed",
        "Memory hotplug is not compatible with encrypted VMs",
      ],
    );
  });
});
