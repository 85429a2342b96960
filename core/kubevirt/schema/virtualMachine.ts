import { z } from "zod";
import { condition, nonNegativeInt, objectMeta, vmiSpec } from "./common";

export const RUN_STRATEGIES = ["Always", "RerunOnFailure", "Manual", "Halted", "Once", "WaitAsReceiver"] as const;
export type RunStrategy = (typeof RUN_STRATEGIES)[number];

const instancetypeMatcher = z.looseObject({
  name: z.string().optional(),
  kind: z.string().optional(),
  revisionName: z.string().optional(),
});

/** v1.0/v1.1 only: `spec.liveUpdateFeatures` (removed in v1.2.0). */
export const liveUpdateFeatures = z.looseObject({
  cpu: z.looseObject({ maxSockets: nonNegativeInt.optional() }).optional(),
  memory: z.looseObject({ maxGuest: z.union([z.string(), z.number()]).optional() }).optional(),
  affinity: z.looseObject({}).optional(),
});

export const virtualMachine = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.literal("VirtualMachine").optional(),
  metadata: objectMeta.optional(),
  spec: z.looseObject({
    running: z.boolean().optional(),
    runStrategy: z.enum(RUN_STRATEGIES).optional(),
    instancetype: instancetypeMatcher.optional(),
    preference: instancetypeMatcher.optional(),
    liveUpdateFeatures: liveUpdateFeatures.optional(),
    updateVolumesStrategy: z.string().optional(),
    dataVolumeTemplates: z.array(z.looseObject({})).optional(),
    template: z.looseObject({
      metadata: z.looseObject({}).optional(),
      spec: vmiSpec.optional(),
    }),
  }),
  status: z
    .looseObject({
      created: z.boolean().optional(),
      ready: z.boolean().optional(),
      printableStatus: z.string().optional(),
      conditions: z.array(condition).optional(),
      observedGeneration: z.number().int().optional(),
      desiredGeneration: z.number().int().optional(),
    })
    .optional(),
});
export type VirtualMachine = z.infer<typeof virtualMachine>;
