import { strict as assert } from "node:assert";
import { liveUpdateApplied, restarted } from "../../../provider/await/virtualMachineInstance";
import { loadEvents, replay } from "../support/replay";

describe("await/virtualMachineInstance", () => {
  it("a CPU hotplug is applied when spec and currentCPUTopology reach the target and HotVCPUChange is gone", () => {
    const c = liveUpdateApplied("vm1", { sockets: 2 });
    assert.deepEqual(replay(loadEvents("vmi-cpu-hotplug"), c), [false, false, false, false, true]);
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

  it("a restart is done when a VMI with a new UID runs", () => {
    const c = restarted("vm1", "3f1c-uid-a");
    assert.deepEqual(replay(loadEvents("vmi-restart"), c), [false, false, false, true]);
  });
});
