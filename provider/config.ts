import { isUnknown } from "./properties";

/**
 * The provider configuration (`livevm:*` config keys, or the arguments of an explicit
 * `new livevm.Provider(...)`), in the style of pulumi-kubernetes: where the cluster is and how long to wait.
 */

export const RESTART_POLICIES = ["restart", "warn", "fail"] as const;
export type RestartPolicy = (typeof RESTART_POLICIES)[number];

export interface Timeouts {
  /** seconds to wait for a created VM to run (per runStrategy) */
  readonly create: number;
  /** seconds to wait for a live update (hotplug, migration) or a restart to finish */
  readonly update: number;
  /** seconds to wait for the VM and its VMI to be gone */
  readonly delete: number;
}

export interface ProviderConfig {
  /**
   * kubeconfig file path or content (YAML/JSON). Secret: never logged, never in errors, never in state
   * in plain text. Absent: $KUBECONFIG, then ~/.kube/config, then in-cluster service account.
   */
  readonly kubeconfig?: string;
  /** kubeconfig context to use (default: the kubeconfig's current-context) */
  readonly context?: string;
  /** namespace for resources whose metadata.namespace is unset (default: the context's, then "default") */
  readonly namespace?: string;
  /** namespace holding the KubeVirt CR (default "kubevirt") */
  readonly kubevirtNamespace: string;
  /** default for resources that do not set onRestartRequired */
  readonly onRestartRequired: RestartPolicy;
  readonly timeouts: Timeouts;
  /** every configuration value by key (without the `livevm:config:` prefix), for resource types' own keys */
  readonly values: Readonly<Record<string, unknown>>;
  /** true when some configuration value is unknown (preview before a dependency exists) */
  readonly hasUnknowns: boolean;
}

export const DEFAULT_TIMEOUTS: Timeouts = { create: 600, update: 900, delete: 600 };

export const DEFAULT_CONFIG: ProviderConfig = {
  kubevirtNamespace: "kubevirt",
  onRestartRequired: "warn",
  timeouts: DEFAULT_TIMEOUTS,
  values: {},
  hasUnknowns: false,
};

export interface ConfigProblem {
  readonly key: string;
  readonly reason: string;
}

/** Configuration keys this provider knows, with their schema (package schema `config.variables`). */
export const CONFIG_SCHEMA: Readonly<Record<string, unknown>> = {
  kubeconfig: {
    type: "string",
    secret: true,
    description:
      "The contents of a kubeconfig file or the path to one. If unset, $KUBECONFIG, ~/.kube/config and then the in-cluster service account are used.",
  },
  context: { type: "string", description: "The kubeconfig context to use (default: its current-context)." },
  namespace: {
    type: "string",
    description: "Namespace for VirtualMachines whose metadata.namespace is unset (default: the context's namespace).",
  },
  kubevirtNamespace: {
    type: "string",
    description: 'Namespace of the KubeVirt custom resource (default "kubevirt").',
  },
  onRestartRequired: {
    type: "string",
    description:
      'What to do when a change needs a VM restart: "restart" restarts the VM, "warn" (default) leaves it RestartRequired and warns, "fail" fails the preview.',
  },
  timeouts: {
    $ref: "#/types/livevm:index:Timeouts",
    description: "Seconds to wait for create, update and delete (defaults 600, 900, 600).",
  },
};

/** Config values arrive as strings in the variables map (JSON for non-strings); args carry typed values. */
function coerce(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

function positiveSeconds(v: unknown): number | undefined {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Validates raw configuration values. Returns problems naming the key; never echoes the kubeconfig.
 */
export function checkConfig(raw: Readonly<Record<string, unknown>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const key of ["kubeconfig", "context", "namespace", "kubevirtNamespace"]) {
    const v = raw[key];
    if (v !== undefined && v !== null && !isUnknown(v) && typeof v !== "string")
      problems.push({ key, reason: `expected a string, got ${typeof v}` });
  }
  const policy = raw["onRestartRequired"];
  if (policy !== undefined && policy !== null && !isUnknown(policy)) {
    if (typeof policy !== "string" || !(RESTART_POLICIES as readonly string[]).includes(policy))
      problems.push({
        key: "onRestartRequired",
        reason: `expected one of ${RESTART_POLICIES.map((p) => `"${p}"`).join(", ")}, got ${JSON.stringify(policy)}`,
      });
  }
  const timeouts = coerce(raw["timeouts"]);
  if (timeouts !== undefined && timeouts !== null && !isUnknown(timeouts)) {
    if (typeof timeouts !== "object" || Array.isArray(timeouts))
      problems.push({ key: "timeouts", reason: "expected an object {create, update, delete} in seconds" });
    else
      for (const [k, v] of Object.entries(timeouts)) {
        if (!["create", "update", "delete"].includes(k))
          problems.push({ key: `timeouts.${k}`, reason: "unknown timeout; expected create, update or delete" });
        else if (!isUnknown(v) && positiveSeconds(v) === undefined)
          problems.push({
            key: `timeouts.${k}`,
            reason: `expected a positive number of seconds, got ${JSON.stringify(v)}`,
          });
      }
  }
  return problems;
}

/** Strips the `livevm:config:` prefix the engine puts on variables. */
export function configKey(name: string): string {
  const m = /^livevm:(?:config:)?(.+)$/.exec(name);
  return m ? m[1]! : name;
}

/** Builds the resolved configuration from raw values (already checked). */
export function resolveConfig(raw: Readonly<Record<string, unknown>>): ProviderConfig {
  const str = (k: string): string | undefined => {
    const v = raw[k];
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const hasUnknowns = Object.values(raw).some(isUnknown);
  const t = coerce(raw["timeouts"]);
  const tObj = t && typeof t === "object" && !Array.isArray(t) ? (t as Record<string, unknown>) : {};
  const policy = str("onRestartRequired");
  return {
    ...(str("kubeconfig") !== undefined ? { kubeconfig: str("kubeconfig") } : {}),
    ...(str("context") !== undefined ? { context: str("context") } : {}),
    ...(str("namespace") !== undefined ? { namespace: str("namespace") } : {}),
    kubevirtNamespace: str("kubevirtNamespace") ?? DEFAULT_CONFIG.kubevirtNamespace,
    onRestartRequired: (RESTART_POLICIES as readonly string[]).includes(policy ?? "")
      ? (policy as RestartPolicy)
      : DEFAULT_CONFIG.onRestartRequired,
    timeouts: {
      create: positiveSeconds(tObj["create"]) ?? DEFAULT_TIMEOUTS.create,
      update: positiveSeconds(tObj["update"]) ?? DEFAULT_TIMEOUTS.update,
      delete: positiveSeconds(tObj["delete"]) ?? DEFAULT_TIMEOUTS.delete,
    },
    values: raw,
    hasUnknowns,
  };
}
