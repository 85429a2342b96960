/**
 * `syncRestartRequired` (`addRestartRequiredIfNeeded` up to v1.7.0), §1.1: copy the live-updatable
 * fields of the current template onto the start spec, per version and rollout strategy; whatever still
 * differs needs a restart.
 */
import { clone } from "../api/store";
import { atLeast, hasBackport } from "../../core/kubevirt/version";
import type { ClusterConfig } from "./cluster";
import { at, isObject, jsonEqual, obj, type Obj } from "./spec";

export const NON_LIVE_MESSAGE = "a non-live-updatable field was changed in the template spec";

function copyField(from: Obj, to: Obj, key: string): void {
  if (from[key] === undefined) delete to[key];
  else to[key] = clone(from[key]);
}

function isHotplugVolume(v: unknown): boolean {
  return (
    at(v, "persistentVolumeClaim", "hotpluggable") === true ||
    at(v, "dataVolume", "hotpluggable") === true ||
    isObject(at(v, "memoryDump"))
  );
}

function named(list: unknown): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (Array.isArray(list)) for (const item of list) if (isObject(item)) m.set(String(item.name), item);
  return m;
}

/** `validLiveUpdateVolumes` and `validLiveUpdateDisks`: only hotplug volumes (and their disks) changed. */
function onlyHotplugVolumeChanges(start: Obj, cur: Obj, cluster: ClusterConfig): boolean {
  const sv = named(start.volumes);
  const cv = named(cur.volumes);
  const hotplugNames = new Set<string>();
  for (const [name, v] of [...sv, ...cv]) if (isHotplugVolume(v)) hotplugNames.add(name);
  for (const name of new Set([...sv.keys(), ...cv.keys()])) {
    const a = sv.get(name);
    const b = cv.get(name);
    if (jsonEqual(a, b)) continue;
    if (hotplugNames.has(name) && (a === undefined || isHotplugVolume(a)) && (b === undefined || isHotplugVolume(b)))
      continue;
    return false;
  }
  const sd = named(at(start, "domain", "devices", "disks"));
  const cd = named(at(cur, "domain", "devices", "disks"));
  for (const name of new Set([...sd.keys(), ...cd.keys()])) {
    const a = sd.get(name);
    const b = cd.get(name);
    if (jsonEqual(a, b)) continue;
    if (hotplugNames.has(name) && !(a !== undefined && b === undefined && isObject(at(a, "cdrom")))) continue;
    if (
      hasBackport(cluster.version, [
        [1, 6, 4],
        [1, 7, 0],
      ]) &&
      a !== undefined &&
      b === undefined &&
      isObject(at(a, "cdrom"))
    )
      return false;
    return false;
  }
  return true;
}

/** `IsRestartRequired` of pkg/network/vmliveupdate (v1.6+), simplified to interface/network identity. */
function networkChangeIsLive(start: Obj, cur: Obj): boolean {
  const si = named(at(start, "domain", "devices", "interfaces"));
  const ci = named(at(cur, "domain", "devices", "interfaces"));
  const sn = named(start.networks);
  const cn = named(cur.networks);
  for (const [name, a] of si) {
    const b = ci.get(name);
    if (b === undefined) return false;
    const { state: _s1, ...ra } = a as Obj;
    const { state: _s2, ...rb } = b as Obj;
    if (!jsonEqual(ra, rb)) return false;
  }
  for (const [name, a] of sn) if (!jsonEqual(a, cn.get(name))) return false;
  if (sn.size === 0 && cn.size > 0 && [...cn.values()].some((n) => isObject(at(n, "pod")))) return false;
  return true;
}

/**
 * Returns the start spec with the live-updatable fields of `current` copied over. `vmi` is the running
 * VMI (for the firmware UUID rule).
 */
export function neutralise(startSpec: Obj, current: Obj, vmi: Obj, cluster: ClusterConfig): Obj {
  const v = cluster.version;
  const start = clone(startSpec);
  if (!atLeast(v, 2)) return start;
  const live = cluster.liveUpdate;
  const sDomain = isObject(start.domain) ? start.domain : undefined;
  const cDomain = isObject(current.domain) ? current.domain : undefined;
  if (live && sDomain && cDomain) {
    if (isObject(sDomain.cpu) && isObject(cDomain.cpu)) copyField(cDomain.cpu, sDomain.cpu, "sockets");
    const cMem = cDomain.memory;
    if (isObject(cMem) && cMem.guest !== undefined) {
      if (atLeast(v, 3)) obj(sDomain, "memory").guest = clone(cMem.guest);
      else if (isObject(sDomain.memory)) sDomain.memory.guest = clone(cMem.guest);
    }
  }
  if (live) {
    copyField(current, start, "nodeSelector");
    copyField(current, start, "affinity");
    if (atLeast(v, 4)) copyField(current, start, "tolerations");
  }
  const volumesStrategyFree = hasBackport(v, [
    [1, 6, 4],
    [1, 7, 0],
  ]);
  if (volumesStrategyFree || live) {
    const v120 = v.major === 1 && v.minor === 2 && v.patch === 0;
    const valid = v120 || onlyHotplugVolumeChanges(start, current, cluster);
    if (valid) {
      copyField(current, start, "volumes");
      const sd = sDomain ?? obj(start, "domain");
      const disks = at(current, "domain", "devices", "disks");
      if (disks === undefined) {
        if (isObject(sd.devices)) delete sd.devices.disks;
      } else obj(sd, "devices").disks = clone(disks);
    }
  }
  if (atLeast(v, 6) && networkChangeIsLive(start, current)) {
    copyField(current, start, "networks");
    const sd = isObject(start.domain) ? start.domain : obj(start, "domain");
    const ifaces = at(current, "domain", "devices", "interfaces");
    if (ifaces === undefined) {
      if (isObject(sd.devices)) delete sd.devices.interfaces;
    } else obj(sd, "devices").interfaces = clone(ifaces);
  }
  if (
    hasBackport(v, [
      [1, 6, 4],
      [1, 7, 1],
      [1, 8, 0],
    ])
  ) {
    const vmUuid = at(current, "domain", "firmware", "uuid");
    if (vmUuid !== undefined && vmUuid === at(vmi, "spec", "domain", "firmware", "uuid")) {
      obj(obj(start, "domain"), "firmware").uuid = vmUuid;
    }
  }
  return start;
}

/** v1.8.0 / v1.7.1 / v1.6.4: RestartRequired is removed when nothing non-live differs any more. */
export function clearsRestartRequired(cluster: ClusterConfig): boolean {
  return hasBackport(cluster.version, [
    [1, 6, 4],
    [1, 7, 1],
    [1, 8, 0],
  ]);
}
