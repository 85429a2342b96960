import type { VmiSpec } from "../schema/common";

type Iface = NonNullable<NonNullable<NonNullable<VmiSpec["domain"]>["devices"]>["interfaces"]>[number];
type Network = NonNullable<VmiSpec["networks"]>[number];

function index<T extends { name: string }>(list: readonly T[] | undefined): Map<string, T> {
  const m = new Map<string, T>();
  for (const item of list ?? []) m.set(item.name, item);
  return m;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  // the fields set (not undefined) on both sides are the same and hold equal values
  let defined = 0;
  for (const k of Object.keys(ao)) {
    if (ao[k] === undefined) continue;
    defined++;
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  for (const k of Object.keys(bo)) if (bo[k] !== undefined) defined--;
  return defined === 0;
}

function hasPodNetwork(nets: readonly Network[] | undefined): boolean {
  return (nets ?? []).some((n) => n.pod != null);
}

function withoutState(i: Iface | undefined): unknown {
  if (!i) return {};
  const { state: _state, ...rest } = i;
  return rest;
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
  const desiredIfaces = index(desired.domain?.devices?.interfaces);
  const currentIfaces = index(current.domain?.devices?.interfaces);
  for (const [name, iface] of currentIfaces) {
    const d = desiredIfaces.get(name);
    if (!d) return `interface ${name} was removed without going through state: absent`;
    if (!deepEqual(withoutState(d), withoutState(iface))) return `interface ${name} changed (only its state is live)`;
  }
  if (podNetworkAddRestart && hasPodNetwork(desired.networks) && !hasPodNetwork(current.networks))
    return "the pod network was added";
  const desiredNets = index(desired.networks);
  for (const [name, net] of index(current.networks)) {
    const d = desiredNets.get(name);
    if (!d) return `network ${name} was removed without going through state: absent`;
    const equal = ignoreNadName ? deepEqual(withoutNadName(d), withoutNadName(net)) : deepEqual(d, net);
    if (!equal) return `network ${name} changed`;
  }
  return undefined;
}
