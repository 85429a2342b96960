/**
 * cloud-init configuration that makes hot-plugged CPUs and memory usable in a Linux guest.
 *
 * Hypervisors only add the devices; many distributions leave a hot-added CPU offline and hot-added
 * memory blocks offline (or online them into ZONE_NORMAL, where they can never be removed again).
 * This config:
 * - installs a udev rule that onlines every added CPU, and every added memory block as
 *   `online_movable` (so it can be unplugged again);
 * - loads `virtio_mem` at every boot (KubeVirt and Cloud Hypervisor's virtio-mem hotplug);
 * - onlines what is already present but offline when cloud-init runs.
 */

/** A cloud-config document (the YAML after `#cloud-config`), as plain data. */
export type CloudConfig = Record<string, unknown>;

export interface HotplugOnliningOptions {
  /** online hot-plugged vCPUs */
  readonly cpu: boolean;
  /** online hot-plugged memory as online_movable, and load virtio_mem */
  readonly memory: boolean;
}

export const HOTPLUG_UDEV_RULES_PATH = "/etc/udev/rules.d/80-livevm-hotplug.rules";
export const VIRTIO_MEM_MODULES_LOAD_PATH = "/etc/modules-load.d/livevm-virtio-mem.conf";

const CPU_RULE = 'SUBSYSTEM=="cpu", ACTION=="add", TEST=="online", ATTR{online}=="0", ATTR{online}="1"';
const MEMORY_RULE =
  'SUBSYSTEM=="memory", ACTION=="add", TEST=="state", ATTR{state}=="offline", ATTR{state}="online_movable"';

const ONLINE_PRESENT_CPUS =
  'for f in /sys/devices/system/cpu/cpu[0-9]*/online; do [ -e "$f" ] && [ "$(cat "$f")" = 0 ] && echo 1 > "$f"; done; true';
const ONLINE_PRESENT_MEMORY =
  'for f in /sys/devices/system/memory/memory[0-9]*/state; do [ -e "$f" ] && [ "$(cat "$f")" = offline ] && echo online_movable > "$f"; done; true';

/** The cloud-config to merge into a guest's user data; throws when neither cpu nor memory is asked for. */
export function hotplugOnliningCloudConfig(options: HotplugOnliningOptions): CloudConfig {
  if (!options.cpu && !options.memory) {
    throw new Error("hotplugOnliningCloudConfig: nothing to configure (cpu and memory are both false)");
  }
  const rules = [
    `# Written by livevm: online hot-plugged ${[options.cpu ? "vCPUs" : "", options.memory ? "RAM blocks (as online_movable, so they can be removed again)" : ""].filter(Boolean).join(" and ")}.`,
    ...(options.cpu ? [CPU_RULE] : []),
    ...(options.memory ? [MEMORY_RULE] : []),
  ];
  const writeFiles: Record<string, string>[] = [
    { path: HOTPLUG_UDEV_RULES_PATH, permissions: "0644", owner: "root:root", content: rules.join("\n") + "\n" },
  ];
  const runcmd: string[] = [];
  if (options.memory) {
    writeFiles.push({
      path: VIRTIO_MEM_MODULES_LOAD_PATH,
      permissions: "0644",
      owner: "root:root",
      content: "virtio_mem\n",
    });
    runcmd.push(
      "modprobe virtio_mem || echo 'livevm: virtio_mem module not available; virtio-mem hotplug will not work' >&2",
    );
  }
  runcmd.push("udevadm control --reload-rules");
  if (options.cpu) runcmd.push(ONLINE_PRESENT_CPUS);
  if (options.memory) runcmd.push(ONLINE_PRESENT_MEMORY);
  return { write_files: writeFiles, runcmd };
}
