import { strict as assert } from "node:assert";
import { deleted } from "../../../../provider/await/condition/deleted";
import { loadEvents, replay } from "../../support/replay";

describe("await/condition/deleted", () => {
  it("is satisfied by the DELETED event, and not after the object comes back", () => {
    const c = deleted("VirtualMachineInstance vm1");
    assert.deepEqual(replay(loadEvents("vmi-restart"), c), [false, true, false, false]);
    assert.equal(c.describe(), "VirtualMachineInstance vm1 still exists");
  });
});
