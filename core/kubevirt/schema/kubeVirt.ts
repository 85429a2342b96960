import { z } from "zod";
import { objectMeta, quantity } from "./common";

export const liveUpdateConfiguration = z.looseObject({
  maxHotplugRatio: z.number().int().min(0).optional(),
  maxCpuSockets: z.number().int().min(0).optional(),
  maxGuest: quantity.optional(),
});
export type LiveUpdateConfiguration = z.infer<typeof liveUpdateConfiguration>;

export const WORKLOAD_UPDATE_METHODS = ["LiveMigrate", "Evict"] as const;

/** The KubeVirt custom resource (kubevirt.io/v1, kind KubeVirt). */
export const kubeVirt = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.literal("KubeVirt").optional(),
  metadata: objectMeta.optional(),
  spec: z
    .looseObject({
      configuration: z
        .looseObject({
          developerConfiguration: z
            .looseObject({
              featureGates: z.array(z.string()).optional(),
              disabledFeatureGates: z.array(z.string()).optional(),
            })
            .optional(),
          vmRolloutStrategy: z.enum(["Stage", "LiveUpdate"]).nullable().optional(),
          liveUpdateConfiguration: liveUpdateConfiguration.optional(),
          evictionStrategy: z.string().optional(),
          migrations: z
            .looseObject({
              parallelMigrationsPerCluster: z.number().int().optional(),
              parallelOutboundMigrationsPerNode: z.number().int().optional(),
            })
            .optional(),
          cpuAllocationRatio: z.number().int().optional(),
          architectureConfiguration: z.looseObject({ defaultArchitecture: z.string().optional() }).optional(),
        })
        .optional(),
      workloadUpdateStrategy: z
        .looseObject({
          workloadUpdateMethods: z.array(z.enum(WORKLOAD_UPDATE_METHODS)).optional(),
          batchEvictionSize: z.number().int().optional(),
          batchEvictionInterval: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  status: z
    .looseObject({
      observedKubeVirtVersion: z.string().optional(),
      defaultArchitecture: z.string().optional(),
      phase: z.string().optional(),
    })
    .optional(),
});
export type KubeVirt = z.infer<typeof kubeVirt>;
