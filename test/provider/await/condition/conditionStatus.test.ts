import { strict as assert } from "node:assert";
import { conditionStatus, findCondition } from "../../../../provider/await/condition/conditionStatus";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/conditionStatus", () => {
  it("waits for HotVCPUChange to appear and then to be removed", () => {
    const events = loadEvents("vmi-cpu-hotplug");
    assert.deepEqual(replay(events, conditionStatus("HotVCPUChange", "True")), [false, false, true, true, false]);
    const absent = conditionStatus("HotVCPUChange", "absent");
    assert.deepEqual(replay(events, absent), [true, true, false, false, true]);
  });

  it("sees a False condition with KubeVirt's message", () => {
    const events = loadEvents("vmi-memory-hotplug-failed");
    const c = conditionStatus("HotMemoryChange", "False");
    assert.deepEqual(replay(events, c), [false, false, true]);
    assert.equal(findCondition(events[2]!.object, "HotMemoryChange")?.reason, "Memory Hotplug Failed");
    const pending = conditionStatus("HotMemoryChange", "absent");
    replay(events, pending);
    assert.equal(
      pending.describe(),
      "condition HotMemoryChange is False (memory hotplug failed, the VM configuration is not supported) (want absent)",
    );
  });
});
