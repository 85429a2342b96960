import { strict as assert } from "node:assert";
import { liveUpdateApplied, restarted, running } from "../../../provider/await/virtualMachineInstance";
import { loadEvents, replay } from "../support/replay";

describe("await/virtualMachineInstance", () => {
  it("a CPU hotplug is applied when spec and currentCPUTopology reach the target and HotVCPUChange is gone", () => {
    const c = liveUpdateApplied("vm1", { sockets: 2 });
    assert.deepEqual(replay(loadEvents("vmi-cpu-hotplug"), c), [false, false, false, false, true]);
  });

  it("sockets 0 -> 1 is applied once the VMI spec says 1: KubeVirt leaves currentCPUTopology at 0 (same vCPU count)", () => {
    const vmi = (sockets: number, current: number) => ({
      type: "MODIFIED" as const,
      object: {
        metadata: { name: "vm1", namespace: "default", uid: "u1" },
        spec: { domain: { cpu: { sockets, cores: 3, maxSockets: 3 } } },
        status: { phase: "Running", currentCPUTopology: { sockets: current, cores: 3 } },
      },
    });
    const c = liveUpdateApplied("vm1", { sockets: 1 });
    assert.deepEqual(replay([vmi(0, 0), vmi(1, 0)], c), [false, true]);
    assert.deepEqual(replay([vmi(2, 0)], liveUpdateApplied("vm1", { sockets: 2 })), [false], "0 is not 2");
  });

  it("a memory hotplug is applied when guestRequested and guestCurrent reach the target (quantities by value)", () => {
    const c = liveUpdateApplied("vm1", { guest: "3Gi" });
    assert.deepEqual(replay(loadEvents("vmi-memory-hotplug"), c), [false, false, false, false, true]);
  });

  it("a failed memory hotplug is a failure that says what to do", () => {
    const c = liveUpdateApplied("vm1", { guest: "3Gi" });
    replay(loadEvents("vmi-memory-hotplug-failed"), c);
    const f = c.failure();
    assert.ok(f);
    assert.match(
      f.message,
      /memory hotplug of VirtualMachineInstance vm1 failed: Memory Hotplug Failed: memory hotplug failed, the VM configuration is not supported/,
    );
    assert.match(f.message, /restart the VM/);
  });

  it("a VMI being deleted is not running, though it still says Running and Ready", () => {
    const vmi = (uid: string, deleting: boolean) => ({
      type: "MODIFIED" as const,
      object: {
        metadata: {
          name: "vm1",
          namespace: "default",
          uid,
          ...(deleting ? { deletionTimestamp: "2026-11-22T06:00:00Z" } : {}),
        },
        status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
      },
    });
    assert.deepEqual(replay([vmi("old", true), vmi("new", false)], running("vm1")), [false, true]);
  });

  it("a restart is done when a VMI with a new UID runs", () => {
    const c = restarted("vm1", "3f1c-uid-a");
    assert.deepEqual(replay(loadEvents("vmi-restart"), c), [false, false, false, true]);
  });
});
