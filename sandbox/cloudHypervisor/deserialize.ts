import { HttpFailure } from "./apiFailure";
import { asU64 } from "./u64";

/**
 * serde-like reading of request bodies: required fields, integer widths, enums; a failure is Cloud
 * Hypervisor's 400 ["Failed to deserialize JSON", "<serde message>"]. Defaults are filled in the way the
 * Rust structs' serde defaults do, so vm.info shows them. Unknown fields are kept.
 */

type FieldType =
  | "u8"
  | "u16"
  | "u32"
  | "usize"
  | "u64"
  | "bool"
  | "string"
  | "object"
  | "array"
  | { readonly enum: readonly string[] }
  | { readonly struct: Spec };

interface Field {
  readonly type: FieldType;
  readonly required?: boolean;
  /** the serde default filled in when absent; null for Option fields */
  readonly default?: unknown;
}

export type Spec = Readonly<Record<string, Field>>;

const MAX: Record<string, bigint> = {
  u8: 255n,
  u16: 65535n,
  u32: 4294967295n,
  usize: (1n << 64n) - 1n,
  u64: (1n << 64n) - 1n,
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "number")
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  if (typeof value === "bigint") return `integer \`${value}\``;
  if (Array.isArray(value)) return "sequence";
  return "map";
}

function fail(message: string): never {
  throw new HttpFailure(400, ["Failed to deserialize JSON", message]);
}

function readValue(type: FieldType, value: unknown, name: string): unknown {
  if (typeof type === "object") {
    if ("enum" in type) {
      if (typeof value !== "string" || !type.enum.includes(value)) {
        fail(
          typeof value === "string"
            ? `unknown variant \`${value}\`, expected ${type.enum.map((v) => `\`${v}\``).join(" or ")}`
            : `invalid type: ${describe(value)}, expected enum ${name}`,
        );
      }
      return value;
    }
    return readStruct(type.struct, value, name);
  }
  switch (type) {
    case "bool":
      if (typeof value !== "boolean") fail(`invalid type: ${describe(value)}, expected a boolean`);
      return value;
    case "string":
      if (typeof value !== "string") fail(`invalid type: ${describe(value)}, expected a string`);
      return value;
    case "object":
      if (value === null || typeof value !== "object" || Array.isArray(value))
        fail(`invalid type: ${describe(value)}, expected struct ${name}`);
      return value;
    case "array":
      if (!Array.isArray(value)) fail(`invalid type: ${describe(value)}, expected a sequence`);
      return value;
    default: {
      const n = asU64(value);
      if (n === undefined) {
        if (typeof value === "number" && Number.isInteger(value))
          fail(`invalid value: integer \`${value}\`, expected ${type}`);
        fail(`invalid type: ${describe(value)}, expected ${type}`);
      }
      if (n > MAX[type]!) fail(`invalid value: integer \`${n}\`, expected ${type}`);
      return typeof value === "bigint" ? value : Number(n) === value ? value : n;
    }
  }
}

export function readStruct(spec: Spec, value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    fail(`invalid type: ${describe(value)}, expected struct ${name}`);
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = { ...input };
  for (const [key, field] of Object.entries(spec)) {
    const v = input[key];
    if (v === undefined || v === null) {
      if (field.required && v === undefined) fail(`missing field \`${key}\``);
      if (field.required && v === null)
        fail(`invalid type: null, expected ${typeof field.type === "string" ? field.type : key}`);
      out[key] = field.default === undefined ? null : structuredClone(field.default);
      continue;
    }
    out[key] = readValue(field.type, v, key);
  }
  return out;
}

const pciFields: Spec = {
  id: { type: "string" },
  pci_segment: { type: "u16", default: 0 },
  iommu: { type: "bool", default: false },
};

export const DISK: Spec = {
  ...pciFields,
  path: { type: "string" },
  readonly: { type: "bool", default: false },
  direct: { type: "bool", default: false },
  num_queues: { type: "usize", default: 1 },
  queue_size: { type: "u16", default: 128 },
  vhost_user: { type: "bool", default: false },
  vhost_socket: { type: "string" },
  serial: { type: "string" },
  rate_limiter_config: { type: "object" },
};

export const NET: Spec = {
  ...pciFields,
  tap: { type: "string" },
  ip: { type: "string", default: "192.168.249.1" },
  mask: { type: "string", default: "255.255.255.0" },
  mac: { type: "string" },
  host_mac: { type: "string" },
  mtu: { type: "u16" },
  num_queues: { type: "usize", default: 2 },
  queue_size: { type: "u16", default: 256 },
  vhost_user: { type: "bool", default: false },
  vhost_socket: { type: "string" },
  vhost_mode: { type: { enum: ["Client", "Server"] }, default: "Client" },
  offload_tso: { type: "bool", default: true },
  offload_ufo: { type: "bool", default: true },
  offload_csum: { type: "bool", default: true },
};

export const FS: Spec = {
  ...pciFields,
  tag: { type: "string", required: true },
  socket: { type: "string", required: true },
  num_queues: { type: "usize", default: 1 },
  queue_size: { type: "u16", default: 1024 },
};

export const PMEM: Spec = {
  ...pciFields,
  file: { type: "string", required: true },
  size: { type: "u64" },
  discard_writes: { type: "bool", default: false },
};

export const VSOCK: Spec = {
  ...pciFields,
  cid: { type: "u32", required: true },
  socket: { type: "string", required: true },
};

