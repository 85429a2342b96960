/**
 * The kinds of device Cloud Hypervisor hot-adds (vm.add-*) and hot-removes (vm.remove-device), with the
 * VmConfig field that lists them. `vsock` is a single device, the others are arrays.
 */
export interface DeviceKind {
  /** the VmConfig field */
  readonly key: DeviceKey;
  /** the vm.add-* endpoint */
  readonly addEndpoint: string;
  /** what to call one in messages */
  readonly label: string;
  /** false for vsock: VmConfig holds at most one */
  readonly many: boolean;
  /** prefix of the ids Cloud Hypervisor generates when the config has none (e.g. _disk0) */
  readonly idPrefix: string;
}

export type DeviceKey =
  "disks" | "net" | "fs" | "pmem" | "vsock" | "devices" | "vdpa" | "user_devices" | "generic_vhost_user";

export const DEVICE_KINDS: readonly DeviceKind[] = [
  { key: "disks", addEndpoint: "vm.add-disk", label: "disk", many: true, idPrefix: "_disk" },
  { key: "net", addEndpoint: "vm.add-net", label: "network device", many: true, idPrefix: "_net" },
  { key: "fs", addEndpoint: "vm.add-fs", label: "virtio-fs device", many: true, idPrefix: "_fs" },
  { key: "pmem", addEndpoint: "vm.add-pmem", label: "pmem device", many: true, idPrefix: "_pmem" },
  { key: "vsock", addEndpoint: "vm.add-vsock", label: "vsock device", many: false, idPrefix: "_vsock" },
  { key: "devices", addEndpoint: "vm.add-device", label: "VFIO device", many: true, idPrefix: "_vfio" },
  { key: "vdpa", addEndpoint: "vm.add-vdpa", label: "vDPA device", many: true, idPrefix: "_vdpa" },
  {
    key: "user_devices",
    addEndpoint: "vm.add-user-device",
    label: "vfio-user device",
    many: true,
    idPrefix: "_vfio_user",
  },
  {
    key: "generic_vhost_user",
    addEndpoint: "vm.add-generic-vhost-user",
    label: "generic vhost-user device",
    many: true,
    idPrefix: "_generic_vhost_user",
  },
];

export function deviceKind(key: DeviceKey): DeviceKind {
  const kind = DEVICE_KINDS.find((k) => k.key === key);
  if (!kind) throw new Error(`unknown device kind ${key}`);
  return kind;
}

/** One device entry of a config, with where it sits. */
export interface DeviceEntry {
  readonly kind: DeviceKind;
  /** dotted path of the entry, e.g. disks[1] or vsock */
  readonly path: string;
  readonly id: string | undefined;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Every hot-pluggable device entry of a VmConfig, in config order. */
export function deviceEntries(config: Readonly<Record<string, unknown>>): DeviceEntry[] {
  const out: DeviceEntry[] = [];
  for (const kind of DEVICE_KINDS) {
    const value = config[kind.key];
    if (value === undefined || value === null) continue;
    const list = kind.many ? (value as readonly Record<string, unknown>[]) : [value as Record<string, unknown>];
    list.forEach((entry, index) => {
      const id = typeof entry.id === "string" ? entry.id : undefined;
      out.push({ kind, path: kind.many ? `${kind.key}[${index}]` : kind.key, id, config: entry });
    });
  }
  return out;
}
