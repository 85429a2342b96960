import { RESTART_POLICIES, type RestartPolicy } from "../config";
import { containsUnknown, UNKNOWN } from "../properties";
import {
  PartialFailure,
  type CheckFailure,
  type PropertyDiff,
  type PropertyMap,
  type ResourceContext,
  type ResourceHandler,
} from "./resource";
import { configProblems } from "../../core/cloudhypervisor/configProblems";
import { ledgerAtBoot, type MemoryHotplugLedger } from "../../core/cloudhypervisor/memoryHotplugLedger";
import type { Architecture } from "../../core/cloudhypervisor/limits";
import type { CloudHypervisorChange, CloudHypervisorPlan, VmState } from "../../core/cloudhypervisor/plan";
import { planCloudHypervisorUpdate } from "../../core/cloudhypervisor/planner";
import { parseVmConfig, type VmConfig } from "../../core/cloudhypervisor/schema/vmConfig";
import { SchemaError } from "../../core/kubevirt/schema/parse";
import { CloudHypervisorConnectionError, isVmNotCreated } from "../cloudhypervisor/apiError";
import { ApplyError, applyPlan } from "../cloudhypervisor/applyPlan";
import { CloudHypervisorClient, type VmInfo } from "../cloudhypervisor/client";
import {
  ledgerFromProperty,
  ledgerToProperty,
  propertyPathOf,
  toPropertyValue,
} from "../cloudhypervisor/propertyValues";

/**
 * livevm:cloudhypervisor:VirtualMachine — a VM behind a Cloud Hypervisor API socket, changed in place:
 * vCPUs, memory (ACPI or virtio-mem), balloon and device hotplug through vm.resize / vm.add-* /
 * vm.remove-device; changes Cloud Hypervisor cannot make live follow `onRestartRequired`.
 */

export const CLOUD_HYPERVISOR_VM_TOKEN = "livevm:cloudhypervisor:VirtualMachine";

const ARCHITECTURES = ["x86_64", "aarch64", "riscv64"] as const;

export interface CloudHypervisorVmInputs extends PropertyMap {
  apiSocket: string;
  /** the VmConfig (JSON as vm.create takes it; sizes may be "2G"-style strings) */
  config: Record<string, unknown>;
  onRestartRequired?: RestartPolicy;
  architecture?: Architecture;
}

export interface CloudHypervisorVmOutputs extends PropertyMap {
  apiSocket: string;
  /** the config Cloud Hypervisor holds (vm.info), sizes in bytes */
  config: Record<string, unknown>;
  /** vm.info beyond the config: memory_actual_size, PCI addresses, devices the guest has not ejected yet */
  info: Record<string, unknown>;
  /** vm.info state: Created, Running, Paused, Shutdown */
  state: string;
  /** the plan of the last create/update: outcome, changes, messages, steps done, changes left pending */
  lastPlan: Record<string, unknown>;
  onRestartRequired?: RestartPolicy;
  architecture?: Architecture;
  /** RAM at boot and hot-added since (ACPI), which vm.info does not show */
  memoryHotplug: Record<string, unknown>;
}

function client(inputs: { apiSocket: string }, ctx: ResourceContext): CloudHypervisorClient {
  return new CloudHypervisorClient({
    socketPath: inputs.apiSocket,
    signal: ctx.signal,
    onRetry: (endpoint, attempt, delay) =>
      ctx.status(`${endpoint}: a vCPU removal is still pending in the guest (429); retry ${attempt} in ${delay} ms`),
  });
}

function parseDesired(config: unknown, property = "config"): VmConfig {
  return parseVmConfig(config, property);
}

const VM_STATES: readonly VmState[] = ["Created", "Running", "Shutdown", "Paused", "BreakPoint"];

/** The VM state recorded in state; Running when it is missing or unknown. */
function stateOf(olds: CloudHypervisorVmOutputs): VmState {
  return (VM_STATES as readonly unknown[]).includes(olds.state) ? (olds.state as VmState) : "Running";
}

function pendingEjectFromState(olds: CloudHypervisorVmOutputs): string[] {
  const list = (olds.info as { devicesPendingEject?: unknown } | undefined)?.devicesPendingEject;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
}

