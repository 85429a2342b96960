import assert from "node:assert/strict";
import { admitVirtualMachineInstance, admitVirtualMachineInstanceUpdate } from "../../../core/kubevirt/admission";
import { resolveClusterConfig } from "../../../core/kubevirt/clusterConfig";
import { versionProfile } from "../../../core/kubevirt/versionProfile";
import type { VirtualMachineInstance } from "../../../core/kubevirt/schema/virtualMachineInstance";
import { parseKubeVirtVersion } from "../../../core/kubevirt/version";

function vmi(maxSockets: number, maxGuest?: string, sockets = 2): VirtualMachineInstance {
  return {
    spec: {
      domain: {
        cpu: { sockets, cores: 1, threads: 1, maxSockets },
        memory: { guest: "2Gi", ...(maxGuest ? { maxGuest } : {}) },
      },
    },
  };
}

describe("admission: VMI updates (vmi-update-admitter.go, §2.4)", () => {
  const v19 = parseKubeVirtVersion("v1.9.0");
  const v10 = parseKubeVirtVersion("v1.0.0");
  it("KubeVirt may patch sockets and guest, not maxSockets", () => {
    assert.deepEqual(
      admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8, "8Gi"), vmi: vmi(8, "8Gi", 3), version: v19 }),
      [],
    );
    assert.deepEqual(admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8), vmi: vmi(16), version: v19 }), [
      { type: "FieldValueInvalid", field: "", message: "CPU topology maxSockets changed" },
    ]);
  });
  it("maxGuest may not change when both are set (v1.1+); 8Gi == 8192Mi", () => {
    assert.deepEqual(admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8, "8Gi"), vmi: vmi(8, "16Gi"), version: v19 }), [
      { type: "FieldValueInvalid", field: "", message: "Memory maxGuest changed" },
    ]);
    assert.deepEqual(
      admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8, "8Gi"), vmi: vmi(8, "8192Mi"), version: v19 }),
      [],
    );
    assert.deepEqual(admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8), vmi: vmi(8, "16Gi"), version: v19 }), []);
    assert.deepEqual(
      admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8, "8Gi"), vmi: vmi(8, "16Gi"), version: v10 }),
      [],
    );
  });
  it("anyone else may not change the spec at all", () => {
    assert.deepEqual(
      admitVirtualMachineInstanceUpdate({
        oldVmi: vmi(8),
        vmi: vmi(8, undefined, 3),
        version: v19,
        byKubeVirtServiceAccount: false,
      }),
      [{ type: "FieldValueNotSupported", field: "", message: "update of VMI object is restricted" }],
    );
    assert.deepEqual(
      admitVirtualMachineInstanceUpdate({ oldVmi: vmi(8), vmi: vmi(8), version: v19, byKubeVirtServiceAccount: false }),
      [],
    );
  });
});

describe("admission: VMI creation (admitVirtualMachineInstance)", () => {
  it("a defaulted VMI whose sockets exceed its maxSockets is refused, with VMI field paths", () => {
    const version = parseKubeVirtVersion("v1.3.0");
    const causes = admitVirtualMachineInstance({
      vmi: vmi(2, undefined, 3),
      cluster: resolveClusterConfig(undefined, version),
      profile: versionProfile(version),
    });
    assert.deepEqual(causes, [
      {
        type: "FieldValueInvalid",
        field: "spec.domain.cpu.sockets",
        message: "Number of sockets in CPU topology is greater than the maximum sockets allowed",
      },
    ]);
  });
});
