import { strict as assert } from "node:assert";
import { findCondition } from "../../../../provider/await/condition/conditionStatus";
import { failWhen } from "../../../../provider/await/condition/failWhen";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/failWhen", () => {
  it("turns the first matching state into a lasting failure and never blocks", () => {
    const c = failWhen((vmi) =>
      findCondition(vmi, "HotMemoryChange")?.status === "False" ? "memory hotplug failed" : undefined,
    );
    const events = loadEvents("vmi-memory-hotplug-failed");
    assert.deepEqual(replay(events, c), [true, true, true]);
    assert.equal(c.failure()?.message, "memory hotplug failed");
    c.observe(events[0]!);
    assert.equal(c.failure()?.message, "memory hotplug failed", "a failure stays");
  });
});
