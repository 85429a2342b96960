import { z } from "zod";
import { deviceId, nonNegativeInt, positiveInt, size } from "./common";

/** The device configs livevm hot-adds and removes (and the balloon, which it resizes). */

const pci = {
  id: deviceId.optional(),
  pci_segment: nonNegativeInt.optional(),
  iommu: z.boolean().optional(),
};

export const diskConfig = z.looseObject({
  ...pci,
  path: z.string().optional(),
  readonly: z.boolean().optional(),
  direct: z.boolean().optional(),
  num_queues: positiveInt.optional(),
  queue_size: positiveInt.optional(),
  vhost_user: z.boolean().optional(),
  vhost_socket: z.string().optional(),
  serial: z.string().optional(),
  image_type: z.enum(["FixedVhd", "Qcow2", "Raw", "Vhdx", "Unknown"]).optional(),
});
export type DiskConfig = z.output<typeof diskConfig>;

export const netConfig = z.looseObject({
  ...pci,
  tap: z.string().optional(),
  ip: z.string().optional(),
  mask: z.string().optional(),
  mac: z.string().optional(),
  host_mac: z.string().optional(),
  mtu: positiveInt.optional(),
  num_queues: positiveInt.optional(),
  queue_size: positiveInt.optional(),
  vhost_user: z.boolean().optional(),
  vhost_socket: z.string().optional(),
  vhost_mode: z.enum(["Client", "Server"]).optional(),
});
export type NetConfig = z.output<typeof netConfig>;

export const fsConfig = z.looseObject({
  ...pci,
  tag: z.string(),
  socket: z.string(),
  num_queues: positiveInt,
  queue_size: positiveInt,
});
export type FsConfig = z.output<typeof fsConfig>;

export const pmemConfig = z.looseObject({
  ...pci,
  file: z.string(),
  size: size.optional(),
  discard_writes: z.boolean().optional(),
});
export type PmemConfig = z.output<typeof pmemConfig>;

export const vsockConfig = z.looseObject({
  ...pci,
  cid: z.number().int().min(3, "a vsock cid must be at least 3 (0-2 are reserved)"),
  socket: z.string(),
});
export type VsockConfig = z.output<typeof vsockConfig>;

/** VFIO passthrough (vm.add-device). */
export const deviceConfig = z.looseObject({
  ...pci,
  path: z.string().optional(),
});
export type DeviceConfig = z.output<typeof deviceConfig>;

export const vdpaConfig = z.looseObject({
  ...pci,
  path: z.string(),
  num_queues: positiveInt,
});
export type VdpaConfig = z.output<typeof vdpaConfig>;

export const userDeviceConfig = z.looseObject({
  ...pci,
  socket: z.string(),
});
export type UserDeviceConfig = z.output<typeof userDeviceConfig>;

export const genericVhostUserConfig = z.looseObject({
  ...pci,
  socket: z.string(),
  queue_sizes: z.array(positiveInt),
  device_type: nonNegativeInt,
});
export type GenericVhostUserConfig = z.output<typeof genericVhostUserConfig>;

export const balloonConfig = z.looseObject({
  ...pci,
  size,
  deflate_on_oom: z.boolean().optional(),
  free_page_reporting: z.boolean().optional(),
});
export type BalloonConfig = z.output<typeof balloonConfig>;
