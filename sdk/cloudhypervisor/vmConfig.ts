/**
 * Cloud Hypervisor's `VmConfig` (the body of `PUT /api/v1/vm.create`), with the fields livevm plans
 * changes for typed, and every other field of Cloud Hypervisor's OpenAPI passed through as it is.
 * Sizes are bytes, or Cloud Hypervisor's size form ("512M", "2G").
 */

/** bytes, or Cloud Hypervisor's size form such as "512M" or "2G" */
export type Size = number | string;

export interface CpusConfig {
  /** vCPUs at boot (>= 1) */
  boot_vcpus: number;
  /** vCPUs the VM can grow to without a restart (>= boot_vcpus) */
  max_vcpus: number;
  topology?: { threads_per_core?: number; cores_per_die?: number; dies_per_package?: number; packages?: number };
  [field: string]: unknown;
}

export interface MemoryConfig {
  /** boot memory */
  size: Size;
  /** memory that can be hot-plugged on top of `size` (ACPI: 128 MiB steps; virtio-mem: 2 MiB) */
  hotplug_size?: Size;
  /** memory already hot-plugged (virtio-mem) */
  hotplugged_size?: Size;
  /** "Acpi" (default) or "VirtioMem" */
  hotplug_method?: "Acpi" | "VirtioMem" | (string & {});
  shared?: boolean;
  hugepages?: boolean;
  [field: string]: unknown;
}

/** A device with an optional `id`, used to hot-add and remove it. */
export interface DeviceWithId {
  id?: string;
  [field: string]: unknown;
}

export interface DiskConfig extends DeviceWithId {
  path?: string;
  readonly?: boolean;
}

export interface NetConfig extends DeviceWithId {
  tap?: string;
  ip?: string;
  mask?: string;
  mac?: string;
}

export interface VmConfig {
  cpus?: CpusConfig;
  memory?: MemoryConfig;
  /** firmware or kernel (+ cmdline, initramfs) to boot; required by Cloud Hypervisor */
  payload: { firmware?: string; kernel?: string; cmdline?: string; initramfs?: string; [field: string]: unknown };
  disks?: DiskConfig[];
  net?: NetConfig[];
  balloon?: { size: Size; deflate_on_oom?: boolean; free_page_reporting?: boolean; [field: string]: unknown };
  fs?: (DeviceWithId & { tag: string; socket: string; num_queues: number; queue_size: number })[];
  pmem?: (DeviceWithId & { file: string; size?: Size })[];
  devices?: (DeviceWithId & { path: string })[];
  vsock?: DeviceWithId & { cid: number; socket: string };
  [field: string]: unknown;
}

/** What the provider reports from `vm.info` beyond the config. */
export interface VmInfo {
  /** `memory_actual_size` in bytes (with a balloon), or null */
  memoryActualSize?: number | null;
  /** device id to PCI address (BDF) */
  pciDevices?: Record<string, string>;
  /** removed devices the guest has not ejected yet */
  devicesPendingEject?: string[];
  [field: string]: unknown;
}

export type VmState = "Created" | "Running" | "Shutdown" | "Paused" | "BreakPoint";

/** The host architecture: vCPU hotplug is x86_64-only. */
export type Architecture = "x86_64" | "aarch64" | "riscv64";