/** The plan from what Pulumi's state recorded (config, state, hotplug ledger, pending ejects) to `after`. */
function planFromState(
  olds: CloudHypervisorVmOutputs,
  after: VmConfig,
  arch: CloudHypervisorVmInputs["architecture"],
): CloudHypervisorPlan {
  return planCloudHypervisorUpdate({
    before: parseVmConfig(olds.config, "state config", { requireDeviceIds: false }),
    after,
    state: stateOf(olds),
    arch,
    ledger: ledgerFromProperty(olds.memoryHotplug),
    pendingEject: pendingEjectFromState(olds),
  });
}

function policyOf(inputs: CloudHypervisorVmInputs, ctx: ResourceContext): RestartPolicy {
  return inputs.onRestartRequired ?? ctx.config.onRestartRequired;
}

/** Devices still in the device tree (so the guest has not ejected them) but gone from the config. */
function pendingEjectOf(info: VmInfo): string[] {
  const tree = info.deviceTree ?? {};
  const configIds = new Set<string>();
  for (const v of Object.values(info.config)) {
    for (const e of Array.isArray(v) ? v : [v]) {
      const id = (e as { id?: unknown } | null)?.id;
      if (typeof id === "string") configIds.add(id);
    }
  }
  return Object.entries(tree)
    .filter(([id, node]) => !id.startsWith("__") && node.pci_bdf && !configIds.has(id))
    .map(([id]) => id);
}

function outputsFrom(
  inputs: CloudHypervisorVmInputs,
  info: VmInfo,
  ledger: MemoryHotplugLedger,
  lastPlan: Record<string, unknown>,
): CloudHypervisorVmOutputs {
  const tree = info.deviceTree ?? {};
  const devices: Record<string, string> = {};
  for (const [id, node] of Object.entries(tree)) if (node.pci_bdf) devices[id] = node.pci_bdf;
  const pendingEject = pendingEjectOf(info);
  return {
    apiSocket: inputs.apiSocket,
    config: toPropertyValue(info.config) as Record<string, unknown>,
    info: {
      memoryActualSize: info.memoryActualSize === undefined ? null : toPropertyValue(info.memoryActualSize),
      pciDevices: devices,
      devicesPendingEject: pendingEject,
    },
    state: info.state,
    lastPlan,
    ...(inputs.onRestartRequired ? { onRestartRequired: inputs.onRestartRequired } : {}),
    ...(inputs.architecture ? { architecture: inputs.architecture } : {}),
    memoryHotplug: ledgerToProperty(ledger) as unknown as Record<string, unknown>,
  };
}

function planProperty(plan: CloudHypervisorPlan, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    outcome: plan.outcome,
    changes: plan.changes.map((c) => ({ ...c })),
    messages: [...plan.messages],
    ...extra,
  };
}

function describeChange(c: CloudHypervisorChange): string {
  return `${c.path}: ${JSON.stringify(c.before)} -> ${JSON.stringify(c.after)}: ${c.outcome}: ${c.reason}`;
}

/** One line per change in preview, warnings for anything that is not a plain live change. */
function reportPlan(plan: CloudHypervisorPlan, policy: RestartPolicy, ctx: ResourceContext): void {
  for (const change of plan.changes) {
    const severity =
      change.outcome === "live" || change.outcome === "none" || change.outcome === "staged" ? "info" : "warning";
    let line = describeChange(change);
    if (change.outcome === "restart") {
      line +=
        policy === "restart"
          ? " (onRestartRequired=restart: livevm restarts the VM)"
          : policy === "warn"
            ? " (onRestartRequired=warn: left pending)"
            : " (onRestartRequired=fail: the update fails)";
    }
    ctx.log(severity, line);
  }
  for (const message of plan.messages) ctx.log("info", message);
}

/** Throws when the plan must not be applied: a refused change, or a restart under onRestartRequired=fail. */
function refuseIfNeeded(plan: CloudHypervisorPlan, policy: RestartPolicy): void {
  const rejected = plan.changes.filter((c) => c.outcome === "rejected");
  if (rejected.length > 0) {
    throw new Error(
      `Cloud Hypervisor would refuse this change; nothing was sent:\n${rejected.map((c) => `  ${c.path}: ${c.reason}`).join("\n")}`,
    );
  }
  if (policy === "fail" && plan.outcome === "restart") {
    const restart = plan.changes.filter((c) => c.outcome === "restart");
    throw new Error(
      `these changes need the VM restarted or recreated and onRestartRequired is "fail"; nothing was sent:\n${restart.map((c) => `  ${c.path}: ${c.reason}`).join("\n")}`,
    );
  }
}

