import { strict as assert } from "node:assert";
import { ready } from "../../../../provider/await/condition/ready";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/ready", () => {
  it("follows a VMI through a restart: ready, gone, scheduling, ready", () => {
    const c = ready("VirtualMachineInstance vm1");
    const events = loadEvents("vmi-restart");
    assert.deepEqual(replay(events.slice(0, 3), c), [true, false, false]);
    assert.equal(
      c.describe(),
      "VirtualMachineInstance vm1 is Scheduling, Ready False (virt-launcher pod is scheduling)",
    );
    assert.deepEqual(replay(events.slice(3), c), [true]);
  });

  it("fails when the VMI fails", () => {
    const c = ready("VirtualMachineInstance vm1");
    const [added] = loadEvents("vmi-restart");
    const failed = structuredClone(added!.object);
    (failed["status"] as { phase: string }).phase = "Failed";
    c.observe({ type: "MODIFIED", object: failed });
    assert.match(c.failure()!.message, /VirtualMachineInstance vm1 failed/);
  });
});
