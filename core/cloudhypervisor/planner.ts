import { worstOutcome } from "../kubevirt/plan";
import { configProblems } from "./configProblems";
import { ledgerAtBoot } from "./memoryHotplugLedger";
import type { CloudHypervisorChange, CloudHypervisorPlan, CloudHypervisorPlanInput, Disruption } from "./plan";
import { planBalloon } from "./planBalloon";
import type { PartialPlan, PlanContext } from "./planContext";
import { planCpus } from "./planCpus";
import { planDevices } from "./planDevices";
import { planMemory } from "./planMemory";
import { planOtherFields } from "./planOtherFields";

const DISRUPTION_OF_APPLY: Partial<Record<CloudHypervisorChange["apply"], Disruption>> = {
  reboot: "reboot",
  cold: "cold",
  recreate: "recreate",
};
const DISRUPTION_ORDER: readonly Disruption[] = ["none", "reboot", "cold", "recreate"];

/**
 * Plans changing a Cloud Hypervisor VM from `before` (the config it holds) to `after`: per changed field,
 * whether Cloud Hypervisor applies it live, only after a reboot, only by recreating the VM, or refuses it,
 * and the API requests that apply it in a safe order. Pure: no I/O.
 */
export function planCloudHypervisorUpdate(input: CloudHypervisorPlanInput): CloudHypervisorPlan {
  const state = input.state ?? "Running";
  const running = state === "Running" || state === "Paused";
  const arch = input.arch ?? "x86_64";
  const messages: string[] = [];
  const problems = configProblems(input.after, arch, input.before).map((p): CloudHypervisorChange => ({
    path: p.path,
    before: null,
    after: null,
    outcome: "rejected",
    apply: "rejected",
    reason: p.message,
  }));

  const before = input.before;
  if (!before) {
    messages.push("the VM does not exist yet: livevm creates it (vm.create) and boots it (vm.boot)");
    return finish(problems, [], [], "none", running, problems.length > 0 ? "rejected" : "staged", messages);
  }

  let ledger = input.ledger;
  if (!ledger) {
    ledger = ledgerAtBoot(before);
    if (running && (input.after.memory?.hotplug_method ?? before.memory?.hotplug_method ?? "Acpi") === "Acpi") {
      messages.push(
        "no record of ACPI memory hot-adds since the VM booted: assumed none (the guest has memory.size, all 8 ACPI slots free)",
      );
    }
  }
  const ctx: PlanContext = { running, arch, ledger, pendingEject: new Set(input.pendingEject ?? []) };
  const parts: PartialPlan[] = [
    planCpus(before, input.after, ctx),
    planMemory(before, input.after, ctx),
    planBalloon(before, input.after, ctx),
    planDevices(before, input.after, ctx),
    planOtherFields(before, input.after, ctx),
  ];
  // a path is reported once: the planner's own refusal (quoting Cloud Hypervisor's resize error) wins over
  // the config check's, and the config check's wins over any other outcome
  const planned = parts.flatMap((p) => p.changes);
  const refusedByPlanner = new Set(planned.filter((c) => c.outcome === "rejected").map((c) => c.path));
  const configRefusals = problems.filter((p) => !refusedByPlanner.has(p.path));
  const refused = new Set(configRefusals.map((p) => p.path));
  const changes = [...configRefusals, ...planned.filter((c) => c.outcome === "rejected" || !refused.has(c.path))];
  messages.push(...parts.flatMap((p) => p.messages));
  if (arch !== "x86_64" && running && changes.some((c) => c.path === "cpus.boot_vcpus" && c.apply === "cold")) {
    messages.push(`vCPU hotplug is x86_64-only; on ${arch} a vCPU change restarts the guest`);
  }
  const calls = parts
    .flatMap((p) => p.calls)
    .sort((x, y) => x.phase - y.phase)
    .map((p) => p.call);
  const coldCalls = parts.flatMap((p) => p.coldCalls);
  let disruption: Disruption = "none";
  for (const change of changes) {
    const d = DISRUPTION_OF_APPLY[change.apply];
    if (d && DISRUPTION_ORDER.indexOf(d) > DISRUPTION_ORDER.indexOf(disruption)) disruption = d;
  }
  if (!running && disruption !== "recreate") disruption = "none";
  return finish(changes, calls, coldCalls, disruption, running, worstOutcome(changes.map((c) => c.outcome)), messages);
}

function finish(
  changes: CloudHypervisorChange[],
  calls: CloudHypervisorPlan["calls"],
  coldCalls: CloudHypervisorPlan["coldCalls"],
  disruption: Disruption,
  running: boolean,
  outcome: CloudHypervisorPlan["outcome"],
  messages: string[],
): CloudHypervisorPlan {
  if (outcome === "rejected") {
    // nothing is half-applied: a plan with a refused change sends nothing
    messages.push("a change is refused: livevm sends no request until it is fixed");
    return { outcome, changes, messages, running, calls: [], coldCalls: [], disruption: "none" };
  }
  return { outcome, changes, messages, running, calls, coldCalls, disruption };
}
