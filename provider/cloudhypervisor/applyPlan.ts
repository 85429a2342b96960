import type { RestartPolicy } from "../config";
import {
  ledgerAfterAcpiResize,
  ledgerAtBoot,
  type MemoryHotplugLedger,
} from "../../core/cloudhypervisor/memoryHotplugLedger";
import type { ApiCall, CloudHypervisorChange, CloudHypervisorPlan } from "../../core/cloudhypervisor/plan";
import type { VmConfig } from "../../core/cloudhypervisor/schema/vmConfig";
import { DEVICE_KINDS } from "../../core/cloudhypervisor/deviceKinds";
import type { CloudHypervisorClient } from "./client";

export interface ApplyProgress {
  log(severity: "info" | "warning", message: string): void;
  status(message: string): void;
}

export interface ApplyResult {
  readonly ledger: MemoryHotplugLedger;
  /** changes that were not applied because the policy is "warn" (they wait for a restart or a recreate) */
  readonly pending: readonly CloudHypervisorChange[];
  /** what livevm did to the VM, in order */
  readonly steps: readonly string[];
}

/** Thrown when a step fails after earlier steps changed the VM. */
export class ApplyError extends Error {
  constructor(
    message: string,
    readonly steps: readonly string[],
    readonly ledger: MemoryHotplugLedger,
  ) {
    super(message);
    this.name = "ApplyError";
  }
}

/**
 * Carries out a plan on the VM behind `client`, in the plan's safe order. The caller has already refused
 * rejected plans and applied the "fail" policy. With "restart", changes that need the guest restarted are
 * applied (vm.reboot; or vm.shutdown, the cold requests, vm.boot; or the VM recreated from `after`); with
 * "warn" they are left pending and each one is reported.
 */
export async function applyPlan(
  client: CloudHypervisorClient,
  plan: CloudHypervisorPlan,
  before: VmConfig,
  after: VmConfig,
  policy: RestartPolicy,
  ledgerBefore: MemoryHotplugLedger,
  progress: ApplyProgress,
): Promise<ApplyResult> {
  let ledger = ledgerBefore;
  const steps: string[] = [];
  const run = async (label: string, action: () => Promise<unknown>) => {
    progress.status(label);
    try {
      await action();
    } catch (error) {
      const done = steps.length > 0 ? ` (already done: ${steps.join("; ")})` : "";
      throw new ApplyError(`${label} failed: ${(error as Error).message}${done}`, steps, ledger);
    }
    steps.push(label);
  };
  const disruptive = plan.changes.filter((c) => c.apply === "reboot" || c.apply === "cold" || c.apply === "recreate");
  const restart = policy === "restart";

  if (plan.disruption === "recreate" && (restart || !plan.running)) {
    const wasRunning = plan.running;
    if (wasRunning) await run("vm.shutdown", () => client.shutdown());
    await run("vm.delete", () => client.delete());
    try {
      await run("vm.create", () => client.create(after));
      if (wasRunning) await run("vm.boot", () => client.boot());
    } catch (error) {
      // nothing half-applied: put the VM back as it was before reporting the failure
      progress.log("warning", `recreating the VM failed; restoring its previous config: ${(error as Error).message}`);
      try {
        await client.delete();
        await client.create(before);
        if (wasRunning) await client.boot();
      } catch (restoreError) {
        throw new ApplyError(
          `${(error as Error).message}; restoring the previous config failed too: ${(restoreError as Error).message}`,
          steps,
          ledger,
        );
      }
      throw new ApplyError(
        `${(error as Error).message}; the VM was restored with its previous config`,
        [...steps, "vm.delete", "vm.create (previous config)", ...(wasRunning ? ["vm.boot"] : [])],
        ledgerAtBoot(before),
      );
    }
    if (wasRunning) ledger = ledgerAtBoot(after);
    return { ledger, pending: [], steps };
  }

  for (const call of plan.calls) {
    await run(describeCall(call), () => sendCall(client, call, plan.running));
    if (plan.running && call.endpoint === "vm.resize" && typeof call.body?.desired_ram === "bigint") {
      if ((after.memory?.hotplug_method ?? "Acpi") === "Acpi")
        ledger = ledgerAfterAcpiResize(ledger, call.body.desired_ram);
    }
  }

  if (!plan.running || plan.disruption === "none") return { ledger, pending: [], steps };
  if (!restart) {
    for (const change of disruptive) {
      progress.log(
        "warning",
        `${change.path}: not applied until the VM ${change.apply === "recreate" ? "is recreated" : "restarts"}: ${change.reason}`,
      );
    }
    return { ledger, pending: disruptive, steps };
  }
  if (plan.disruption === "reboot") {
    await run("vm.reboot", () => client.reboot());
  } else {
    await run("vm.shutdown", () => client.shutdown());
    for (const call of plan.coldCalls) await run(describeCall(call), () => sendCall(client, call, false));
    await run("vm.boot", () => client.boot());
  }
  const info = await client.info();
  ledger = ledgerAtBoot(info.config);
  return { ledger, pending: [], steps };
}

function describeCall(call: ApiCall): string {
  const body = call.body ? Object.entries(call.body).map(([k, v]) => `${k}=${describeValue(k, v)}`) : [];
  return `${call.endpoint}${body.length ? ` ${body.join(" ")}` : ""}`;
}

function describeValue(key: string, value: unknown): string {
  if (key !== "id" && typeof value === "object") return "{…}";
  return String(value);
}

async function sendCall(client: CloudHypervisorClient, call: ApiCall, running: boolean): Promise<void> {
  const body = call.body ?? {};
  switch (call.endpoint) {
    case "vm.resize": {
      const request = {
        desiredVcpus: typeof body.desired_vcpus === "number" ? body.desired_vcpus : undefined,
        desiredRam: typeof body.desired_ram === "bigint" ? body.desired_ram : undefined,
        desiredBalloon: typeof body.desired_balloon === "bigint" ? body.desired_balloon : undefined,
      };
      // on a running VM, re-read what Cloud Hypervisor already asks for: a retried update must not repeat a
      // virtio-mem size (500 "identical"); on a stopped VM the stored config is simply overwritten
      if (running) await client.resizeIfChanged(request);
      else await client.resize(request);
      return;
    }
    case "vm.resize-zone":
      await client.resizeZone(String(body.id), body.desired_ram as bigint);
      return;
    case "vm.remove-device":
      await client.removeDevice(String(body.id));
      return;
    default: {
      const kind = DEVICE_KINDS.find((k) => k.addEndpoint === call.endpoint);
      if (!kind) throw new Error(`livevm does not know how to send ${call.endpoint}`);
      await client.addDevice(kind.key, body);
    }
  }
}
