import { strict as assert } from "node:assert";
import { GUEST_PATH, pendingHotplugPaths, SOCKETS_PATH } from "../../provider/kubevirt/pendingHotplug";

const desired = { spec: { template: { spec: { domain: { cpu: { sockets: 3 }, memory: { guest: "3Gi" } } } } } };
const vmi = (specSockets: number, currentSockets: number, specGuest: string, requested: string) => ({
  metadata: { name: "vm" },
  spec: { domain: { cpu: { sockets: specSockets }, memory: { guest: specGuest } } },
  status: { currentCPUTopology: { sockets: currentSockets }, memory: { guestRequested: requested } },
});

describe("provider/kubevirt/pendingHotplug", () => {
  it("finds hotplugs KubeVirt accepted (VMI spec = desired) but has not finished (status behind)", () => {
    assert.deepEqual(pendingHotplugPaths(vmi(3, 2, "3Gi", "2Gi"), desired), [SOCKETS_PATH, GUEST_PATH]);
    assert.deepEqual(pendingHotplugPaths(vmi(3, 3, "3072Mi", "2Gi"), desired), [GUEST_PATH]);
  });
  it("finds nothing when the hotplug finished, when KubeVirt has not patched the VMI, or without a VMI", () => {
    assert.deepEqual(pendingHotplugPaths(vmi(3, 3, "3Gi", "3Gi"), desired), []);
    assert.deepEqual(pendingHotplugPaths(vmi(2, 2, "2Gi", "2Gi"), desired), []);
    assert.deepEqual(pendingHotplugPaths(undefined, desired), []);
  });
});
