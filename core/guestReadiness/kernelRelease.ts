/**
 * Guest kernel releases (`uname -r`, KubeVirt's VMI status.guestOSInfo.kernelRelease) and the
 * minimum for memory hotplug: virtio-mem, which KubeVirt and Cloud Hypervisor use to add and remove
 * guest memory, arrived in Linux 5.8 (x86-64). Older kernels can boot but never see added memory.
 */

import { type Finding } from "./finding";

export interface KernelRelease {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly raw: string;
}

export const MEMORY_HOTPLUG_MIN_KERNEL = { major: 5, minor: 8 } as const;

/** "6.1.0-56-amd64", "5.14.0-427.13.1.el9_4.x86_64", "4.18.0" → numbers; undefined when it is not a Linux release. */
export function parseKernelRelease(release: string): KernelRelease | undefined {
  const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    raw: release.trim(),
  };
}

export function supportsMemoryHotplug(k: KernelRelease): boolean {
  const min = MEMORY_HOTPLUG_MIN_KERNEL;
  return k.major > min.major || (k.major === min.major && k.minor >= min.minor);
}

/** A finding on the guest kernel release for memory hotplug (virtio-mem). */
export function checkMemoryHotplugKernel(release: string | undefined): Finding {
  const min = `${MEMORY_HOTPLUG_MIN_KERNEL.major}.${MEMORY_HOTPLUG_MIN_KERNEL.minor}`;
  const subject = "guest kernel";
  if (release === undefined || release.trim() === "") {
    return {
      severity: "warning",
      code: "kernel-unknown",
      subject,
      message: `the guest kernel release is unknown (no guest agent report), so memory hotplug support (Linux ${min}+) cannot be checked`,
      fix: "install and run qemu-guest-agent in the guest",
    };
  }
  const k = parseKernelRelease(release);
  if (!k) {
    return {
      severity: "warning",
      code: "kernel-unparseable",
      subject,
      message: `the guest kernel release ${JSON.stringify(release)} is not a Linux release (expected e.g. 6.1.0-56-amd64), so memory hotplug support cannot be checked`,
    };
  }
  if (!supportsMemoryHotplug(k)) {
    return {
      severity: "blocking",
      code: "kernel-too-old-for-memory-hotplug",
      subject: `${subject} ${k.raw}`,
      message: `Linux ${k.major}.${k.minor} is older than ${min}, where the virtio-mem driver arrived: unless the distribution backported it, hot-plugged memory is never seen by the guest`,
      fix: `boot a guest kernel ${min} or newer (with CONFIG_VIRTIO_MEM)`,
    };
  }
  return {
    severity: "ok",
    code: "kernel-supports-memory-hotplug",
    subject: `${subject} ${k.raw}`,
    message: `Linux ${k.major}.${k.minor} supports memory hotplug (${min}+)`,
  };
}
