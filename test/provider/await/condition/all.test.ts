import { strict as assert } from "node:assert";
import { all } from "../../../../provider/await/condition/all";
import { conditionStatus } from "../../../../provider/await/condition/conditionStatus";
import { failWhen } from "../../../../provider/await/condition/failWhen";
import { jsonPath } from "../../../../provider/await/condition/jsonPath";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/all", () => {
  it("is satisfied only when every condition is, and describes only the pending ones", () => {
    const c = all(
      jsonPath("spec.domain.cpu.sockets", (v) => v === 2, "2"),
      jsonPath("status.currentCPUTopology.sockets", (v) => v === 2, "2"),
      conditionStatus("HotVCPUChange", "absent"),
    );
    const events = loadEvents("vmi-cpu-hotplug");
    assert.deepEqual(replay(events.slice(0, 3), c), [false, false, false]);
    assert.equal(
      c.describe(),
      "status.currentCPUTopology.sockets is 1 (want 2); condition HotVCPUChange is True (want absent)",
    );
    assert.deepEqual(replay(events.slice(3), c), [false, true]);
  });

  it("fails as soon as one part fails", () => {
    const c = all(
      jsonPath("status.memory.guestRequested", (v) => v === "3Gi", "3Gi"),
      failWhen((o) => (o.metadata?.resourceVersion === "302" ? "boom" : undefined)),
    );
    replay(loadEvents("vmi-memory-hotplug-failed"), c);
    assert.equal(c.failure()?.message, "boom");
  });
});
