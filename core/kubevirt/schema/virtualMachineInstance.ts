import { z } from "zod";
import { condition, cpuTopology, objectMeta, quantity, vmiSpec } from "./common";

export const memoryStatus = z.looseObject({
  guestAtBoot: quantity.optional(),
  guestCurrent: quantity.optional(),
  guestRequested: quantity.optional(),
  memoryOverhead: quantity.optional(),
});

export const virtualMachineInstance = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.literal("VirtualMachineInstance").optional(),
  metadata: objectMeta.optional(),
  spec: vmiSpec,
  status: z
    .looseObject({
      phase: z.string().optional(),
      nodeName: z.string().optional(),
      conditions: z.array(condition).optional(),
      currentCPUTopology: cpuTopology.optional(),
      memory: memoryStatus.optional(),
      migrationState: z
        .looseObject({
          completed: z.boolean().optional(),
          failed: z.boolean().optional(),
          startTimestamp: z.string().optional(),
          endTimestamp: z.string().optional(),
        })
        .nullable()
        .optional(),
    })
    .optional(),
});
export type VirtualMachineInstance = z.infer<typeof virtualMachineInstance>;
