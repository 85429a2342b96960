import { z } from "zod";
import { size } from "./common";

/**
 * How hot-added memory reaches the guest. The JSON API uses the Rust variant names ("Acpi", "VirtioMem");
 * the cloud-hypervisor command line uses "acpi" and "virtio-mem". Both are accepted and normalised to the
 * JSON form.
 */
export const HOTPLUG_METHODS = ["Acpi", "VirtioMem"] as const;
export type HotplugMethod = (typeof HOTPLUG_METHODS)[number];

export const hotplugMethod = z
  .enum(["Acpi", "VirtioMem", "acpi", "virtio-mem"], {
    error: 'expected "Acpi" or "VirtioMem" (or the command-line forms "acpi" and "virtio-mem")',
  })
  .transform((value): HotplugMethod => (value === "acpi" ? "Acpi" : value === "virtio-mem" ? "VirtioMem" : value));

export const memoryZoneConfig = z.looseObject({
  id: z.string().min(1),
  size,
  file: z.string().optional(),
  mergeable: z.boolean().optional(),
  shared: z.boolean().optional(),
  hugepages: z.boolean().optional(),
  hugepage_size: size.optional(),
  host_numa_node: z.number().int().optional(),
  hotplug_size: size.optional(),
  hotplugged_size: size.optional(),
  prefault: z.boolean().optional(),
  reserve: z.boolean().optional(),
});
export type MemoryZoneConfig = z.output<typeof memoryZoneConfig>;

/**
 * MemoryConfig. With the ACPI method `size` is the guest's RAM target (Cloud Hypervisor rewrites it on every
 * vm.resize); with virtio-mem `size` is the boot RAM and `hotplugged_size` the part plugged on top of it.
 */
export const memoryConfig = z.looseObject({
  size,
  hotplug_size: size.optional(),
  hotplugged_size: size.optional(),
  hotplug_method: hotplugMethod.optional(),
  mergeable: z.boolean().optional(),
  shared: z.boolean().optional(),
  hugepages: z.boolean().optional(),
  hugepage_size: size.optional(),
  prefault: z.boolean().optional(),
  reserve: z.boolean().optional(),
  thp: z.boolean().optional(),
  zones: z.array(memoryZoneConfig).optional(),
});
export type MemoryConfig = z.output<typeof memoryConfig>;
