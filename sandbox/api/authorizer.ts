import { ApiError, qualifiedResource } from "./status";

/**
 * RBAC for the sandbox's one user (the kubeconfig's token): an allow-list of PolicyRules as a Role or
 * ClusterRole holds them. A request no rule allows gets the API server's own 403 Forbidden Status,
 * worded as kube-apiserver words it (verb, resource/subresource, API group, namespace or cluster scope).
 * Discovery (/version, /api, /apis, /openapi) is always allowed, as system:discovery allows it.
 */

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** names the rule is limited to (empty or absent: every name) */
  readonly resourceNames?: readonly string[];
}

export interface SandboxRbac {
  /** the user the 403 message names (default "system:serviceaccount:livevm-system:livevm-provider") */
  readonly user?: string;
  readonly rules: readonly PolicyRule[];
}

export interface RequestAttributes {
  /** get, list, watch, create, update, patch, delete, deletecollection */
  readonly verb: string;
  readonly apiGroup: string;
  /** plural, e.g. "virtualmachines" */
  readonly resource: string;
  /** e.g. "status", "restart" */
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export const DEFAULT_RBAC_USER = "system:serviceaccount:livevm-system:livevm-provider";

/** The request's RBAC verb, as kube-apiserver derives it from the method and the URL. */
export function requestVerb(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

export function checkRbacRules(rbac: SandboxRbac): void {
  rbac.rules.forEach((r, i) => {
    for (const key of ["apiGroups", "resources", "verbs"] as const) {
      if (!Array.isArray(r[key]) || r[key].some((v) => typeof v !== "string"))
        throw new Error(`sandbox rbac.rules[${i}].${key} must be a list of strings`);
    }
  });
}

function matches(list: readonly string[], value: string): boolean {
  return list.includes("*") || list.includes(value);
}

/** Whether a rule allows the request (RBAC's rule resolution: group, resource[/subresource], verb, name). */
export function allows(rule: PolicyRule, a: RequestAttributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  if (!matches(rule.apiGroups, a.apiGroup) || !matches(rule.verbs, a.verb)) return false;
  if (!(rule.resources.includes("*") || rule.resources.includes(resource))) return false;
  if (rule.resourceNames && rule.resourceNames.length > 0) {
    // like RBAC: resourceNames never allow list/watch/create of a collection
    if (!a.name || !rule.resourceNames.includes(a.name)) return false;
  }
  return true;
}

/** Throws kube-apiserver's 403 Forbidden when no rule allows the request. */
export function authorize(rbac: SandboxRbac, a: RequestAttributes): void {
  if (rbac.rules.some((r) => allows(r, a))) return;
  const user = rbac.user ?? DEFAULT_RBAC_USER;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : "at the cluster scope";
  const why = `User ${JSON.stringify(user)} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)} ${scope}`;
  const qualified = qualifiedResource(a.apiGroup, a.resource);
  const message = a.name
    ? `${qualified} ${JSON.stringify(a.name)} is forbidden: ${why}`
    : `${qualified} is forbidden: ${why}`;
  throw new ApiError(403, "Forbidden", message, {
    ...(a.name ? { name: a.name } : {}),
    group: a.apiGroup,
    kind: a.resource,
  });
}
