import { maxSupportedVcpus, VIRTIO_MEM_BLOCK_SIZE, type Architecture } from "./limits";
import { DEFAULT_MEMORY_SIZE } from "./memoryHotplugLedger";
import type { VmConfig } from "./schema/vmConfig";
import { describeSize } from "./size";

export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * What Cloud Hypervisor's VmConfig::validate (and MemoryManager::new) refuse about a config, checked
 * before anything is sent. Messages quote Cloud Hypervisor's own where it has one.
 */
export function configProblems(config: VmConfig, arch: Architecture = "x86_64", before?: VmConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const cpus = config.cpus;
  if (cpus) {
    if (cpus.max_vcpus < cpus.boot_vcpus) {
      // blame the field the user moved: boot_vcpus when max_vcpus is unchanged
      const maxUnchanged = before?.cpus !== undefined && before.cpus.max_vcpus === cpus.max_vcpus;
      problems.push({
        path: maxUnchanged ? "cpus.boot_vcpus" : "cpus.max_vcpus",
        message: `Max CPUs (${cpus.max_vcpus}) lower than boot CPUs (${cpus.boot_vcpus})`,
      });
    }
    const limit = maxSupportedVcpus(arch);
    if (cpus.max_vcpus > limit) {
      problems.push({
        path: "cpus.max_vcpus",
        message: `Too many CPUs: specified ${cpus.max_vcpus} but ${limit} is the limit (${arch})`,
      });
    }
  }
  const memory = config.memory;
  const method = memory?.hotplug_method ?? "Acpi";
  if (memory) {
    if (memory.hotplug_size === 0n) {
      problems.push({ path: "memory.hotplug_size", message: "'hotplug_size' can't be 0" });
    }
    if (method === "VirtioMem" && memory.hotplug_size === undefined && (memory.hotplugged_size ?? 0n) > 0n) {
      problems.push({
        path: "memory.hotplugged_size",
        message: "virtio-mem needs memory.hotplug_size: without it there is no virtio-mem device to plug memory into",
      });
    }
    if (
      memory.hotplugged_size !== undefined &&
      memory.hotplug_size !== undefined &&
      memory.hotplugged_size > memory.hotplug_size
    ) {
      problems.push({
        path: "memory.hotplugged_size",
        message: `hotplugged_size ${describeSize(memory.hotplugged_size)} is larger than hotplug_size ${describeSize(memory.hotplug_size)}`,
      });
    }
    if (
      method === "VirtioMem" &&
      memory.hotplugged_size !== undefined &&
      memory.hotplugged_size % VIRTIO_MEM_BLOCK_SIZE !== 0n
    ) {
      problems.push({
        path: "memory.hotplugged_size",
        message: `hotplugged_size ${describeSize(memory.hotplugged_size)} is not a multiple of the virtio-mem block size (2M)`,
      });
    }
    if (
      method === "VirtioMem" &&
      memory.hotplug_size !== undefined &&
      memory.hotplug_size % VIRTIO_MEM_BLOCK_SIZE !== 0n
    ) {
      problems.push({
        path: "memory.hotplug_size",
        message: `hotplug_size ${describeSize(memory.hotplug_size)} is not a multiple of the virtio-mem block size (2M): "region_size is not aligned on block_size"`,
      });
    }
    if (
      memory.zones &&
      memory.zones.length > 0 &&
      method === "Acpi" &&
      memory.zones.some((z) => z.hotplug_size !== undefined)
    ) {
      problems.push({
        path: "memory.hotplug_method",
        message: "memory zones with hotplug_size need hotplug_method VirtioMem (InvalidHotplugMethodWithMemoryZones)",
      });
    }
  }
  const diskPaths = new Map<string, number>();
  (config.disks ?? []).forEach((disk, index) => {
    if (typeof disk.path !== "string") return;
    const first = diskPaths.get(disk.path);
    if (first !== undefined) {
      problems.push({
        path: `disks[${index}].path`,
        message: `Duplicated device path: ${disk.path} (also disks[${first}])`,
      });
    } else diskPaths.set(disk.path, index);
  });
  if (config.balloon) {
    const ram = totalRam(config);
    if (config.balloon.size > ram) {
      problems.push({
        path: "balloon.size",
        message: `Balloon size (${config.balloon.size}) greater than RAM (${ram})`,
      });
    }
  }
  return problems;
}

/** Guest RAM as Cloud Hypervisor's MemoryConfig::total_size counts it: size + hotplugged_size + zones. */
export function totalRam(config: VmConfig): bigint {
  const memory = config.memory;
  if (!memory) return DEFAULT_MEMORY_SIZE;
  let total = memory.size + (memory.hotplugged_size ?? 0n);
  for (const zone of memory.zones ?? []) total += zone.size + (zone.hotplugged_size ?? 0n);
  return total;
}
