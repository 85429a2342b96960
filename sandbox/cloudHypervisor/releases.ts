/**
 * Cloud Hypervisor releases the sandbox can impersonate, and how each maps an API failure to an HTTP status
 * (vmm/src/api/http/mod.rs `api_error_status_code`; it changed in v53.0 and again after v53).
 */
export type CloudHypervisorRelease = "v52.0" | "v53.0" | "v54.0";

export const RELEASES: readonly CloudHypervisorRelease[] = ["v52.0", "v53.0", "v54.0"];

/** Why a request failed, as far as the status mapping cares. */
export type FailureCause =
  /** VmNotCreated / VmMissingConfig */
  | "vm-not-created"
  /** NoDeviceToRemove / DeviceManager(UnknownDeviceId) */
  | "unknown-device"
  /** ConfigValidation other than duplicates */
  | "config-invalid"
  /** ConfigValidation: IdentifierNotUnique / DuplicateDevicePath */
  | "config-duplicate"
  /** VmResize(CpuManager(VcpuPendingRemovedVcpu)) */
  | "vcpu-removal-pending"
  /** every other VMM error */
  | "other";

/** The status a release answers for a failure (the table in cloud-hypervisor-and-guests.md A.2). */
export function statusFor(release: CloudHypervisorRelease, cause: FailureCause): number {
  const head = release !== "v52.0" && release !== "v53.0"; // v54.0 stands for HEAD (unreleased, >= v54)
  switch (cause) {
    case "vcpu-removal-pending":
      return 429;
    case "vm-not-created":
      return release === "v52.0" ? 500 : 404;
    case "unknown-device":
      return head ? 404 : 500;
    case "config-invalid":
      return head ? 400 : 500;
    case "config-duplicate":
      return head ? 409 : 500;
    case "other":
      return 500;
  }
}

export function parseRelease(version: string | undefined): CloudHypervisorRelease {
  if (version === undefined || /^(main|head)$/i.test(version)) return "v54.0";
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(version);
  if (!m)
    throw new Error(
      `unknown Cloud Hypervisor version ${JSON.stringify(version)}: expected e.g. v52.0, v53.0, v54.0 or main`,
    );
  const major = Number(m[1]);
  if (major <= 52) return "v52.0";
  if (major === 53) return "v53.0";
  return "v54.0";
}
