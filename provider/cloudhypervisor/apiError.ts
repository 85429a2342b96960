/**
 * Failures talking to Cloud Hypervisor's API. A refused request carries Cloud Hypervisor's own error chain
 * (its JSON array of strings, top error first, root cause last) verbatim.
 */

export class CloudHypervisorApiError extends Error {
  constructor(
    readonly method: string,
    readonly endpoint: string,
    readonly status: number,
    /** the error chain exactly as Cloud Hypervisor sent it; undefined when the body was empty or not an array */
    readonly chain: readonly string[] | undefined,
    /** the raw response body */
    readonly body: string,
  ) {
    super(
      `Cloud Hypervisor refused ${method} /api/v1/${endpoint} (HTTP ${status})` +
        (chain ? `: ${chain.join(": ")}` : body ? `: ${body}` : ""),
    );
    this.name = "CloudHypervisorApiError";
  }

  /** the last entry of the chain: Cloud Hypervisor's root cause */
  get rootCause(): string | undefined {
    return this.chain?.[this.chain.length - 1];
  }
}

/** The socket could not be reached or the connection broke. */
export class CloudHypervisorConnectionError extends Error {
  constructor(
    readonly socketPath: string,
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(
      `cannot reach Cloud Hypervisor's API at ${socketPath} (${endpoint}): ${reason}; is cloud-hypervisor running with --api-socket path=${socketPath}?`,
    );
    this.name = "CloudHypervisorConnectionError";
  }
}

/**
 * "The VM is not created": 404 from v53.0 on, 500 in v52.0 and earlier, so the chain decides
 * (VmNotCreated "VM is not created", VmMissingConfig "VM config is missing").
 */
export function isVmNotCreated(error: unknown): boolean {
  if (!(error instanceof CloudHypervisorApiError)) return false;
  const root = error.rootCause;
  return root === "VM is not created" || root === "VM config is missing";
}

/**
 * An unknown device id (remove-device, resize-disk): 404 on HEAD (>= v54), 500 in releases, so the chain
 * decides (NoDeviceToRemove, DeviceManager UnknownDeviceId).
 */
export function isUnknownDevice(error: unknown): boolean {
  if (!(error instanceof CloudHypervisorApiError)) return false;
  const root = error.rootCause ?? "";
  return (
    root.startsWith("No device with id ") ||
    root.startsWith("Failed to find device corresponding to the given identifier")
  );
}

/** A vCPU removal is still pending (429 on every release). */
export function isVcpuRemovalPending(error: unknown): boolean {
  return error instanceof CloudHypervisorApiError && error.status === 429;
}
