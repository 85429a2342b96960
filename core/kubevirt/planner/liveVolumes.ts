import type { VmiSpec } from "../schema/common";
import type { VersionProfile } from "../versionProfile";
import * as namedListsModule from "./namedLists";
import * as semanticEqualModule from "./semanticEqual";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { sameNamesInOrder } = namedListsModule;
const { semanticEqual } = semanticEqualModule;

type Volume = NonNullable<VmiSpec["volumes"]>[number];
type Disk = NonNullable<NonNullable<NonNullable<VmiSpec["domain"]>["devices"]>["disks"]>[number];

/** `storagetypes.IsHotplugVolume`: a hotpluggable PVC, DataVolume or memory dump volume. */
export function isHotplugVolume(v: Volume | undefined): boolean {
  if (!v) return false;
  return (
    v.persistentVolumeClaim?.hotpluggable === true ||
    v.dataVolume?.hotpluggable === true ||
    v.memoryDump?.hotpluggable === true
  );
}

function byName<T extends { name: string }>(list: readonly T[] | undefined): Map<string, T> {
  const m = new Map<string, T>();
  for (const item of list ?? []) if (item && typeof item.name === "string") m.set(item.name, item);
  return m;
}

/** The last element named `name`, as a map built by `byName` would give it. */
function lastNamed<T extends { name: string }>(list: readonly T[] | undefined, name: string): T | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i] && list[i]!.name === name) return list[i];
  return undefined;
}

/** v1.3+ with `updateVolumesStrategy: Migration`: a PVC/DataVolume volume whose source may change (volume migration). */
function migratesStorage(v: Volume, updateVolumesStrategy: string | undefined, profile: VersionProfile): boolean {
  return (
    profile.instancetypeMaxFields &&
    (v.persistentVolumeClaim != null || v.dataVolume != null) &&
    updateVolumesStrategy === "Migration"
  );
}

/**
 * `validLiveUpdateVolumes` (vm.go, v1.2.1+): every volume change concerns a hotplug volume, or (v1.3+, with
 * `updateVolumesStrategy: Migration`) the source of a PVC/DataVolume volume. Returns the first offending volume.
 */
export function invalidLiveUpdateVolume(
  start: VmiSpec,
  current: VmiSpec,
  updateVolumesStrategy: string | undefined,
  profile: VersionProfile,
): string | undefined {
  const startVolumes = start.volumes ?? [];
  const volumes = current.volumes ?? [];
  if (sameNamesInOrder(startVolumes, volumes)) {
    // each volume is paired with its namesake at the same position: nothing is added or removed
    for (let i = 0; i < volumes.length; i++) {
      const v = volumes[i]!;
      if (isHotplugVolume(v) || migratesStorage(v, updateVolumesStrategy, profile)) continue;
      if (!semanticEqual(startVolumes[i], v)) return `volume ${v.name} changed and is not hotpluggable`;
    }
    return undefined;
  }
  const old = byName(startVolumes);
  for (const v of volumes) {
    const o = old.get(v.name);
    if (isHotplugVolume(v)) {
      old.delete(v.name);
    } else if (!o) {
      return `volume ${v.name} was added and is not hotpluggable`;
    } else if (migratesStorage(v, updateVolumesStrategy, profile)) {
      old.delete(v.name);
    } else if (!semanticEqual(o, v)) {
      return `volume ${v.name} changed and is not hotpluggable`;
    } else {
      old.delete(v.name);
    }
  }
  for (const v of old.values()) {
    if (!isHotplugVolume(v)) return `volume ${v.name} was removed and is not hotpluggable`;
  }
  return undefined;
}

/** `validLiveUpdateDisks` (vm.go, v1.2.1+; cdrom removal → restart from v1.6.4/v1.7.0). Returns the first offending disk. */
export function invalidLiveUpdateDisk(start: VmiSpec, current: VmiSpec, profile: VersionProfile): string | undefined {
  const startDisks = start.domain?.devices?.disks ?? [];
  const disks = current.domain?.devices?.disks ?? [];
  if (sameNamesInOrder(startDisks, disks)) {
    // each disk is paired with its namesake at the same position: nothing is added or removed
    for (let i = 0; i < disks.length; i++) {
      const d = disks[i]!;
      if (semanticEqual(startDisks[i], d) || isHotplugVolume(lastNamed(current.volumes, d.name))) continue;
      return `disk ${d.name} changed and its volume is not hotpluggable`;
    }
    return undefined;
  }
  const oldDisks = byName<Disk>(start.domain?.devices?.disks);
  const oldVols = byName(start.volumes);
  const vols = byName(current.volumes);
  const newDisks = byName<Disk>(current.domain?.devices?.disks);
  for (const d of current.domain?.devices?.disks ?? []) {
    const o = oldDisks.get(d.name);
    if (isHotplugVolume(vols.get(d.name))) oldDisks.delete(d.name);
    else if (!o) return `disk ${d.name} was added and its volume is not hotpluggable`;
    else if (!semanticEqual(o, d)) return `disk ${d.name} changed and its volume is not hotpluggable`;
    else oldDisks.delete(d.name);
  }
  for (const o of oldDisks.values()) {
    const v = oldVols.get(o.name);
    if (v && !isHotplugVolume(v)) return `disk ${o.name} was removed and its volume is not hotpluggable`;
    if (profile.cdromRemovalRestart && o.cdrom != null && !newDisks.has(o.name)) {
      return `CD-ROM disk ${o.name} was removed (removing a CD-ROM drive requires a restart; eject by removing its volume)`;
    }
  }
  return undefined;
}
