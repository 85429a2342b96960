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
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
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
  const podIn = (nets: readonly Network[] | undefined) => (nets ?? []).some((n) => n.pod != null);
  if (podNetworkAddRestart && podIn(desired.networks) && !podIn(current.networks)) return "the pod network was added";
  const desiredNets = index(desired.networks);
  for (const [name, net] of index(current.networks)) {
    const d = desiredNets.get(name);
    if (!d) return `network ${name} was removed without going through state: absent`;
    const equal = ignoreNadName ? deepEqual(withoutNadName(d), withoutNadName(net)) : deepEqual(d, net);
    if (!equal) return `network ${name} changed`;
  }
  return undefined;
}
