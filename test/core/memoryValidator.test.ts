import assert from "node:assert/strict";
import { validateLiveUpdateMemory } from "../../core/kubevirt/memoryValidator";
import type { VmiSpec } from "../../core/kubevirt/schema";
import { parseKubeVirtVersion } from "../../core/kubevirt/version";

const spec = (domain: Record<string, unknown>, architecture?: string): VmiSpec =>
  ({ domain, ...(architecture ? { architecture } : {}) }) as VmiSpec;
const g = (guest: string, extra: Record<string, unknown> = {}) => ({ memory: { guest, ...extra } });

type Row = [name: string, version: string, s: VmiSpec, maxGuest: string | undefined, expected: string | undefined];

describe("core/kubevirt/memoryValidator (rules §2.3)", () => {
  const rows: Row[] = [
    ["ok", "v1.9.0", spec(g("2Gi")), "8Gi", undefined],
    [
      "realtime first",
      "v1.9.0",
      spec({ ...g("2Gi"), cpu: { realtime: {} } }),
      "8Gi",
      "Memory hotplug is not compatible with realtime VMs",
    ],
    [
      "numa passthrough",
      "v1.9.0",
      spec({ ...g("2Gi"), cpu: { numa: { guestMappingPassthrough: {} } } }),
      "8Gi",
      "Memory hotplug is not compatible with guest mapping passthrough",
    ],
    [
      "SEV",
      "v1.9.0",
      spec({ ...g("2Gi"), launchSecurity: { sev: {} } }),
      "8Gi",
      "Memory hotplug is not compatible with encrypted VMs",
    ],
    ["guest nil", "v1.9.0", spec({}), "8Gi", "Guest memory must be configured when memory hotplug is enabled"],
    [
      "maxGuest nil",
      "v1.9.0",
      spec(g("2Gi")),
      undefined,
      "Max guest memory must be configured when memory hotplug is enabled",
    ],
    [
      "guest > maxGuest",
      "v1.9.0",
      spec(g("10Gi")),
      "8Gi",
      "Guest memory is greater than the configured maxGuest memory",
    ],
    ["guest not 2Mi aligned", "v1.9.0", spec(g("1025Mi")), "8Gi", "Guest memory must be 2Mi aligned"],
    ["guest 123 bytes", "v1.9.0", spec(g("123")), "8Gi", "Guest memory must be 2Mi aligned"],
    ["maxGuest not aligned", "v1.9.0", spec(g("2Gi")), "8193Mi", "MaxGuest must be 2Mi aligned"],
    [
      "1Gi hugepages need 1Gi alignment",
      "v1.9.0",
      spec(g("1536Mi", { hugepages: { pageSize: "1Gi" } })),
      "8Gi",
      "Guest memory must be 1Gi aligned",
    ],
    [
      "1Gi hugepages maxGuest",
      "v1.9.0",
      spec(g("2Gi", { hugepages: { pageSize: "1Gi" } })),
      "8194Mi",
      "MaxGuest must be 1Gi aligned",
    ],
    ["2Mi hugepages fine", "v1.9.0", spec(g("1026Mi", { hugepages: { pageSize: "2Mi" } })), "8Gi", undefined],
    [
      "dedicated fine from v1.3",
      "v1.3.0",
      spec({ ...g("2Gi"), cpu: { dedicatedCpuPlacement: true } }),
      "8Gi",
      undefined,
    ],
    [
      "arm64 refused in v1.9",
      "v1.9.0",
      spec(g("2Gi"), "arm64"),
      "8Gi",
      "Memory hotplug is only available for x86_64 VMs",
    ],
    [
      "s390x refused in v1.9",
      "v1.9.0",
      spec(g("2Gi"), "s390x"),
      "8Gi",
      "Memory hotplug is only available for x86_64 VMs",
    ],
    ["arm64 accepted v1.3.0", "v1.3.0", spec(g("2Gi"), "arm64"), "8Gi", undefined],
    ["arm64 accepted v1.5.2", "v1.5.2", spec(g("2Gi"), "arm64"), "8Gi", undefined],
    [
      "arm64 refused v1.5.3",
      "v1.5.3",
      spec(g("2Gi"), "arm64"),
      "8Gi",
      "Memory hotplug is only available for x86_64 VMs",
    ],
    ["arm64 accepted v1.6.0", "v1.6.0", spec(g("2Gi"), "arm64"), "8Gi", undefined],
    [
      "arm64 refused v1.6.1",
      "v1.6.1",
      spec(g("2Gi"), "arm64"),
      "8Gi",
      "Memory hotplug is only available for x86_64 VMs",
    ],
    [
      "s390x v1.4",
      "v1.4.0",
      spec(g("2Gi"), "s390x"),
      "8Gi",
      "Memory hotplug is only available for x86_64 and arm64 VMs",
    ],
    [
      "512Mi below 1Gi from v1.4",
      "v1.4.0",
      spec(g("512Mi")),
      "8Gi",
      "Memory hotplug is only available for VMs with at least 1Gi of guest memory",
    ],
    ["512Mi fine in v1.3.0", "v1.3.0", spec(g("512Mi")), "8Gi", undefined],
    [
      "512Mi refused from v1.3.1 (commit 8c186d548c)",
      "v1.3.1",
      spec(g("512Mi")),
      "8Gi",
      "Memory hotplug is only available for VMs with at least 1Gi of guest memory",
    ],
    [
      "arch check before 1Gi minimum",
      "v1.9.0",
      spec(g("512Mi"), "arm64"),
      "8Gi",
      "Memory hotplug is only available for x86_64 VMs",
    ],
    // before v1.3
    [
      "v1.2 dedicated CPUs",
      "v1.2.2",
      spec({ ...g("2Gi"), cpu: { dedicatedCpuPlacement: true } }),
      "8Gi",
      "Memory hotplug is not compatible with dedicated CPUs",
    ],
    [
      "v1.2 any hugepages",
      "v1.2.2",
      spec(g("2Gi", { hugepages: { pageSize: "2Mi" } })),
      "8Gi",
      "Memory hotplug is not compatible with hugepages",
    ],
    ["v1.2 arm64", "v1.2.2", spec(g("2Gi"), "arm64"), "8Gi", "Memory hotplug is only available for x86_64 VMs"],
    ["v1.2 512Mi fine", "v1.2.2", spec(g("512Mi")), "8Gi", undefined],
    [
      "v1.2.0 memory limits first",
      "v1.2.0",
      spec({ ...g("2Gi"), resources: { limits: { memory: "2Gi" } }, cpu: { realtime: {} } }),
      "8Gi",
      "Configuration of Memory limits is not allowed when Memory live update is enabled",
    ],
    [
      "v1.2.1 memory limits fine",
      "v1.2.1",
      spec({ ...g("2Gi"), resources: { limits: { memory: "2Gi" } } }),
      "8Gi",
      undefined,
    ],
    [
      "v1.1 memory limits",
      "v1.1.0",
      spec({ ...g("2Gi"), resources: { limits: { memory: "4Gi" } } }),
      "8Gi",
      "Configuration of Memory limits is not allowed when Memory live update is enabled",
    ],
    [
      "v1.0 has no memory hotplug",
      "v1.0.0",
      spec(g("2Gi")),
      "8Gi",
      "Memory hotplug is not available in KubeVirt v1.0 (it was added in v1.1)",
    ],
  ];
  for (const [name, version, s, maxGuest, expected] of rows) {
    it(`${version} ${name}`, () => {
      assert.equal(validateLiveUpdateMemory(s, maxGuest, parseKubeVirtVersion(version)), expected);
    });
  }
  it("an absent architecture means the cluster default", () => {
    const v = parseKubeVirtVersion("v1.9.0");
    assert.equal(
      validateLiveUpdateMemory(spec(g("2Gi")), "8Gi", v, "arm64"),
      "Memory hotplug is only available for x86_64 VMs",
    );
    assert.equal(validateLiveUpdateMemory(spec(g("2Gi"), "amd64"), "8Gi", v, "arm64"), undefined);
  });
});