async function readInfo(c: CloudHypervisorClient): Promise<VmInfo | undefined> {
  try {
    return await c.info();
  } catch (error) {
    if (isVmNotCreated(error)) return undefined;
    throw error;
  }
}

/** Plans and applies `after` on the VM at the socket; outputs reflect what Cloud Hypervisor then reports. */
async function reconcile(
  inputs: CloudHypervisorVmInputs,
  current: VmInfo,
  ledger: MemoryHotplugLedger | undefined,
  ctx: ResourceContext,
  bootAfter: boolean,
): Promise<CloudHypervisorVmOutputs> {
  const c = client(inputs, ctx);
  const after = parseDesired(inputs.config);
  const policy = policyOf(inputs, ctx);
  const plan = planCloudHypervisorUpdate({
    before: current.config,
    after,
    state: current.state,
    arch: inputs.architecture,
    ledger,
    pendingEject: pendingEjectOf(current),
  });
  reportPlan(plan, policy, ctx);
  refuseIfNeeded(plan, policy);
  let ledgerNow = ledger ?? ledgerAtBoot(current.config);
  try {
    const result = await applyPlan(c, plan, current.config, after, policy, ledgerNow, {
      log: (severity, message) => ctx.log(severity, message),
      status: (message) => ctx.status(message),
    });
    ledgerNow = result.ledger;
    let info = await c.info();
    if (bootAfter && info.state === "Created") {
      await c.boot();
      info = await c.info();
      ledgerNow = ledgerAtBoot(info.config);
    }
    return outputsFrom(
      inputs,
      info,
      ledgerNow,
      planProperty(plan, { steps: [...result.steps], pending: result.pending.map((p) => p.path) }),
    );
  } catch (error) {
    if (error instanceof ApplyError) {
      const info = await readInfo(c).catch(() => undefined);
      const outputs = info
        ? outputsFrom(
            inputs,
            info,
            error.ledger,
            planProperty(plan, { steps: [...error.steps], failed: error.message }),
          )
        : undefined;
      if (outputs) throw new PartialFailure(error.message, inputs.apiSocket, outputs, inputs);
    }
    throw error;
  }
}

function checkInputs(news: PropertyMap): { inputs: CloudHypervisorVmInputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const apiSocket = news["apiSocket"];
  if (apiSocket !== UNKNOWN && (typeof apiSocket !== "string" || apiSocket.length === 0)) {
    failures.push({
      property: "apiSocket",
      reason: "expected the path of Cloud Hypervisor's API socket (--api-socket path=...)",
    });
  }
  const policy = news["onRestartRequired"];
  if (policy !== undefined && policy !== UNKNOWN && !(RESTART_POLICIES as readonly unknown[]).includes(policy)) {
    failures.push({
      property: "onRestartRequired",
      reason: `expected one of ${RESTART_POLICIES.join(", ")}, got ${JSON.stringify(policy)}`,
    });
  }
  const arch = news["architecture"];
  if (arch !== undefined && arch !== UNKNOWN && !(ARCHITECTURES as readonly unknown[]).includes(arch)) {
    failures.push({
      property: "architecture",
      reason: `expected one of ${ARCHITECTURES.join(", ")}, got ${JSON.stringify(arch)}`,
    });
  }
  const config = news["config"];
  if (config === undefined || config === null || (typeof config !== "object" && config !== UNKNOWN)) {
    failures.push({
      property: "config",
      reason: "expected a Cloud Hypervisor VmConfig object (the body of vm.create)",
    });
  } else if (!containsUnknown(config)) {
    try {
      const parsed = parseDesired(config);
      for (const p of configProblems(parsed, (arch as Architecture | undefined) ?? "x86_64")) {
        failures.push({ property: `config.${p.path}`, reason: p.message });
      }
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      for (const issue of error.issues)
        failures.push({ property: issue.path ? `config.${issue.path}` : "config", reason: issue.message });
    }
  }
  return { inputs: news as CloudHypervisorVmInputs, failures };
}

