import type { AdmissionCause } from "../../core/kubevirt/plan";

/**
 * Admission causes without repeats: under LiveUpdate KubeVirt reports "sockets > maxSockets" twice (the VM
 * rule and the VMI rule); JSON keeps KubeVirt's list as is, the human outputs show each cause once.
 */
export function distinctCauses(causes: readonly AdmissionCause[] | undefined): AdmissionCause[] {
  const seen = new Set<string>();
  return (causes ?? []).filter((c) => {
    const key = `${c.field}\u0000${c.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
