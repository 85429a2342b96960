import type { AdmissionCause } from "../plan";
import type { Cpu, VmiSpec } from "../schema/common";
import { validateThreadCountOnArchitecture } from "./architecture";
import { child, invalid } from "./cause";
import { quantityValue, resourceMilli, resourceValue } from "./resources";

/** hwutil.GetNumberOfVCPUs: sockets × cores × threads, where a 0 factor is skipped (all 0 gives 0). */
export function numberOfVcpus(cpu: Cpu | undefined): bigint {
  let vcpus = BigInt(cpu?.cores ?? 0);
  for (const factor of [cpu?.sockets ?? 0, cpu?.threads ?? 0]) {
    if (factor !== 0) vcpus = vcpus === 0n ? BigInt(factor) : vcpus * BigInt(factor);
  }
  return vcpus;
}

export interface DedicatedCpuRuleOptions {
  /** v1.1+: arm64 threads > 1 is rejected (validateThreadCountOnArchitecture) */
  readonly armThreadRule: boolean;
  readonly defaultArchitecture: string;
  /**
   * v1.6.4 / v1.7.0+: memory may also be given as hugepages or memory.guest, and the message names all four;
   * before, only requests.memory or limits.memory (after the defaults step, which filled requests from guest).
   */
  readonly memoryFromHugepagesOrGuest: boolean;
}

/**
 * validateCpuPinning (vmi-create-admitter.go): the rules for `dedicatedCpuPlacement: true`, in KubeVirt's order.
 * Several messages end with a space, as KubeVirt's do, and "interger" is KubeVirt's spelling.
 */
export function validateCpuPinning(prefix: string, spec: VmiSpec, options: DedicatedCpuRuleOptions): AdmissionCause[] {
  const cpu = spec.domain?.cpu;
  if (!cpu?.dedicatedCpuPlacement) return [];
  const requestsCpu = child(prefix, "domain", "resources", "requests", "cpu");
  const limitsCpu = child(prefix, "domain", "resources", "limits", "cpu");
  const requestsMemory = child(prefix, "domain", "resources", "requests", "memory");
  const limitsMemory = child(prefix, "domain", "resources", "limits", "memory");
  const cores = child(prefix, "domain", "cpu", "cores");
  const dedicatedField = child(prefix, "domain", "cpu", "dedicatedCpuPlacement");
  const causes: AdmissionCause[] = [];

  // validateMemoryIsProvided (v1.8+) / validateMemoryLimitAndRequestProvided
  const noMemoryResources =
    resourceValue(spec, "limits", "memory") === 0n && resourceValue(spec, "requests", "memory") === 0n;
  if (options.memoryFromHugepagesOrGuest) {
    const memory = spec.domain?.memory;
    if (noMemoryResources && !memory?.hugepages && quantityValue(memory?.guest) === 0n) {
      causes.push(
        invalid(
          limitsMemory,
          `${requestsMemory}, ${limitsMemory}, ${child(prefix, "domain", "memory", "hugepages")} or ${child(prefix, "domain", "memory", "guest")} should be provided`,
        ),
      );
    }
  } else if (noMemoryResources) {
    causes.push(invalid(limitsMemory, `${requestsMemory} or ${limitsMemory} should be provided`));
  }

  // validateCPURequestIsInteger / validateCPULimitIsInteger
  const requestsValue = resourceValue(spec, "requests", "cpu");
  const limitsValue = resourceValue(spec, "limits", "cpu");
  if (requestsValue > 0n && requestsValue * 1000n !== resourceMilli(spec, "requests", "cpu")) {
    causes.push(invalid(requestsCpu, "provided resources CPU requests must be an interger"));
  }
  if (limitsValue > 0n && limitsValue * 1000n !== resourceMilli(spec, "limits", "cpu")) {
    causes.push(invalid(limitsCpu, "provided resources CPU limits must be an interger"));
  }

  // validateMemoryRequestsAndLimits
  const requestsMem = resourceValue(spec, "requests", "memory");
  const limitsMem = resourceValue(spec, "limits", "memory");
  if (requestsMem > 0n && limitsMem > 0n && requestsMem !== limitsMem) {
    causes.push(invalid(requestsMemory, `${requestsMemory} must be equal to ${limitsMemory}`));
  }

  const vcpus = numberOfVcpus(cpu);
  // validateRequestLimitOrCoresProvidedOnDedicatedCPUPlacement
  if (requestsValue === 0n && limitsValue === 0n && vcpus === 0n) {
    causes.push(
      invalid(
        dedicatedField,
        `either ${requestsCpu} or ${limitsCpu} or ${cores} must be provided when DedicatedCPUPlacement is true `,
      ),
    );
  }
  // validateRequestEqualsLimitOnDedicatedCPUPlacement
  if (requestsValue > 0n && limitsValue > 0n && requestsValue !== limitsValue) {
    causes.push(
      invalid(dedicatedField, `${requestsCpu} or ${limitsCpu} must be equal when DedicatedCPUPlacement is true `),
    );
  }
  // validateRequestOrLimitWithCoresProvidedOnDedicatedCPUPlacement
  if ((requestsValue > 0n || limitsValue > 0n) && vcpus > 0n && requestsValue !== vcpus && limitsValue !== vcpus) {
    causes.push(
      invalid(
        dedicatedField,
        `${requestsCpu} or ${limitsCpu} must not be provided at the same time with ${cores} when DedicatedCPUPlacement is true `,
      ),
    );
  }
  if (options.armThreadRule) {
    causes.push(...validateThreadCountOnArchitecture(prefix, spec, options.defaultArchitecture));
  }
  // validateThreadCountOnDedicatedCPUPlacement
  const threads = cpu.threads ?? 0;
  if (threads > 2) {
    causes.push(
      invalid(
        dedicatedField,
        `Not more than two threads must be provided at ${child(prefix, "domain", "cpu", "threads")} (got ${threads}) when DedicatedCPUPlacement is true`,
      ),
    );
  }
  return causes;
}

/** validateCPUIsolatorThread: isolateEmulatorThread only with dedicatedCpuPlacement. */
export function validateCpuIsolatorThread(prefix: string, spec: VmiSpec): AdmissionCause[] {
  const cpu = spec.domain?.cpu;
  if (cpu?.isolateEmulatorThread && !cpu.dedicatedCpuPlacement) {
    return [
      invalid(
        child(prefix, "domain", "cpu", "isolateEmulatorThread"),
        "IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement",
      ),
    ];
  }
  return [];
}
