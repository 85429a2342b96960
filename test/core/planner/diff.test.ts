import assert from "node:assert/strict";
import { diffLeaves } from "../../../core/kubevirt/planner";
import { fieldGroup } from "../../../core/kubevirt/planner";

const d = (a: unknown, b: unknown) =>
  diffLeaves(a, b, "spec.template.spec", ["spec", "template", "spec"]).map((l) => [l.path, l.before, l.after]);

describe("planner/diff: leaf changes and the path scheme", () => {
  const rows: [string, unknown, unknown, unknown[][]][] = [
    ["scalar", { hostname: "a" }, { hostname: "b" }, [["spec.template.spec.hostname", "a", "b"]]],
    [
      "added object is descended into",
      {},
      { domain: { cpu: { sockets: 2 } } },
      [["spec.template.spec.domain.cpu.sockets", undefined, 2]],
    ],
    [
      "quantities compare by value",
      { domain: { memory: { guest: "2Gi" } } },
      { domain: { memory: { guest: "2048Mi" } } },
      [],
    ],
    [
      'cpu 2 equals "2"',
      { domain: { resources: { requests: { cpu: 2 } } } },
      { domain: { resources: { requests: { cpu: "2" } } } },
      [],
    ],
    [
      "absent equals zero values",
      { domain: { cpu: { sockets: 2 } } },
      { domain: { cpu: { sockets: 2, dedicatedCpuPlacement: false } } },
      [],
    ],
    ["empty list equals absent", {}, { tolerations: [] }, []],
    ["empty map equals absent", {}, { nodeSelector: {} }, []],
    [
      "an empty pointer object is a change",
      { domain: { devices: { disks: [{ name: "a", disk: {} }] } } },
      { domain: { devices: { disks: [{ name: "a", cdrom: {} }] } } },
      [
        ["spec.template.spec.domain.devices.disks[name=a].disk", {}, undefined],
        ["spec.template.spec.domain.devices.disks[name=a].cdrom", undefined, {}],
      ],
    ],
    [
      "named lists by name, reordering is no change",
      {
        volumes: [
          { name: "a", containerDisk: { image: "x" } },
          { name: "b", containerDisk: { image: "y" } },
        ],
      },
      {
        volumes: [
          { name: "b", containerDisk: { image: "y" } },
          { name: "a", containerDisk: { image: "x" } },
        ],
      },
      [],
    ],
    [
      "named element added as a whole",
      { volumes: [] },
      { volumes: [{ name: "a", containerDisk: { image: "x" } }] },
      [["spec.template.spec.volumes[name=a]", undefined, { name: "a", containerDisk: { image: "x" } }]],
    ],
    [
      "other lists by index",
      { tolerations: [{ key: "a" }] },
      { tolerations: [{ key: "b" }, { key: "c" }] },
      [
        ["spec.template.spec.tolerations[0].key", "a", "b"],
        ["spec.template.spec.tolerations[1]", undefined, { key: "c" }],
      ],
    ],
    [
      "all-empty object appearing",
      {},
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } },
      [
        [
          "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
          undefined,
          { nodeSelectorTerms: [] },
        ],
      ],
    ],
  ];
  for (const [name, a, b, expected] of rows) {
    it(name, () => assert.deepEqual(d(a, b), expected));
  }
  it("classifies leaves into the controller's field groups", () => {
    const g = (p: string) => fieldGroup(p.split("."));
    assert.equal(g("spec.template.spec.domain.cpu.sockets"), "cpuSockets");
    assert.equal(g("spec.template.spec.domain.cpu.cores"), "templateSpec");
    assert.equal(g("spec.template.spec.domain.memory.guest"), "memoryGuest");
    assert.equal(g("spec.template.spec.domain.memory.maxGuest"), "templateSpec");
    assert.equal(g("spec.template.spec.domain.devices.interfaces"), "network");
    assert.equal(g("spec.template.spec.networks"), "network");
    assert.equal(g("spec.template.spec.domain.devices.disks"), "disks");
    assert.equal(g("spec.template.spec.domain.firmware.uuid"), "firmwareUuid");
    assert.equal(g("spec.template.metadata.labels.a"), "templateMetadata");
    assert.equal(g("spec.runStrategy"), "runStrategy");
    assert.equal(g("spec.instancetype.name"), "instancetype");
    assert.equal(g("spec.dataVolumeTemplates"), "vmSpec");
    assert.equal(g("metadata.labels.a"), "vmMetadata");
  });
});
