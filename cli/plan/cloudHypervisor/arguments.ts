import type { Architecture } from "../../../core/cloudhypervisor/limits";
import type { VmState } from "../../../core/cloudhypervisor/plan";

export const OUTPUT_FORMATS = ["table", "json", "markdown"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const FAIL_ON = ["restart", "rejected", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];
const STATES = ["Created", "Running", "Paused", "Shutdown"] as const;
const ARCHES = ["x86_64", "aarch64", "riscv64"] as const;

export interface CloudHypervisorPlanArguments {
  readonly help: boolean;
  readonly before?: string;
  readonly after?: string;
  readonly output: OutputFormat;
  readonly failOn: FailOn;
  readonly state?: VmState;
  readonly arch: Architecture;
}

export class CloudHypervisorUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CloudHypervisorUsageError";
  }
}

const VALUE_FLAGS = new Set(["--before", "--after", "--output", "--fail-on", "--state", "--arch"]);
const SHORT: Record<string, string> = { "-o": "--output", "-h": "--help" };

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CloudHypervisorUsageError(`${flag} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Parses the arguments of `livevm plan --cloud-hypervisor` (the flag itself is accepted and ignored). */
export function parseCloudHypervisorPlanArguments(argv: readonly string[]): CloudHypervisorPlanArguments {
  const values = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    if (raw === "--cloud-hypervisor") continue;
    if (!raw.startsWith("-") || raw === "-")
      throw new CloudHypervisorUsageError(`unexpected argument ${JSON.stringify(raw)}`);
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const flag = SHORT[eq > 0 ? raw.slice(0, eq) : raw] ?? (eq > 0 ? raw.slice(0, eq) : raw);
    if (flag === "--help") {
      help = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) throw new CloudHypervisorUsageError(`unknown option ${raw}`);
    let value: string;
    if (eq > 0) value = raw.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("-") && next !== "-"))
        throw new CloudHypervisorUsageError(`${flag} needs a value`);
      value = next;
      i++;
    }
    if (value === "") throw new CloudHypervisorUsageError(`${flag} needs a non-empty value`);
    if (values.has(flag)) throw new CloudHypervisorUsageError(`${flag} given twice`);
    values.set(flag, value);
  }
  const before = values.get("--before");
  const after = values.get("--after");
  if (!help) {
    if (after === undefined) throw new CloudHypervisorUsageError("--after <config.json|yaml> is required");
    if (before === undefined) throw new CloudHypervisorUsageError("--before <config.json|yaml> is required");
    if (before === "-" && after === "-")
      throw new CloudHypervisorUsageError("only one of --before and --after can read standard input");
  }
  const state = values.get("--state");
  return {
    help,
    before,
    after,
    output: oneOf("--output", values.get("--output") ?? "table", OUTPUT_FORMATS),
    failOn: oneOf("--fail-on", values.get("--fail-on") ?? "restart", FAIL_ON),
    ...(state ? { state: oneOf("--state", state, STATES) } : {}),
    arch: oneOf("--arch", values.get("--arch") ?? "x86_64", ARCHES),
  };
}

export const CLOUD_HYPERVISOR_PLAN_USAGE = `usage: livevm plan --cloud-hypervisor --before <config|-> --after <config|-> [options]

Classifies every change between two Cloud Hypervisor VM configs: applies live (vm.resize, device
hotplug), needs a restart (ACPI memory shrink; vCPUs on aarch64), needs the VM recreated (max_vcpus,
hotplug_size, hotplug_method, virtio-mem boot size, ...; shown as restart), or is refused by Cloud
Hypervisor (rejected), and lists the API requests that apply it in a safe order.

inputs:
  --before <file|->              the VM as it is: a VmConfig (JSON or YAML), or the output of
                                 \`ch-remote info\` / GET vm.info ({config, state, ...})
  --after <file|->               the desired VmConfig (sizes as bytes or "512M"/"2G")
  --state Running|Created|Paused|Shutdown
                                 the VM's state (default: vm.info's state, else Running)
  --arch x86_64|aarch64|riscv64  the host architecture (default x86_64; vCPU hotplug is x86_64-only)

output:
  --output table|json|markdown   default: table
  --fail-on restart|rejected|never
                                 which outcomes give a non-zero exit (default: restart)

exit codes:
  0  nothing disruptive (or below --fail-on)
  1  bad input (nothing is planned)
  2  usage error
  3  a restart (or recreate) is needed
  4  a change would be rejected
`;
