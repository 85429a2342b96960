import { strict as assert } from "node:assert";
import { jsonPath } from "../../../../provider/await/condition/jsonPath";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/jsonPath", () => {
  it("is satisfied once the recorded VMI's currentCPUTopology reaches the target", () => {
    const c = jsonPath("status.currentCPUTopology.sockets", (v) => v === 2, "2");
    assert.deepEqual(replay(loadEvents("vmi-cpu-hotplug"), c), [false, false, false, false, true]);
    assert.equal(c.describe(), "status.currentCPUTopology.sockets is 2 (want 2)");
  });

  it("describes where it stands before any event and after a deletion", () => {
    const c = jsonPath("spec.domain.cpu.sockets", (v) => v === 3, "3");
    assert.equal(c.describe(), "spec.domain.cpu.sockets is no object yet (want 3)");
    const [added] = loadEvents("vmi-cpu-hotplug");
    c.observe(added!);
    assert.equal(c.describe(), "spec.domain.cpu.sockets is 1 (want 3)");
    c.observe({ type: "DELETED", object: added!.object });
    assert.equal(c.satisfied(), false);
    assert.equal(c.failure(), undefined);
  });
});
