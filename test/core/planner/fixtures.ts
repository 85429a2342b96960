import type { KubeVirt, VirtualMachine, VirtualMachineInstance, VmiSpec } from "../../../core/kubevirt/schema";
import { planVirtualMachineUpdate } from "../../../core/kubevirt/planner";
import type { PlanInput, PlannedChange, VirtualMachinePlan } from "../../../core/kubevirt/plan";

/** A running VM with an explicit topology and guest memory (amd64). */
export function vm(
  spec: VmiSpec = {},
  vmSpec: Record<string, unknown> = {},
  status?: Record<string, unknown>,
): VirtualMachine {
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine",
    metadata: { name: "vm1", namespace: "default" },
    spec: { runStrategy: "Always", template: { spec: baseSpec(spec) }, ...vmSpec },
    ...(status ? { status } : {}),
  } as VirtualMachine;
}

export function baseSpec(spec: VmiSpec = {}): VmiSpec {
  const domain = spec.domain ?? {};
  return {
    ...spec,
    domain: {
      ...domain,
      cpu: "cpu" in domain ? domain.cpu : { sockets: 2, cores: 1, threads: 1 },
      memory: "memory" in domain ? domain.memory : { guest: "2Gi" },
    },
  } as VmiSpec;
}

/** Deep-merges `patch` into a copy of `base` (objects merged, everything else replaced; undefined deletes). */
export function edit<T>(base: T, patch: Record<string, unknown>): T {
  const out = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  merge(out, patch);
  return out as T;
}

function merge(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete target[k];
    else if (v && typeof v === "object" && !Array.isArray(v) && target[k] && typeof target[k] === "object") {
      merge(target[k] as Record<string, unknown>, v as Record<string, unknown>);
    } else target[k] = v;
  }
}

/** Edits spec.template.spec. */
export function tmpl(base: VirtualMachine, patch: Record<string, unknown>): VirtualMachine {
  return edit(base, { spec: { template: { spec: patch } } });
}

export interface VmiOptions {
  readonly maxSockets?: number;
  readonly maxGuest?: string;
  readonly migratable?: boolean;
  readonly conditions?: { type: string; status: "True" | "False" }[];
  readonly migrating?: boolean;
  readonly guestAtBoot?: string;
  readonly evictionStrategy?: string;
}

/** A running VMI for `vm`, as KubeVirt would have booted it, with explicit hotplug limits. */
export function vmiFor(v: VirtualMachine, o: VmiOptions = {}): VirtualMachineInstance {
  const spec = JSON.parse(JSON.stringify(v.spec.template.spec ?? {})) as VmiSpec;
  spec.architecture ??= "amd64";
  const domain = (spec.domain ??= {});
  if (o.maxSockets !== undefined) domain.cpu = { ...(domain.cpu ?? {}), maxSockets: o.maxSockets };
  if (o.maxGuest !== undefined) domain.memory = { ...(domain.memory ?? {}), maxGuest: o.maxGuest };
  if (o.evictionStrategy) spec.evictionStrategy = o.evictionStrategy;
  const guest = domain.memory?.guest;
  const cpu = domain.cpu ?? {};
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachineInstance",
    metadata: { name: "vm1", namespace: "default" },
    spec,
    status: {
      phase: "Running",
      conditions: [
        { type: "Ready", status: "True" },
        { type: "LiveMigratable", status: o.migratable === false ? "False" : "True" },
        ...(o.conditions ?? []),
      ],
      currentCPUTopology: { sockets: cpu.sockets ?? 1, cores: cpu.cores ?? 1, threads: cpu.threads ?? 1 },
      ...(guest !== undefined
        ? { memory: { guestAtBoot: o.guestAtBoot ?? guest, guestCurrent: guest, guestRequested: guest } }
        : {}),
      ...(o.migrating ? { migrationState: { startTimestamp: "2026-01-01T00:00:00Z" } } : {}),
    },
  } as VirtualMachineInstance;
}

export interface KvOptions {
  readonly rollout?: "Stage" | "LiveUpdate";
  readonly gates?: string[];
  readonly methods?: ("LiveMigrate" | "Evict")[];
  readonly evictionStrategy?: string;
  readonly live?: Record<string, unknown>;
  readonly disabledGates?: string[];
}

/** A KubeVirt CR; methods default to [LiveMigrate]. */
export function kv(o: KvOptions = {}): KubeVirt {
  return {
    apiVersion: "kubevirt.io/v1",
    kind: "KubeVirt",
    spec: {
      configuration: {
        ...(o.rollout ? { vmRolloutStrategy: o.rollout } : {}),
        developerConfiguration: { featureGates: o.gates ?? [], disabledFeatureGates: o.disabledGates ?? [] },
        ...(o.live ? { liveUpdateConfiguration: o.live } : {}),
        ...(o.evictionStrategy ? { evictionStrategy: o.evictionStrategy } : {}),
      },
      workloadUpdateStrategy: { workloadUpdateMethods: o.methods ?? ["LiveMigrate"] },
    },
  } as KubeVirt;
}

/** The live-update settings each version needs (rules §4.2). */
export function liveKv(version: string, o: KvOptions = {}): KubeVirt {
  const minor = Number(version.split(".")[1]);
  return kv({
    rollout: minor >= 2 ? "LiveUpdate" : undefined,
    gates: minor <= 4 ? ["VMLiveUpdateFeatures"] : [],
    ...o,
  });
}

export function plan(input: PlanInput): VirtualMachinePlan {
  return planVirtualMachineUpdate(input);
}

export function changeAt(p: VirtualMachinePlan, path: string): PlannedChange {
  const c = p.changes.find((x) => x.path === path);
  if (!c) throw new Error(`no change at ${path}; changes: ${p.changes.map((x) => x.path).join(", ")}`);
  return c;
}

export const SOCKETS = "spec.template.spec.domain.cpu.sockets";
export const GUEST = "spec.template.spec.domain.memory.guest";
