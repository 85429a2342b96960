import { strict as assert } from "node:assert";
import { any } from "../../../../provider/await/condition/any";
import { failWhen } from "../../../../provider/await/condition/failWhen";
import { jsonPath } from "../../../../provider/await/condition/jsonPath";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/any", () => {
  it("is satisfied when one of the conditions is", () => {
    const c = any(
      jsonPath("status.currentCPUTopology.sockets", (v) => v === 2, "2"),
      jsonPath("spec.domain.cpu.sockets", (v) => v === 2, "2"),
    );
    assert.deepEqual(replay(loadEvents("vmi-cpu-hotplug"), c), [false, true, true, true, true]);
    assert.match(c.describe(), / or /);
  });

  it("fails only when every alternative failed", () => {
    const one = any(
      failWhen(() => "first"),
      jsonPath("x", () => false, "x"),
    );
    const both = any(
      failWhen(() => "first"),
      failWhen(() => "second"),
    );
    const events = loadEvents("vmi-cpu-hotplug").slice(0, 1);
    replay(events, one);
    replay(events, both);
    assert.equal(one.failure(), undefined);
    assert.equal(both.failure()?.message, "first; second");
  });
});
