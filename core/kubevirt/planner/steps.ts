import type { PlannedChange, PlanInput, PlanStep, VirtualMachinePlan } from "../plan";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { Leaf } from "./diff";
import type { FieldGroup } from "./fieldGroups";
import * as fieldGroupsModule from "./fieldGroups";
import type { RunningContext } from "./runningController";
import type { GroupResult } from "./verdict";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { fieldGroup, LIVE_GROUPS } = fieldGroupsModule;

/**
 * When live-capable and restart-required changes are mixed: step 1 = `before` with only the live-capable groups
 * taken from `after` (verified to go live on its own), step 2 = `after`.
 */
export function saferOrder(
  input: PlanInput,
  replan: (input: PlanInput) => VirtualMachinePlan,
  leaves: readonly Leaf[],
  changes: readonly PlannedChange[],
  ctx: RunningContext,
  cache: Map<FieldGroup, GroupResult>,
): PlanStep[] | undefined {
  const before = input.before!;
  const after = input.after!;
  const liveGroups = new Set<FieldGroup>();
  let hasRestart = false;
  leaves.forEach((leaf, i) => {
    const group = fieldGroup(leaf.fields);
    const c = changes[i]!;
    const v = cache.get(group);
    const liveCapable =
      LIVE_GROUPS.has(group) &&
      !ctx.neut?.remainingPaths.has(leaf.path) &&
      (c.outcome === "live" || v?.blockedByGate === true);
    if (liveCapable) liveGroups.add(group);
    else if (c.outcome === "restart") hasRestart = true;
  });
  if (!hasRestart || liveGroups.size === 0) return undefined;
  const step1 = applyGroups(before, after, liveGroups);
  const check = replan({ ...input, before, after: step1 });
  if (check.outcome !== "live" || check.steps) return undefined;
  const livePaths: string[] = [];
  const restPaths: string[] = [];
  leaves.forEach((leaf) => {
    const group = fieldGroup(leaf.fields);
    if (liveGroups.has(group) && !ctx.neut?.remainingPaths.has(leaf.path)) livePaths.push(leaf.path);
    else restPaths.push(leaf.path);
  });
  return [
    { kind: "live", paths: livePaths, vm: step1 },
    { kind: "restart", paths: restPaths, vm: after },
  ];
}

/**
 * `before` with the given live-capable field groups taken from `after` (status dropped). Built copy-on-write: it
 * shares with `before` and `after` every object it does not change, so re-planning it walks only what differs.
 * The plan's step holds it as it is (like step 2, which is `after` itself): plans are read-only views of their
 * inputs, never copies.
 */
function applyGroups(before: VirtualMachine, after: VirtualMachine, groups: ReadonlySet<FieldGroup>): VirtualMachine {
  // a spread keeps `before`'s own object layout; an object rest would build step 1 in the layout family every
  // `{}`-built object shares, where other code's objects (e.g. structuredClone copies of VMs) later generalise its
  // field types and make V8 throw away the planner's optimised code
  const vm = { ...before };
  delete vm.status;
  const template = (vm.spec = { ...vm.spec }).template;
  vm.spec.template = { ...template };
  vm.spec.template.spec = template.spec == null ? {} : ownCopy(template.spec);
  const spec: VmiSpec = vm.spec.template.spec;
  const from: VmiSpec = after.spec.template.spec ?? {};
  spec.domain = spec.domain == null ? {} : ownCopy(spec.domain);
  const domain = spec.domain;
  const fromDomain = from.domain ?? {};
  for (const group of groups) {
    switch (group) {
      case "cpuSockets":
        if (domain.cpu && fromDomain.cpu) {
          const cpu = ownCopy(domain.cpu);
          cpu.sockets = fromDomain.cpu.sockets;
          domain.cpu = cpu;
        }
        break;
      case "memoryGuest":
        if (fromDomain.memory?.guest !== undefined)
          domain.memory = { ...(domain.memory ?? {}), guest: fromDomain.memory.guest };
        break;
      case "nodeSelector":
      case "affinity":
      case "tolerations":
      case "volumes":
        takeField(spec, from, group);
        break;
      case "disks":
        domain.devices = { ...(domain.devices ?? {}), disks: fromDomain.devices?.disks };
        if (domain.devices.disks === undefined) delete domain.devices.disks;
        break;
      case "network":
        takeField(spec, from, "networks");
        domain.devices = { ...(domain.devices ?? {}), interfaces: fromDomain.devices?.interfaces };
        if (domain.devices.interfaces === undefined) delete domain.devices.interfaces;
        break;
      case "firmwareUuid":
        domain.firmware = { ...(domain.firmware ?? {}), uuid: fromDomain.firmware?.uuid };
        break;
      default:
        break;
    }
  }
  return vm;
}

function takeField<K extends keyof VmiSpec>(spec: VmiSpec, from: VmiSpec, key: K): void {
  if (from[key] === undefined) delete spec[key];
  else spec[key] = from[key];
}

/** A shallow copy of an object or list; anything else (not a valid manifest part) as it is. */
function ownCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.slice() as T;
  if (typeof value === "object" && value !== null) return { ...value };
  return value;
}
