import { planCloudHypervisorUpdate } from "../../core/cloudhypervisor/planner";
import type { Outcome } from "../../core/kubevirt/plan";
import { EXIT } from "../run";
import {
  CLOUD_HYPERVISOR_PLAN_USAGE,
  CloudHypervisorUsageError,
  parseCloudHypervisorPlanArguments,
  type FailOn,
} from "./cloudHypervisor/arguments";
import { CloudHypervisorInputError, readConfigSide } from "./cloudHypervisor/readConfig";
import { renderCloudHypervisorPlan } from "./cloudHypervisor/render";

export interface CloudHypervisorPlanIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
}

const PROCESS_IO: CloudHypervisorPlanIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** Same exit codes as `livevm plan`: 4 rejected, 3 restart (recreate included), else 0; --fail-on lowers them. */
function exitCodeFor(worst: Outcome, failOn: FailOn): number {
  if (failOn === "never") return EXIT.ok;
  if (worst === "rejected") return EXIT.rejected;
  if (failOn === "restart" && (worst === "restart" || worst === "stuck")) return EXIT.restart;
  return EXIT.ok;
}

/**
 * `livevm plan --cloud-hypervisor --before <config> --after <config>`: the Cloud Hypervisor planner over two
 * VmConfig files (or vm.info output for --before). Returns the exit code.
 */
export async function runCloudHypervisorPlan(argv: string[], io: CloudHypervisorPlanIo = PROCESS_IO): Promise<number> {
  let args;
  try {
    args = parseCloudHypervisorPlanArguments(argv);
  } catch (error) {
    if (!(error instanceof CloudHypervisorUsageError)) throw error;
    io.stderr(`livevm plan: ${error.message}\n\n${CLOUD_HYPERVISOR_PLAN_USAGE}`);
    return EXIT.usage;
  }
  if (args.help) {
    io.stdout(CLOUD_HYPERVISOR_PLAN_USAGE);
    return EXIT.ok;
  }
  try {
    const before = await readConfigSide(args.before!, "before", io.readStdin);
    const after = await readConfigSide(args.after!, "after", io.readStdin);
    const plan = planCloudHypervisorUpdate({
      before: before.config,
      after: after.config,
      state: args.state ?? before.state ?? "Running",
      arch: args.arch,
    });
    io.stdout(renderCloudHypervisorPlan(plan, args.output));
    return exitCodeFor(plan.outcome, args.failOn);
  } catch (error) {
    if (error instanceof CloudHypervisorInputError) {
      io.stderr(`livevm plan: ${error.message}\n`);
      return EXIT.error;
    }
    throw error;
  }
}
