import type { VmiSpec } from "../schema/common";
import * as namedListsModule from "./namedLists";

// tsx compiles each imported name to a getter read on every use; this hot path binds them once (see planner/diff.ts).
const { sameNamesInOrder } = namedListsModule;

type Iface = NonNullable<NonNullable<NonNullable<VmiSpec["domain"]>["devices"]>["interfaces"]>[number];
type Network = NonNullable<VmiSpec["networks"]>[number];

function index<T extends { name: string }>(list: readonly T[] | undefined): Map<string, T> {
  const m = new Map<string, T>();
  for (const item of list ?? []) m.set(item.name, item);
  return m;
}

/** Equal values, where a field set to undefined counts as absent; `ignored` names a top-level field left out. */
function deepEqual(a: unknown, b: unknown, ignored?: string): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // the fields set (not undefined) on both sides are the same and hold equal values
  let defined = 0;
  for (const k of Object.keys(ao)) {
    if (ao[k] === undefined || k === ignored) continue;
    defined++;
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  for (const k of Object.keys(bo)) if (bo[k] !== undefined && k !== ignored) defined--;
  return defined === 0;
}

function hasPodNetwork(nets: readonly Network[] | undefined): boolean {
  return (nets ?? []).some((n) => n.pod != null);
}

function withoutNadName(n: Network | undefined): unknown {
  if (!n) return {};
  if (!n.multus) return n;
  const { networkName: _networkName, ...multus } = n.multus;
  return { ...n, multus };
}

/**
 * `pkg/network/vmliveupdate/restart.go:IsRestartRequired` (v1.6+): compares the VM template with the VMI
 * spec. Returns the reason a restart is required, or undefined when the network change is live (hotplug of
 * new interfaces, `state` changes, reordering; NAD name changes when `ignoreNadName`). Adding the pod network
 * gives RR from v1.8 (`podNetworkAddRestart`).
 */
export function networkRestartReason(
  desired: VmiSpec,
  current: VmiSpec,
  ignoreNadName: boolean,
  podNetworkAddRestart: boolean,
): string | undefined {
  const desiredIfaces = desired.domain?.devices?.interfaces ?? [];
  const currentIfaces = current.domain?.devices?.interfaces ?? [];
  const problem = sameNamesInOrder(currentIfaces, desiredIfaces)
    ? changedInterface(currentIfaces, desiredIfaces)
    : removedOrChangedInterface(index(currentIfaces), index(desiredIfaces));
  if (problem) return problem;
  if (podNetworkAddRestart && hasPodNetwork(desired.networks) && !hasPodNetwork(current.networks))
    return "the pod network was added";
  const desiredNets = desired.networks ?? [];
  const currentNets = current.networks ?? [];
  if (sameNamesInOrder(currentNets, desiredNets)) {
    for (let i = 0; i < currentNets.length; i++) {
      if (!sameNetwork(desiredNets[i]!, currentNets[i]!, ignoreNadName))
        return `network ${currentNets[i]!.name} changed`;
    }
    return undefined;
  }
  const desiredByName = index(desiredNets);
  for (const [name, net] of index(currentNets)) {
    const d = desiredByName.get(name);
    if (!d) return `network ${name} was removed without going through state: absent`;
    if (!sameNetwork(d, net, ignoreNadName)) return `network ${name} changed`;
  }
  return undefined;
}

/** Interfaces paired by position (the same names in the same order): the first that changed beyond its state. */
function changedInterface(current: readonly Iface[], desired: readonly Iface[]): string | undefined {
  for (let i = 0; i < current.length; i++) {
    if (!deepEqual(desired[i], current[i], "state"))
      return `interface ${current[i]!.name} changed (only its state is live)`;
  }
  return undefined;
}

/** Interfaces paired by name: the first of the VMI's that is gone from the VM, or changed beyond its state. */
function removedOrChangedInterface(current: Map<string, Iface>, desired: Map<string, Iface>): string | undefined {
  for (const [name, iface] of current) {
    const d = desired.get(name);
    if (!d) return `interface ${name} was removed without going through state: absent`;
    if (!deepEqual(d, iface, "state")) return `interface ${name} changed (only its state is live)`;
  }
  return undefined;
}

function sameNetwork(desired: Network, current: Network, ignoreNadName: boolean): boolean {
  return ignoreNadName ? deepEqual(withoutNadName(desired), withoutNadName(current)) : deepEqual(desired, current);
}
