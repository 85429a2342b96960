import assert from "node:assert/strict";
import { checkMovableMemoryRatio } from "../../../core/guestReadiness/movableMemoryRatio";

const Gi = 1n << 30n;

describe("core/guestReadiness/movableMemoryRatio", () => {
  it("KubeVirt's default 4x headroom is exactly 3:1 and fine", () => {
    const f = checkMovableMemoryRatio(2n * Gi, 8n * Gi);
    assert.equal(f.severity, "ok");
    assert.match(f.message, /at most 6 GiB movable for 2 GiB at boot \(3\.0:1/);
  });
  it("warns beyond 3:1, with the numbers and a fix", () => {
    const f = checkMovableMemoryRatio(2n * Gi, 16n * Gi);
    assert.equal(f.severity, "warning");
    assert.match(
      f.message,
      /from 2 GiB at boot to 16 GiB puts 14 GiB in ZONE_MOVABLE, a MOVABLE:NORMAL ratio of 7\.0:1/,
    );
    assert.match(f.fix!, /at most 8 GiB/);
    assert.match(checkMovableMemoryRatio(3n * Gi, 13n * Gi).message, /10 GiB.*3\.3:1/);
  });
  it("no growth is 0:1", () => {
    assert.equal(checkMovableMemoryRatio(4n * Gi, 4n * Gi).severity, "ok");
    assert.equal(checkMovableMemoryRatio(1536n << 20n, 4n * Gi).message.includes("1.5 GiB"), true);
  });
});
