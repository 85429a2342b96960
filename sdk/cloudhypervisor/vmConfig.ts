/**
 * Cloud Hypervisor's `VmConfig` (the body of `PUT /api/v1/vm.create`), with the fields livevm plans
 * changes for typed, and every other field of Cloud Hypervisor's OpenAPI passed through as it is.
 * Sizes are bytes, as in the API.
 */

export interface CpusConfig {
  /** vCPUs at boot (>= 1) */
  boot_vcpus: number;
  /** vCPUs the VM can grow to without a restart (>= boot_vcpus) */
  max_vcpus: number;
  topology?: { threads_per_core?: number; cores_per_die?: number; dies_per_package?: number; packages?: number };
  [field: string]: unknown;
}

export interface MemoryConfig {
  /** boot memory in bytes */
  size: number;
  /** memory that can be hot-plugged on top of `size`, in bytes (ACPI: 128 MiB steps; virtio-mem: 2 MiB) */
  hotplug_size?: number;
  /** memory already hot-plugged (virtio-mem), in bytes */
  hotplugged_size?: number;
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
  balloon?: { size: number; deflate_on_oom?: boolean; free_page_reporting?: boolean; [field: string]: unknown };
  fs?: (DeviceWithId & { tag: string; socket: string; num_queues: number; queue_size: number })[];
  pmem?: (DeviceWithId & { file: string; size?: number })[];
  devices?: (DeviceWithId & { path: string })[];
  vsock?: DeviceWithId & { cid: number; socket: string };
  [field: string]: unknown;
}

/** `GET /api/v1/vm.info`: the VM's configuration as Cloud Hypervisor has it, and its state. */
export interface VmInfo {
  config: VmConfig;
  state: VmState;
  memory_actual_size?: number;
  device_tree?: Record<string, unknown>;
  [field: string]: unknown;
}

export type VmState = "Created" | "Running" | "Shutdown" | "Paused" | "BreakPoint";
