import assert from "node:assert/strict";
import { planVirtualMachineUpdate } from "../../../core/kubevirt/planner";
import { cluster, edit, SOCKETS, specWith, vm, vmiOf } from "../scenarios/builders";

describe("planner: a non-migratable VMI under LiveMigrate names KubeVirt's own reason", () => {
  const notMigratable = {
    type: "LiveMigratable",
    status: "False" as const,
    reason: "DisksNotLiveMigratable",
    message: "cannot migrate VMI: PVC rootdisk is not shared",
  };
  const sockets2 = (s: Parameters<Parameters<typeof edit>[1]>[0]) => (s.domain!.cpu!.sockets = 2);

  it("without a VMI, the VM's own LiveMigratable=False condition is used for the predicted VMI", () => {
    const before = vm(
      specWith(() => {}),
      { conditions: [notMigratable] },
    );
    const plan = planVirtualMachineUpdate({
      before,
      after: edit(before, sockets2),
      kubevirt: cluster("v1.9.0"),
      version: "v1.9.0",
    });
    assert.equal(plan.predicted, true);
    const change = plan.changes.find((c) => c.path === SOCKETS)!;
    assert.equal(change.outcome, "stuck");
    assert.match(
      change.reason,
      /LiveMigratable=False \(DisksNotLiveMigratable: cannot migrate VMI: PVC rootdisk is not shared\)/,
    );
    assert.doesNotMatch(change.reason, /add LiveMigrate/);
  });

  it("with a VMI whose LiveMigratable is False, the advice is not 'add LiveMigrate' (it is configured)", () => {
    const before = vm(specWith(() => {}));
    const vmi = vmiOf(before, { maxSockets: 4 });
    vmi.status = { ...(vmi.status ?? {}), conditions: [notMigratable] };
    const plan = planVirtualMachineUpdate({
      before,
      after: edit(before, sockets2),
      vmi,
      kubevirt: cluster("v1.9.0"),
      version: "v1.9.0",
    });
    const change = plan.changes.find((c) => c.path === SOCKETS)!;
    assert.equal(change.outcome, "stuck");
    assert.match(change.reason, /DisksNotLiveMigratable/);
    assert.doesNotMatch(change.reason, /add LiveMigrate/);
  });
});