const SCHEMA_PROPERTIES = {
  apiSocket: {
    type: "string",
    description: "Path of the Cloud Hypervisor API socket (`--api-socket path=...`). One VM per VMM.",
  },
  config: {
    type: "object",
    additionalProperties: { $ref: "pulumi.json#/Any" },
    description:
      "The VmConfig, as `vm.create` takes it (cpus, memory, payload, disks, net, balloon, ...). Sizes are bytes or Cloud Hypervisor's `512M`/`2G` form. Every hot-pluggable device needs an `id`.",
  },
  onRestartRequired: {
    type: "string",
    description:
      "What to do with changes Cloud Hypervisor cannot apply live: `restart` (vm.reboot, or shutdown/boot, or recreate the VM), `warn` (leave them pending, with a warning), `fail` (fail the update before sending anything). Default: the provider's onRestartRequired.",
  },
  architecture: {
    type: "string",
    description: "The host architecture (x86_64, aarch64, riscv64); vCPU hotplug is x86_64-only. Default x86_64.",
  },
};

export const cloudHypervisorVirtualMachine: ResourceHandler<CloudHypervisorVmInputs, CloudHypervisorVmOutputs> = {
  token: CLOUD_HYPERVISOR_VM_TOKEN,
  schema: {
    description:
      "A Cloud Hypervisor VM changed in place: vCPU, memory, balloon and device changes go through vm.resize and device hotplug without a restart where Cloud Hypervisor allows it.",
    inputProperties: SCHEMA_PROPERTIES,
    requiredInputs: ["apiSocket", "config"],
    properties: {
      ...SCHEMA_PROPERTIES,
      info: {
        type: "object",
        additionalProperties: { $ref: "pulumi.json#/Any" },
        description: "memoryActualSize, pciDevices (id to PCI address), devicesPendingEject.",
      },
      state: { type: "string", description: "vm.info state: Created, Running, Paused or Shutdown." },
      lastPlan: {
        type: "object",
        additionalProperties: { $ref: "pulumi.json#/Any" },
        description: "The plan of the last create or update: outcome, changes, messages, steps, pending.",
      },
      memoryHotplug: {
        type: "object",
        additionalProperties: { $ref: "pulumi.json#/Any" },
        description: "RAM at boot, RAM now and ACPI slots used since boot.",
      },
    },
    required: ["apiSocket", "config", "info", "state", "lastPlan", "memoryHotplug"],
  },

  async check(_olds, news) {
    return checkInputs(news);
  },

  async diff(_id, olds, news, ctx) {
    if (news.apiSocket !== olds.apiSocket) {
      return {
        changes: true,
        replaces: ["apiSocket"],
        detailedDiff: { apiSocket: { kind: "update-replace", inputDiff: true } },
        deleteBeforeReplace: false,
      };
    }
    const detailedDiff: Record<string, PropertyDiff> = {};
    if ((news.onRestartRequired ?? null) !== (olds.onRestartRequired ?? null))
      detailedDiff.onRestartRequired = { kind: "update", inputDiff: true };
    if ((news.architecture ?? null) !== (olds.architecture ?? null))
      detailedDiff.architecture = { kind: "update", inputDiff: true };
    if (containsUnknown(news.config)) {
      detailedDiff.config = { kind: "update", inputDiff: true };
      return { changes: true, replaces: [], detailedDiff };
    }
    const plan = planFromState(olds, parseDesired(news.config), news.architecture);
    for (const change of plan.changes) {
      const path = propertyPathOf(change.path, olds.config, news.config);
      const kind = change.before === null ? "add" : change.after === null ? "delete" : "update";
      detailedDiff[path] = { kind, inputDiff: false };
    }
    if (plan.changes.length > 0)
      ctx.log("debug", `plan: ${plan.outcome}: ${plan.changes.map((c) => `${c.path} ${c.outcome}`).join(", ")}`);
    return { changes: Object.keys(detailedDiff).length > 0, replaces: [], detailedDiff, stables: ["apiSocket"] };
  },

  async create(inputs, ctx) {
    const desired = parseDesired(inputs.config);
    if (ctx.preview) {
      return {
        id: inputs.apiSocket,
        outputs: {
          apiSocket: inputs.apiSocket,
          config: toPropertyValue(desired) as Record<string, unknown>,
          info: UNKNOWN as Record<string, unknown>,
          state: UNKNOWN as string,
          lastPlan: UNKNOWN as Record<string, unknown>,
          memoryHotplug: UNKNOWN as Record<string, unknown>,
          ...(inputs.onRestartRequired ? { onRestartRequired: inputs.onRestartRequired } : {}),
          ...(inputs.architecture ? { architecture: inputs.architecture } : {}),
        },
      };
    }
    const c = client(inputs, ctx);
    const existing = await readInfo(c);
    if (existing) {
      ctx.log(
        "info",
        `adopting the VM already at ${inputs.apiSocket} (${existing.state}); changing it to the desired config`,
      );
      return { id: inputs.apiSocket, outputs: await reconcile(inputs, existing, undefined, ctx, true) };
    }
    const plan = planCloudHypervisorUpdate({ after: desired, arch: inputs.architecture });
    refuseIfNeeded(plan, "restart");
    ctx.status("vm.create");
    await c.create(desired);
    ctx.status("vm.boot");
    try {
      await c.boot();
    } catch (error) {
      const info = await readInfo(c).catch(() => undefined);
      if (info) {
        throw new PartialFailure(
          `vm.create succeeded but vm.boot failed: ${(error as Error).message}`,
          inputs.apiSocket,
          outputsFrom(inputs, info, ledgerAtBoot(info.config), planProperty(plan, { steps: ["vm.create"] })),
          inputs,
        );
      }
      throw error;
    }
    const info = await c.info();
    return {
      id: inputs.apiSocket,
      outputs: outputsFrom(
        inputs,
        info,
        ledgerAtBoot(info.config),
        planProperty(plan, { steps: ["vm.create", "vm.boot"], pending: [] }),
      ),
    };
  },

  async read(id, state, inputs, ctx) {
    const apiSocket = state?.apiSocket ?? inputs?.apiSocket ?? id;
    const c = client({ apiSocket }, ctx);
    let info: VmInfo | undefined;
    try {
      info = await readInfo(c);
    } catch (error) {
      if (error instanceof CloudHypervisorConnectionError && /ENOENT|ECONNREFUSED/.test(error.reason)) return undefined;
      throw error;
    }
    if (!info) return undefined;
    const ledger = ledgerFromProperty(state?.memoryHotplug) ?? ledgerAtBoot(info.config);
    const readInputs: CloudHypervisorVmInputs = inputs
      ? { ...inputs }
      : { apiSocket, config: toPropertyValue(info.config) as Record<string, unknown> };
    const outputs = outputsFrom(readInputs, info, ledger, state?.lastPlan ?? {});
    return { id: apiSocket, outputs, inputs: readInputs };
  },

  async update(_id, olds, news, ctx) {
    const after = parseDesired(news.config);
    const policy = policyOf(news, ctx);
    if (ctx.preview) {
      const plan = planFromState(olds, after, news.architecture);
      reportPlan(plan, policy, ctx);
      refuseIfNeeded(plan, policy);
      return {
        outputs: {
          ...olds,
          ...news,
          lastPlan: planProperty(plan),
          info: UNKNOWN as Record<string, unknown>,
          state: UNKNOWN as string,
          config: toPropertyValue(after) as Record<string, unknown>,
        },
      };
    }
    const c = client(news, ctx);
    const current = await readInfo(c);
    if (!current) {
      throw new Error(
        `there is no VM at ${news.apiSocket} any more (vm.info: VM is not created); run pulumi refresh to record that`,
      );
    }
    return { outputs: await reconcile(news, current, ledgerFromProperty(olds.memoryHotplug), ctx, false) };
  },

  async delete(_id, state, ctx) {
    const c = client(state, ctx);
    let info: VmInfo | undefined;
    try {
      info = await readInfo(c);
    } catch (error) {
      if (error instanceof CloudHypervisorConnectionError && /ENOENT|ECONNREFUSED/.test(error.reason)) return;
      throw error;
    }
    if (!info) return;
    if (info.state === "Running" || info.state === "Paused") {
      ctx.status("vm.shutdown");
      await c.shutdown();
    }
    ctx.status("vm.delete");
    await c.delete();
  },
};
