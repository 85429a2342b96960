import { z } from "zod";
import { parseWith, SchemaError, type SchemaIssue } from "../../kubevirt/schema/parse";
import { deviceEntries } from "../deviceKinds";
import { cpusConfig } from "./cpus";
import {
  balloonConfig,
  deviceConfig,
  diskConfig,
  fsConfig,
  genericVhostUserConfig,
  netConfig,
  pmemConfig,
  userDeviceConfig,
  vdpaConfig,
  vsockConfig,
} from "./devices";
import { memoryConfig } from "./memory";

/** PayloadConfig: what the VM boots (firmware, or kernel + cmdline + initramfs). */
export const payloadConfig = z.looseObject({
  firmware: z.string().optional(),
  kernel: z.string().optional(),
  cmdline: z.string().optional(),
  initramfs: z.string().optional(),
  igvm: z.string().optional(),
  host_data: z.string().optional(),
});

/**
 * Cloud Hypervisor's VmConfig (the body of vm.create and `config` in vm.info), loose: every field livevm
 * does not model is kept and sent back as it is. Sizes come out as exact bigints.
 */
export const vmConfig = z.looseObject({
  cpus: cpusConfig.optional(),
  memory: memoryConfig.optional(),
  payload: payloadConfig,
  disks: z.array(diskConfig).optional(),
  net: z.array(netConfig).optional(),
  fs: z.array(fsConfig).optional(),
  pmem: z.array(pmemConfig).optional(),
  vsock: vsockConfig.optional(),
  devices: z.array(deviceConfig).optional(),
  vdpa: z.array(vdpaConfig).optional(),
  user_devices: z.array(userDeviceConfig).optional(),
  generic_vhost_user: z.array(genericVhostUserConfig).optional(),
  balloon: balloonConfig.optional(),
});
export type VmConfig = z.output<typeof vmConfig>;
/** What a user writes: sizes as numbers, bigints or "2G" strings. */
export type VmConfigInput = z.input<typeof vmConfig>;

export interface ParseVmConfigOptions {
  /**
   * Require an `id` on every hot-pluggable device (default true). livevm matches devices between two
   * configs by id, so a desired config needs them; a config read back from vm.info always has them.
   */
  readonly requireDeviceIds?: boolean;
}

/** Validates a VmConfig; throws SchemaError whose issues name the exact path (e.g. memory.hotplug_size). */
export function parseVmConfig(input: unknown, what: string, options: ParseVmConfigOptions = {}): VmConfig {
  const config = parseWith(vmConfig, input, what);
  const issues = deviceIdIssues(config, options.requireDeviceIds ?? true);
  if (issues.length > 0) throw new SchemaError(what, issues);
  return config;
}

function deviceIdIssues(config: VmConfig, requireIds: boolean): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Map<string, string>();
  const fixed: [string, unknown][] = [
    ["balloon", config.balloon],
    ["rng", config["rng"]],
    ["console", config["console"]],
  ];
  for (const [path, entry] of fixed) {
    const id = (entry as { id?: unknown } | undefined)?.id;
    if (typeof id === "string") seen.set(id, path);
  }
  for (const entry of deviceEntries(config)) {
    if (entry.id === undefined) {
      if (requireIds) {
        issues.push({
          path: `${entry.path}.id`,
          message: `every ${entry.kind.label} needs an id: livevm matches devices between configs by id (vm.remove-device takes it)`,
        });
      }
      continue;
    }
    const other = seen.get(entry.id);
    if (other !== undefined) {
      issues.push({ path: `${entry.path}.id`, message: `id ${JSON.stringify(entry.id)} is already used by ${other}` });
    } else {
      seen.set(entry.id, entry.path);
    }
  }
  return issues;
}
