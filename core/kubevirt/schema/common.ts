import { z } from "zod";
import { quantityProblem } from "../quantity";

/**
 * Building blocks shared by the KubeVirt schemas. Every object schema is loose: fields livevm does not
 * model are kept as they are, never dropped.
 */

/** A Kubernetes quantity: a string such as "1Gi" or "500m", or a plain number. */
export const quantity = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  const problem = quantityProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
export type QuantityInput = z.infer<typeof quantity>;

export const nonNegativeInt = z.number().int().min(0);

export const objectMeta = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof objectMeta>;

export const condition = z.looseObject({
  type: z.string(),
  status: z.enum(["True", "False", "Unknown"]),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().nullable().optional(),
  lastProbeTime: z.string().nullable().optional(),
});
export type Condition = z.infer<typeof condition>;

export const resourceList = z.record(z.string(), quantity);

export const resourceRequirements = z.looseObject({
  requests: resourceList.optional(),
  limits: resourceList.optional(),
  overcommitGuestOverhead: z.boolean().optional(),
});

export const cpuTopology = z.looseObject({
  sockets: nonNegativeInt.optional(),
  cores: nonNegativeInt.optional(),
  threads: nonNegativeInt.optional(),
});
export type CpuTopology = z.infer<typeof cpuTopology>;

export const cpu = z.looseObject({
  sockets: nonNegativeInt.optional(),
  cores: nonNegativeInt.optional(),
  threads: nonNegativeInt.optional(),
  maxSockets: nonNegativeInt.optional(),
  model: z.string().optional(),
  dedicatedCpuPlacement: z.boolean().optional(),
  isolateEmulatorThread: z.boolean().optional(),
  realtime: z.looseObject({ mask: z.string().optional() }).optional(),
  numa: z.looseObject({ guestMappingPassthrough: z.looseObject({}).optional() }).optional(),
});
export type Cpu = z.infer<typeof cpu>;

export const memory = z.looseObject({
  guest: quantity.optional(),
  maxGuest: quantity.optional(),
  hugepages: z.looseObject({ pageSize: z.string().optional() }).optional(),
});
export type Memory = z.infer<typeof memory>;

export const disk = z.looseObject({
  name: z.string(),
  disk: z.looseObject({}).optional(),
  cdrom: z.looseObject({}).optional(),
  lun: z.looseObject({}).optional(),
});

export const interfaceSpec = z.looseObject({
  name: z.string(),
  state: z.enum(["absent", "up", "down"]).optional(),
});

export const devices = z.looseObject({
  disks: z.array(disk).optional(),
  interfaces: z.array(interfaceSpec).optional(),
  networkInterfaceMultiqueue: z.boolean().optional(),
});

export const domain = z.looseObject({
  cpu: cpu.optional(),
  memory: memory.optional(),
  resources: resourceRequirements.optional(),
  devices: devices.optional(),
  firmware: z.looseObject({ uuid: z.string().optional() }).optional(),
  launchSecurity: z.looseObject({}).optional(),
});
export type Domain = z.infer<typeof domain>;

const hotpluggableSource = z.looseObject({
  hotpluggable: z.boolean().optional(),
});

export const volume = z.looseObject({
  name: z.string(),
  persistentVolumeClaim: hotpluggableSource.extend({ claimName: z.string().optional() }).optional(),
  dataVolume: hotpluggableSource.extend({ name: z.string().optional() }).optional(),
  memoryDump: hotpluggableSource.optional(),
  containerDisk: z.looseObject({ image: z.string().optional() }).optional(),
});

export const network = z.looseObject({
  name: z.string(),
  pod: z.looseObject({}).optional(),
  multus: z.looseObject({ networkName: z.string().optional(), default: z.boolean().optional() }).optional(),
});

export const toleration = z.looseObject({
  key: z.string().optional(),
  operator: z.string().optional(),
  value: z.string().optional(),
  effect: z.string().optional(),
  tolerationSeconds: z.number().int().nullable().optional(),
});

/** spec.template.spec of a VirtualMachine, and spec of a VirtualMachineInstance. */
export const vmiSpec = z.looseObject({
  domain: domain.optional(),
  architecture: z.string().optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  affinity: z.looseObject({}).optional(),
  tolerations: z.array(toleration).optional(),
  volumes: z.array(volume).optional(),
  networks: z.array(network).optional(),
  evictionStrategy: z.string().optional(),
  hostname: z.string().optional(),
});
export type VmiSpec = z.infer<typeof vmiSpec>;
