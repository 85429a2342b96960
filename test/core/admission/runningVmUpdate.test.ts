import assert from "node:assert/strict";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VirtualMachine } from "../../../core/kubevirt/schema/virtualMachine";
import type { VirtualMachineInstance } from "../../../core/kubevirt/schema/virtualMachineInstance";
import { admit, kubevirtFor, plainSpec, vmWith } from "./admissionHarness";

const notSupported = (field: string, message: string): AdmissionCause => ({
  type: "FieldValueNotSupported",
  field,
  message,
});

function running(
  spec: ReturnType<typeof plainSpec>,
  features: VirtualMachine["spec"]["liveUpdateFeatures"],
): VirtualMachine {
  return vmWith(spec, { liveUpdateFeatures: features }, { ready: true });
}

function vmi(status: NonNullable<VirtualMachineInstance["status"]> = {}): VirtualMachineInstance {
  return { spec: plainSpec(), status: { phase: "Running", ...status } };
}

describe("admission: v1.0/v1.1 updates of a running VM (validateVMUpdate, §2.6)", () => {
  const gate = (v: string) => kubevirtFor(v, "Stage", { gates: ["VMLiveUpdateFeatures"] });
  const topo = (sockets: number, cores = 1, threads = 1) =>
    plainSpec({ domain: { cpu: { sockets, cores, threads }, memory: { guest: "2Gi" } } });

  const rows: Array<
    [string, string, VirtualMachine, VirtualMachine, VirtualMachineInstance | undefined, AdmissionCause[]]
  > = [
    [
      "changing liveUpdateFeatures",
      "v1.0.0",
      running(topo(2), { cpu: {} }),
      running(topo(2), { cpu: { maxSockets: 8 } }),
      vmi(),
      [notSupported("spec", "Cannot update VM live features while VM is running")],
    ],
    [
      "changing cores",
      "v1.1.0",
      running(topo(2, 1), { cpu: {} }),
      running(topo(2, 2), { cpu: {} }),
      vmi(),
      [
        notSupported(
          "spec.template.spec.domain.cpu.cores",
          "Cannot update CPU cores while live update features configured",
        ),
      ],
    ],
    [
      "changing threads",
      "v1.0.0",
      running(topo(2, 1, 1), { cpu: {} }),
      running(topo(2, 1, 2), { cpu: {} }),
      vmi(),
      [
        notSupported(
          "spec.template.spec.domain.cpu.threads",
          "Cannot update CPU threads while live update features configured",
        ),
      ],
    ],
    [
      "sockets while another CPU change is in progress",
      "v1.0.0",
      running(topo(2), { cpu: {} }),
      running(topo(3), { cpu: {} }),
      vmi({ conditions: [{ type: "HotVCPUChange", status: "True" }] }),
      [
        notSupported(
          "spec.template.spec.domain.cpu.sockets",
          "cannot update CPU sockets while another CPU change is in progress",
        ),
      ],
    ],
    [
      "sockets during a migration (v1.0 wording)",
      "v1.0.1",
      running(topo(2), { cpu: {} }),
      running(topo(3), { cpu: {} }),
      vmi({ migrationState: { completed: false } }),
      [
        notSupported(
          "spec.template.spec.domain.cpu.sockets",
          "cannot update CPU sockets while VMI migration is in progress",
        ),
      ],
    ],
    [
      "sockets during a migration (v1.1 wording)",
      "v1.1.0",
      running(topo(2), { cpu: {} }),
      running(topo(3), { cpu: {} }),
      vmi({ migrationState: { completed: false } }),
      [notSupported("spec.template.spec.domain.cpu.sockets", "cannot update while VMI migration is in progress")],
    ],
    [
      "sockets with an idle VMI: admitted",
      "v1.0.0",
      running(topo(2), { cpu: {} }),
      running(topo(3), { cpu: {} }),
      vmi(),
      [],
    ],
    [
      "sockets after a completed migration: admitted",
      "v1.1.0",
      running(topo(2), { cpu: {} }),
      running(topo(3), { cpu: {} }),
      vmi({ migrationState: { completed: true } }),
      [],
    ],
    [
      "a stopped VM may change anything",
      "v1.0.0",
      vmWith(topo(2, 1), { liveUpdateFeatures: { cpu: {} } }, { ready: false }),
      vmWith(topo(2, 4), { liveUpdateFeatures: {} }, { ready: false }),
      undefined,
      [],
    ],
    [
      "without liveUpdateFeatures cores may change (it is staged)",
      "v1.1.0",
      running(topo(2, 1), undefined),
      running(topo(2, 2), undefined),
      vmi(),
      [],
    ],
    [
      "v1.1 memory below what the guest booted with",
      "v1.1.0",
      running(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "4Gi" } } }), {
        memory: { maxGuest: "8Gi" },
      }),
      running(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" } } }), {
        memory: { maxGuest: "8Gi" },
      }),
      vmi({ memory: { guestAtBoot: "4Gi" } }),
      [
        notSupported(
          "spec.template.spec.domain.memory.guest",
          "cannot set less memory than what the guest booted with",
        ),
      ],
    ],
    [
      "v1.1 memory while another memory change is in progress",
      "v1.1.0",
      running(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "4Gi" } } }), {
        memory: { maxGuest: "8Gi" },
      }),
      running(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "6Gi" } } }), {
        memory: { maxGuest: "8Gi" },
      }),
      vmi({ memory: { guestAtBoot: "4Gi" }, conditions: [{ type: "HotMemoryChange", status: "True" }] }),
      [
        notSupported(
          "spec.template.spec.domain.memory.guest",
          "cannot update memory while another memory change is in progress",
        ),
      ],
    ],
    [
      "v1.1 memory increase: admitted",
      "v1.1.0",
      running(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "4Gi" } } }), {
        memory: { maxGuest: "8Gi" },
      }),
      running(plainSpec({ domain: { cpu: { sockets: 2 }, memory: { guest: "6Gi" } } }), {
        memory: { maxGuest: "8Gi" },
      }),
      vmi({ memory: { guestAtBoot: "4Gi" } }),
      [],
    ],
  ];
  for (const [name, version, oldVm, vm, liveVmi, expected] of rows) {
    it(`${version}: ${name}`, () => {
      assert.deepEqual(admit(version, vm, { kubevirt: gate(version), oldVm, vmi: liveVmi }), expected);
    });
  }

  it("spec rules are reported instead when they fail (the update rules run only after them)", () => {
    const oldVm = running(topo(2, 1), { cpu: {} });
    const vm = running(
      plainSpec({
        domain: { cpu: { sockets: 2, cores: 2 }, memory: { guest: "2Gi" }, resources: { limits: { cpu: "4" } } },
      }),
      { cpu: {} },
    );
    assert.deepEqual(
      admit("v1.0.0", vm, { kubevirt: gate("v1.0.0"), oldVm, vmi: vmi() }).map((c) => c.field),
      ["spec.liveUpdateFeatures"],
    );
  });

  it("v1.2+ has no old-vs-new rules", () => {
    const oldVm = vmWith(topo(2, 1), {}, { ready: true });
    const vm = vmWith(topo(2, 2), {}, { ready: true });
    assert.deepEqual(admit("v1.2.0", vm, { rollout: "LiveUpdate", oldVm, vmi: vmi() }), []);
    assert.deepEqual(admit("v1.9.0", vm, { rollout: "LiveUpdate", oldVm, vmi: vmi() }), []);
  });
});