export const DEVICE: Spec = { ...pciFields, path: { type: "string" } };
export const VDPA: Spec = {
  ...pciFields,
  path: { type: "string", required: true },
  num_queues: { type: "usize", default: 1 },
};
export const USER_DEVICE: Spec = {
  id: { type: "string" },
  pci_segment: { type: "u16", default: 0 },
  socket: { type: "string", required: true },
};
export const GENERIC_VHOST_USER: Spec = {
  id: { type: "string" },
  pci_segment: { type: "u16", default: 0 },
  socket: { type: "string", required: true },
  queue_sizes: { type: "array", required: true },
  device_type: { type: "u32", required: true },
};

export const BALLOON: Spec = {
  ...pciFields,
  size: { type: "u64", required: true },
  deflate_on_oom: { type: "bool", default: false },
  free_page_reporting: { type: "bool", default: false },
};

export const CPUS: Spec = {
  boot_vcpus: { type: "u32", required: true },
  max_vcpus: { type: "u32", required: true },
  topology: { type: "object" },
  kvm_hyperv: { type: "bool", default: false },
  max_phys_bits: { type: "u8", default: 46 },
  affinity: { type: "array" },
  nested: { type: "bool", default: true },
  core_scheduling: { type: { enum: ["Vm", "Vcpu", "Off"] }, default: "Vm" },
};

const ZONE: Spec = {
  id: { type: "string", required: true },
  size: { type: "u64", required: true },
  file: { type: "string" },
  shared: { type: "bool", default: false },
  hugepages: { type: "bool", default: false },
  hugepage_size: { type: "u64" },
  host_numa_node: { type: "u32" },
  hotplug_size: { type: "u64" },
  hotplugged_size: { type: "u64" },
  mergeable: { type: "bool", default: false },
  prefault: { type: "bool", default: false },
  reserve: { type: "bool", default: false },
};

export const MEMORY: Spec = {
  size: { type: "u64", required: true },
  mergeable: { type: "bool", default: false },
  hotplug_method: { type: { enum: ["Acpi", "VirtioMem"] }, default: "Acpi" },
  hotplug_size: { type: "u64" },
  hotplugged_size: { type: "u64" },
  shared: { type: "bool", default: false },
  hugepages: { type: "bool", default: false },
  hugepage_size: { type: "u64" },
  prefault: { type: "bool", default: false },
  reserve: { type: "bool", default: false },
  thp: { type: "bool", default: true },
  zones: { type: "array" },
};

export const PAYLOAD: Spec = {
  firmware: { type: "string" },
  kernel: { type: "string" },
  cmdline: { type: "string" },
  initramfs: { type: "string" },
};

/** The device lists of a VmConfig and the spec of one entry. */
export const DEVICE_LISTS: Readonly<
  Record<string, { readonly spec: Spec; readonly many: boolean; readonly prefix: string; readonly add: string }>
> = {
  disks: { spec: DISK, many: true, prefix: "_disk", add: "vm.add-disk" },
  net: { spec: NET, many: true, prefix: "_net", add: "vm.add-net" },
  fs: { spec: FS, many: true, prefix: "_fs", add: "vm.add-fs" },
  pmem: { spec: PMEM, many: true, prefix: "_pmem", add: "vm.add-pmem" },
  vsock: { spec: VSOCK, many: false, prefix: "_vsock", add: "vm.add-vsock" },
  devices: { spec: DEVICE, many: true, prefix: "_vfio", add: "vm.add-device" },
  vdpa: { spec: VDPA, many: true, prefix: "_vdpa", add: "vm.add-vdpa" },
  user_devices: { spec: USER_DEVICE, many: true, prefix: "_vfio_user", add: "vm.add-user-device" },
  generic_vhost_user: {
    spec: GENERIC_VHOST_USER,
    many: true,
    prefix: "_generic_vhost_user",
    add: "vm.add-generic-vhost-user",
  },
};

/** A whole VmConfig (vm.create), with the serde defaults filled in. */
export function readVmConfig(value: unknown): Record<string, unknown> {
  const config = readStruct(
    {
      cpus: { type: { struct: CPUS }, default: { boot_vcpus: 1, max_vcpus: 1 } },
      memory: { type: { struct: MEMORY }, default: { size: 512 * 1024 * 1024 } },
      payload: { type: { struct: PAYLOAD }, required: true },
      balloon: { type: { struct: BALLOON } },
      iommu: { type: "bool", default: false },
      watchdog: { type: "bool", default: false },
      pvpanic: { type: "bool", default: false },
    },
    value,
    "VmConfig",
  );
  // defaults of absent nested structs are filled like present ones
  config.cpus = readStruct(CPUS, config.cpus, "CpusConfig");
  config.memory = readStruct(MEMORY, config.memory, "MemoryConfig");
  const memory = config.memory as Record<string, unknown>;
  if (Array.isArray(memory.zones)) memory.zones = memory.zones.map((z) => readStruct(ZONE, z, "MemoryZoneConfig"));
  for (const [key, list] of Object.entries(DEVICE_LISTS)) {
    const v = config[key];
    if (v === undefined || v === null) {
      config[key] = null;
      continue;
    }
    if (list.many) {
      if (!Array.isArray(v)) fail(`invalid type: ${describe(v)}, expected a sequence`);
      config[key] = v.map((entry) => readStruct(list.spec, entry, key));
    } else {
      config[key] = readStruct(list.spec, v, key);
    }
  }
  return config;
}
