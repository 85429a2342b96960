/**
 * The VMI controller's hotplug conditions (`lifecycle.go` `syncHotplugCondition` / `syncMemoryHotplug`):
 * HotVCPUChange=True when maxSockets is set and the spec vCPUs differ from currentCPUTopology;
 * HotMemoryChange=True when maxGuest is set and the spec guest differs from status.memory.guestRequested.
 */
import type { KObject } from "../api/store";
import { getCondition, setCondition } from "./conditions";
import { T, type ModelContext } from "./context";
import { at, bytes, isObject, num, obj, topologyOf, vcpus, type Obj } from "./spec";

export function reconcileVmi(ctx: ModelContext, vmi: KObject): void {
  if (at(vmi, "status", "phase") !== "Running" || vmi.metadata.deletionTimestamp) return;
  const spec = vmi.spec as Obj;
  const status = obj(vmi as Obj, "status");
  const before = JSON.stringify(status.conditions);
  const maxSockets = num(at(spec, "domain", "cpu", "maxSockets"));
  const current = status.currentCPUTopology;
  if (maxSockets !== 0 && isObject(current)) {
    const want = vcpus(topologyOf(spec));
    const have = vcpus({ sockets: num(current.sockets), cores: num(current.cores), threads: num(current.threads) });
    if (want !== have && !getCondition(status, "HotVCPUChange"))
      setCondition(status, { type: "HotVCPUChange", status: "True" });
  }
  const maxGuest = at(spec, "domain", "memory", "maxGuest");
  const requested = bytes(at(status, "memory", "guestRequested"));
  const guest = bytes(at(spec, "domain", "memory", "guest"));
  if (
    maxGuest !== undefined &&
    maxGuest !== null &&
    guest !== undefined &&
    requested !== undefined &&
    guest !== requested
  ) {
    if (!getCondition(status, "HotMemoryChange")) setCondition(status, { type: "HotMemoryChange", status: "True" });
  }
  if (JSON.stringify(status.conditions) !== before) ctx.write(T.vmi, vmi);
}
