import { guestConfiguration } from "../core/guestReadiness/guestCloudConfig";
import { type GuestHotplugLimits, HotplugLimitsError } from "../core/guestReadiness/hotplugLimits";
import { type OnliningParts } from "../core/guestReadiness/onliningScript";
import { mergeUserData, UserDataError } from "../core/guestReadiness/userDataMerge";
import { type VmiSpec } from "../core/kubevirt/schema";
import { type ArgumentErrorFactory } from "./argumentError";

/** Name of the cloud-init volume and disk HotplugVirtualMachine adds when the VM has none. */
export const GUEST_READINESS_VOLUME = "livevm-cloudinit";

const SOURCES = ["cloudInitNoCloud", "cloudInitConfigDrive"] as const;

/**
 * Puts core's guest configuration (core/guestReadiness: the udev rule and program that online
 * hot-plugged CPUs and memory as online_movable, virtio_mem loading, the auto-online policy) into the
 * VM template: merged into the user data of the template's cloud-init volume (NoCloud or ConfigDrive;
 * `userData` or `userDataBase64`) with core's mergeUserData, or, when there is none, in a new NoCloud
 * volume and disk. Returns a note when a disk was added. `template` is modified in place (the caller
 * passes its own copy).
 */
export function addGuestReadiness(
  template: VmiSpec,
  limits: GuestHotplugLimits,
  parts: OnliningParts,
  err: ArgumentErrorFactory,
): string | undefined {
  let ours;
  try {
    ours = guestConfiguration(limits, parts).cloudConfig;
  } catch (e) {
    if (e instanceof HotplugLimitsError) throw err("guestReadiness", e.message);
    throw e;
  }
  const volumes = (template.volumes ??= []);
  const found: { index: number; source: (typeof SOURCES)[number] }[] = [];
  volumes.forEach((volume, index) => {
    for (const source of SOURCES)
      if (volume[source] !== undefined && volume[source] !== null) found.push({ index, source });
  });
  if (found.length > 1) {
    const paths = found.map((f) => `spec.template.spec.volumes[${f.index}].${f.source}`).join(" and ");
    throw err("spec.template.spec.volumes", `more than one cloud-init volume (${paths}); KubeVirt uses only one`);
  }
  const hit = found[0];
  if (hit) {
    const path = `spec.template.spec.volumes[${hit.index}].${hit.source}`;
    const volume = volumes[hit.index]!;
    const source = { ...(volume[hit.source] as Record<string, unknown>) };
    if (source["secretRef"] !== undefined || source["userDataSecretRef"] !== undefined) {
      throw err(
        `${path}.secretRef`,
        "the user data is in a Secret, which livevm cannot merge into: add the part from renderCloudConfig(guestConfiguration(limits).cloudConfig) to the Secret yourself and set guestReadiness to false",
      );
    }
    try {
      if (typeof source["userDataBase64"] === "string") {
        const userData = Buffer.from(source["userDataBase64"], "base64").toString("utf8");
        source["userDataBase64"] = Buffer.from(mergeUserData(userData, ours, `${path}.userDataBase64`)).toString(
          "base64",
        );
      } else {
        const userData = source["userData"];
        if (userData !== undefined && typeof userData !== "string") {
          throw err(`${path}.userData`, `expected a string, got ${typeof userData}`);
        }
        source["userData"] = mergeUserData(userData, ours, `${path}.userData`);
      }
    } catch (e) {
      if (e instanceof UserDataError) throw err(e.what, e.why);
      throw e;
    }
    volumes[hit.index] = { ...volume, [hit.source]: source };
    return undefined;
  }
  if (volumes.some((v) => v.name === GUEST_READINESS_VOLUME)) {
    throw err(
      "spec.template.spec.volumes",
      `a volume is already named ${GUEST_READINESS_VOLUME}, which livevm uses for cloud-init`,
    );
  }
  volumes.push({
    name: GUEST_READINESS_VOLUME,
    cloudInitNoCloud: { userData: mergeUserData(undefined, ours) },
  });
  const domain = (template.domain ??= {});
  const devices = (domain.devices ??= {});
  const disks = (devices.disks ??= []);
  if (disks.some((d) => d.name === GUEST_READINESS_VOLUME)) {
    throw err("spec.template.spec.domain.devices.disks", `a disk is already named ${GUEST_READINESS_VOLUME}`);
  }
  disks.push({ name: GUEST_READINESS_VOLUME, disk: { bus: "virtio" } });
  return `guest readiness added the cloud-init disk ${GUEST_READINESS_VOLUME}: on a VM that already runs, that is a restart-required change`;
}
