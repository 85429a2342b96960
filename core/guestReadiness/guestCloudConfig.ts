/**
 * The cloud-init configuration that makes hot-plugged CPUs and memory usable inside a Linux guest,
 * derived from the VM's hotplug limits:
 * - write_files: the onlining script, the udev rule that runs it per CPU/memory add event, and (for
 *   virtio-mem) a modules-load.d entry for `virtio_mem`;
 * - bootcmd (every boot, early): `auto_online_blocks = online_movable`, so the kernel itself onlines
 *   added memory as movable (the runtime form of the `memhp_default_state=online_movable` kernel
 *   argument), then a sweep of anything already offline;
 * - runcmd (first boot, after write_files): reload udev rules, load virtio_mem, sweep once.
 * `kernelArguments` lists what to add to the kernel command line where the image allows it
 * (KubeVirt kernelBoot, Cloud Hypervisor --cmdline); the cloud-config alone suffices otherwise.
 */

import { stringify } from "yaml";
import {
  type GuestHotplugLimits,
  HotplugLimitsError,
  memoryHotplugEnabled,
  validateHotplugLimits,
} from "./hotplugLimits";
import { onliningScript, ONLINING_SCRIPT_PATH } from "./onliningScript";
import { UDEV_RULE_PATH, hotplugUdevRule } from "./udevRule";

export const VIRTIO_MEM_MODULES_LOAD_PATH = "/etc/modules-load.d/livevm-virtio-mem.conf";
export const AUTO_ONLINE_BLOCKS = "/sys/devices/system/memory/auto_online_blocks";

export interface CloudConfigFile {
  readonly path: string;
  readonly content: string;
  readonly permissions: string;
  readonly owner: string;
}

/** The subset of #cloud-config livevm writes; lists are merged into a user's own cloud-config. */
export interface GuestCloudConfig {
  readonly write_files: readonly CloudConfigFile[];
  readonly bootcmd: readonly string[];
  readonly runcmd: readonly string[];
}

export interface GuestConfiguration {
  readonly cloudConfig: GuestCloudConfig;
  /** kernel arguments that do the same job from the first instruction on, where the cmdline can be set */
  readonly kernelArguments: readonly string[];
}

/**
 * The guest configuration for `limits`. `parts` narrows what is onlined (default: CPUs, and memory
 * when the VM can hot-plug memory), e.g. `{ cpu: false }` for images whose distribution already
 * onlines CPUs. Throws HotplugLimitsError for nonsensical limits or parts.
 */
export function guestConfiguration(
  limits: GuestHotplugLimits,
  parts: { readonly cpu?: boolean; readonly memory?: boolean } = {},
): GuestConfiguration {
  validateHotplugLimits(limits);
  const cpu = parts.cpu ?? true;
  const memory = parts.memory ?? memoryHotplugEnabled(limits);
  if (memory && !memoryHotplugEnabled(limits)) {
    throw new HotplugLimitsError(
      "memoryHotplug",
      "memory onlining was asked for, but the VM cannot hot-plug memory (none)",
    );
  }
  if (!cpu && !memory) throw new HotplugLimitsError("parts", "nothing to configure: cpu and memory are both off");
  const virtioMem = memory && limits.memoryHotplug === "virtio-mem";
  const files: CloudConfigFile[] = [
    { path: ONLINING_SCRIPT_PATH, content: onliningScript({ cpu, memory }), permissions: "0755", owner: "root:root" },
    { path: UDEV_RULE_PATH, content: hotplugUdevRule({ cpu, memory }), permissions: "0644", owner: "root:root" },
  ];
  if (virtioMem) {
    files.push({
      path: VIRTIO_MEM_MODULES_LOAD_PATH,
      content: "# Written by livevm: virtio-mem memory hotplug\nvirtio_mem\n",
      permissions: "0644",
      owner: "root:root",
    });
  }
  const sweep = `if [ -x ${ONLINING_SCRIPT_PATH} ]; then ${ONLINING_SCRIPT_PATH}; fi`;
  const bootcmd: string[] = [];
  if (memory) bootcmd.push(`if [ -w ${AUTO_ONLINE_BLOCKS} ]; then echo online_movable > ${AUTO_ONLINE_BLOCKS}; fi`);
  bootcmd.push(sweep);
  const runcmd: string[] = ["if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules; fi"];
  if (virtioMem) runcmd.push("modprobe virtio_mem || true");
  runcmd.push(sweep);
  return {
    cloudConfig: { write_files: files, bootcmd, runcmd },
    kernelArguments: memory ? ["memhp_default_state=online_movable"] : [],
  };
}

/** Renders a cloud-config document (with the `#cloud-config` header cloud-init requires). */
export function renderCloudConfig(config: object): string {
  return "#cloud-config\n" + stringify(config, { lineWidth: 0, blockQuote: "literal" });
}
