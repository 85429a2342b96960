import { strict as assert } from "node:assert";
import { createMigrationReporter, type MigrationReport } from "../../../provider/await/migrationReporter";
import { loadEvents } from "../support/replay";

describe("await/migrationReporter", () => {
  it("reports a failed workload-update migration as retried by KubeVirt, then the success", () => {
    const reports: MigrationReport[] = [];
    const r = createMigrationReporter("vm1", (x) => reports.push(x));
    for (const e of loadEvents("migrations-fail-then-succeed")) r.observe(e);
    assert.deepEqual(reports, [
      {
        severity: "info",
        message: "KubeVirt started migration kubevirt-workload-update-abc12 of vm1 to apply the change",
      },
      {
        severity: "warning",
        message:
          "migration kubevirt-workload-update-abc12 of vm1 failed: target pod was evicted; KubeVirt's workload updater retries it (after a back-off that doubles per failure)",
      },
      {
        severity: "info",
        message: "KubeVirt started migration kubevirt-workload-update-def34 of vm1 to apply the change",
      },
      { severity: "info", message: "migration kubevirt-workload-update-def34 of vm1 succeeded" },
    ]);
    assert.equal(r.failed, 1);
    assert.equal(r.succeeded, 1);
  });
});
