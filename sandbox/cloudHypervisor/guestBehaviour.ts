/**
 * How the simulated guest reacts to hotplug requests. Cloud Hypervisor answers before the guest acts, so
 * these decide what happens after the 204.
 */
export interface GuestBehaviour {
  /** ms until the guest ejects vCPUs marked for removal; null = never (an uncooperative guest). Default 0. */
  readonly cpuEjectDelayMs?: number | null;
  /** ms until the guest ejects a hot-removed PCI device; null = never. Default 0. */
  readonly deviceEjectDelayMs?: number | null;
  /**
   * Share (0..1) of a virtio-mem shrink the guest manages to unplug (it can only give back movable memory).
   * Default 1. Grows are always plugged in full.
   */
  readonly virtioMemUnplugShare?: number;
}

export const DEFAULT_GUEST: Required<GuestBehaviour> = {
  cpuEjectDelayMs: 0,
  deviceEjectDelayMs: 0,
  virtioMemUnplugShare: 1,
};
