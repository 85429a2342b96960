import { z } from "zod";
import { positiveInt } from "./common";

/** CpusConfig: boot_vcpus and max_vcpus are what a live resize works between. */
export const cpusConfig = z.looseObject({
  boot_vcpus: positiveInt,
  max_vcpus: positiveInt,
  topology: z.looseObject({}).optional(),
  kvm_hyperv: z.boolean().optional(),
  max_phys_bits: z.number().int().optional(),
  nested: z.boolean().optional(),
  affinity: z.array(z.looseObject({})).optional(),
  features: z.looseObject({}).optional(),
  core_scheduling: z.enum(["Vm", "Vcpu", "Off"]).optional(),
});
export type CpusConfig = z.output<typeof cpusConfig>;
