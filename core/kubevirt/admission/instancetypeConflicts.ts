import type { AdmissionCause } from "../plan";
import type { VirtualMachine } from "../schema/virtualMachine";
import { atLeast, type KubeVirtVersion } from "../version";
import { child, invalid, TEMPLATE_SPEC } from "./cause";

/**
 * The instance-type conflicts vms-admitter.go reports before any other rule (`ApplyToVM` on a copy of the VM,
 * returning its causes at once): pkg/instancetype/apply cpu.go `validateCPU` and memory.go `validateMemory`
 * (v1.0–v1.4: pkg/instancetype/instancetype.go applyCPU/applyMemory). Only the conflicts that hold whatever the
 * instance type contains are modelled, since a plan does not have the instance type's spec:
 *
 * - CPU (every version): `resources.requests.cpu`, `resources.limits.cpu`, `cpu.sockets`, `cpu.cores`,
 *   `cpu.threads` set in the template (model, dedicatedCPUPlacement, isolateEmulatorThread and numa conflict
 *   only when the instance type sets them too).
 * - Memory, first match only: v1.0–v1.6 any `domain.memory` stanza (field `domain.memory`); v1.7+
 *   `memory.guest` (hugepages and maxGuest only when the instance type sets them); then
 *   `resources.requests.memory`, then `resources.limits.memory`.
 *
 * Messages: v1.0 "VM field conflicts with selected Instancetype", v1.1–v1.4 "VM field <path> conflicts with
 * selected instance type" (instancetype.VMFieldConflictErrorFmt), v1.5+ "VM field(s) <path> conflicts with
 * selected instance type" (conflict/conflicts.go); one FieldValueInvalid cause per conflicting field.
 * A VM with only a preference (no instance type) has no conflicts.
 */
export function validateInstancetypeConflicts(vm: VirtualMachine, version: KubeVirtVersion): AdmissionCause[] {
  if (vm.spec.instancetype === undefined) return [];
  const spec = vm.spec.template.spec;
  const domain = spec?.domain;
  const requests = domain?.resources?.requests as Record<string, unknown> | undefined;
  const limits = domain?.resources?.limits as Record<string, unknown> | undefined;
  const cpu = domain?.cpu;
  const fields: string[][] = [];
  if (requests?.cpu !== undefined) fields.push(["domain", "resources", "requests", "cpu"]);
  if (limits?.cpu !== undefined) fields.push(["domain", "resources", "limits", "cpu"]);
  if (nonZero(cpu?.sockets)) fields.push(["domain", "cpu", "sockets"]);
  if (nonZero(cpu?.cores)) fields.push(["domain", "cpu", "cores"]);
  if (nonZero(cpu?.threads)) fields.push(["domain", "cpu", "threads"]);
  const memory = memoryConflict(domain?.memory, requests, limits, atLeast(version, 7));
  if (memory) fields.push(memory);
  return fields.map((names) => {
    const field = child(TEMPLATE_SPEC, ...names);
    return invalid(field, conflictMessage(field, version));
  });
}

function memoryConflict(
  memory: { guest?: unknown } | undefined,
  requests: Record<string, unknown> | undefined,
  limits: Record<string, unknown> | undefined,
  guestOnly: boolean,
): string[] | undefined {
  if (guestOnly ? memory?.guest != null : memory != null) {
    return guestOnly ? ["domain", "memory", "guest"] : ["domain", "memory"];
  }
  if (requests?.memory !== undefined) return ["domain", "resources", "requests", "memory"];
  if (limits?.memory !== undefined) return ["domain", "resources", "limits", "memory"];
  return undefined;
}

function nonZero(n: number | undefined): boolean {
  return n !== undefined && n !== 0;
}

function conflictMessage(field: string, version: KubeVirtVersion): string {
  if (!atLeast(version, 1)) return "VM field conflicts with selected Instancetype";
  if (!atLeast(version, 5)) return `VM field ${field} conflicts with selected instance type`;
  return `VM field(s) ${field} conflicts with selected instance type`;
}
