import * as jsonCloneModule from "../jsonClone";
import type { VmiSpec } from "../schema/common";
import type { VirtualMachine } from "../schema/virtualMachine";
import type { VirtualMachineInstance } from "../schema/virtualMachineInstance";
import * as semanticEqualModule from "./semanticEqual";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { cloneJson } = jsonCloneModule;
const { semanticEqual } = semanticEqualModule;

/**
 * Non-live template fields the VMI carries unchanged from the start spec (no defaults rewrite them once set):
 * when the running VMI shows a different value than `before`, the template was edited after the VM started.
 */
const VISIBLE_IN_VMI: readonly (readonly string[])[] = [
  ["domain", "cpu", "cores"],
  ["domain", "cpu", "threads"],
  ["domain", "cpu", "model"],
  ["domain", "cpu", "dedicatedCpuPlacement"],
  ["domain", "cpu", "isolateEmulatorThread"],
  ["domain", "memory", "hugepages"],
  ["hostname"],
];

function get(spec: unknown, path: readonly string[]): unknown {
  let v: unknown = spec;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function set(spec: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let o = spec;
  for (const k of path.slice(0, -1)) {
    const next = o[k];
    o = o[k] = next && typeof next === "object" ? (next as Record<string, unknown>) : {};
  }
  o[path[path.length - 1]!] = value;
}

/**
 * The spec the VMI started with (the controller's start revision `revision-start-vm-…`): `before`'s template,
 * except where the running VMI shows a different value for a non-live field (cores, threads, model, dedicated
 * CPUs, hugepages, hostname). That means the template changed after the start (a RestartRequired is pending) and
 * the VMI's value is the start value, so an update that reverts it is seen as a revert, as KubeVirt sees it.
 */
export function startSpecOf(
  before: VirtualMachine,
  vmi: VirtualMachineInstance | undefined,
  messages: string[],
): VmiSpec {
  const template: VmiSpec = before.spec.template.spec ?? {};
  if (!vmi) return template;
  const fixed: [string, unknown][] = [];
  // hostname is never defaulted: a VMI without one started from a template without one
  const addedHostname = template.hostname && !vmi.spec.hostname;
  for (const path of VISIBLE_IN_VMI) {
    const running = get(vmi.spec, path);
    const mine = get(template, path);
    // only a value the VMI states, and that the template also states, tells us anything
    if (running === undefined || running === null || running === "" || running === 0) continue;
    if (mine === undefined || mine === null || mine === "" || mine === 0) continue;
    if (!semanticEqual(mine, running, path[path.length - 1])) fixed.push([path.join("."), running]);
  }
  if (fixed.length === 0 && !addedHostname) return template;
  const start = cloneJson(template) as Record<string, unknown>;
  for (const [path, value] of fixed) set(start, path.split("."), cloneJson(value));
  if (fixed.length > 0) {
    messages.push(
      `the VMI runs with ${fixed.map(([p, v]) => `${p} ${JSON.stringify(v)}`).join(", ")}, which \`before\` no longer has: its template changed after the VM started (RestartRequired is pending); the VMI's values are taken as the start spec`,
    );
  }
  if (addedHostname) {
    delete start.hostname;
    messages.push(
      "the VMI runs without a hostname, which `before` sets: the hostname was added after the VM started (RestartRequired is pending); the start spec has none",
    );
  }
  return start as VmiSpec;
}
