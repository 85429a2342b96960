/** Command-line arguments of `livevm doctor`. */

export interface DoctorArgs {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly output: "table" | "json";
  readonly vms: readonly string[];
  readonly help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const DOCTOR_USAGE = `usage: livevm doctor [--kubeconfig FILE] [--context NAME] [--namespace NS] [--output table|json] [VM ...]

Checks a KubeVirt cluster, and the VMs in scope, for what keeps CPU and memory changes from being
applied live: KubeVirt version and CR settings (feature gate, rollout strategy, LiveMigrate), nodes
for a migration, CPU-manager labels for dedicated-CPU VMs, and per VM the booted maxSockets/maxGuest
headroom, LiveMigratable, an outstanding RestartRequired and the guest kernel (from the guest agent).

  --kubeconfig FILE   kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in-cluster)
  --context NAME      kubeconfig context (default: the current context)
  -n, --namespace NS  only VMs in NS (default: all namespaces; VM names resolve in the context's namespace)
  -o, --output FMT    table (default) or json
  VM                  VM names, or namespace/name; default: every VM in scope

exit status: 0 nothing blocks live updates, 3 something does, 1 the cluster could not be read, 2 usage`;

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  let kubeconfig: string | undefined;
  let context: string | undefined;
  let namespace: string | undefined;
  let output: "table" | "json" = "table";
  let help = false;
  const vms: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--kubeconfig":
        kubeconfig = value();
        break;
      case "--context":
        context = value();
        break;
      case "-n":
      case "--namespace":
        namespace = value();
        break;
      case "-o":
      case "--output": {
        const v = value();
        if (v !== "table" && v !== "json")
          throw new UsageError(`--output must be table or json, got ${JSON.stringify(v)}`);
        output = v;
        break;
      }
      case "-h":
      case "--help":
        help = true;
        break;
      default:
        if (arg.startsWith("-")) throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
        if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(arg)) {
          throw new UsageError(`${JSON.stringify(arg)} is not a VM name (expected name or namespace/name)`);
        }
        vms.push(arg);
    }
  }
  return {
    ...(kubeconfig !== undefined ? { kubeconfig } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    output,
    vms,
    help,
  };
}
