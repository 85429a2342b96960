import { admitVirtualMachine } from "../core/kubevirt/admission";
import { resolveClusterConfig, LIVE_UPDATE_GATE, type ClusterConfig } from "../core/kubevirt/clusterConfig";
import { computeMaxGuest, computeMaxSockets, defaultGuestCpuTopology, MAX_VCPUS } from "../core/kubevirt/defaults";
import { cloneJson } from "../core/kubevirt/jsonClone";
import { validateLiveUpdateMemory } from "../core/kubevirt/memoryValidator";
import { formatQuantity, isQuantity, parseQuantity, quantityCeil } from "../core/kubevirt/quantity";
import {
  parseWith,
  SchemaError,
  virtualMachine as virtualMachineSchema,
  type KubeVirt,
  type VirtualMachine,
  type VmiSpec,
} from "../core/kubevirt/schema";
import { formatVersion } from "../core/kubevirt/version";
import { versionProfile, type VersionProfile } from "../core/kubevirt/versionProfile";
import { type ArgumentErrorFactory } from "./argumentError";
import { addGuestReadiness } from "./guestReadinessVolume";
import { checkVersion, describe } from "./liveUpdateClusterSettings";

/**
 * The VM spec HotplugVirtualMachine submits: the user's spec with explicit hotplug headroom
 * (maxSockets, maxGuest: from the arguments, else as the cluster's settings would compute them at boot,
 * with core's defaults), checked against the rules that make a later hotplug fail:
 * - memory: core's memory-hotplug validator of the version (>= 1Gi from v1.4, 2Mi or 1Gi alignment, ...);
 * - dedicated CPUs: sized through the topology only (rules §2.7: a CPU request or limit stops matching the
 *   vCPU count after a socket hotplug, and KubeVirt then rejects the update), at most 2 threads;
 * - v1.0/v1.1: headroom in `spec.liveUpdateFeatures`, no CPU requests/limits, no template maxima.
 * Pure: the component resolves Inputs and calls this.
 */

/** The cluster's live-update settings a VM sizes its headroom with (KubeVirtLiveUpdates' `settings`). */
export interface ClusterLiveUpdateSettings {
  /** the cluster's KubeVirt version; must match the VM's `version` */
  readonly version?: string;
  readonly maxCpuSockets?: number;
  readonly maxGuest?: string;
  readonly maxHotplugRatio?: number;
}

export interface HotplugSpecRawArgs {
  readonly version: unknown;
  readonly spec: unknown;
  readonly maxSockets?: unknown;
  readonly maxGuest?: unknown;
  readonly memoryHotplug?: unknown;
  readonly guestReadiness?: unknown;
  readonly cluster?: unknown;
}

export interface HotplugSpec {
  readonly spec: VirtualMachine["spec"];
  /** the VM's maximum sockets */
  readonly maxSockets: number;
  /** the VM's maximum guest memory, or undefined without memory hotplug */
  readonly maxGuest: string | undefined;
  /** vCPUs at boot and at most */
  readonly vcpus: { readonly boot: number; readonly max: number };
  readonly notes: readonly string[];
}

const TEMPLATE = "spec.template.spec";

export function buildHotplugSpec(raw: HotplugSpecRawArgs, err: ArgumentErrorFactory): HotplugSpec {
  const version = checkVersion(raw.version, err);
  const profile = versionProfile(version);
  const notes: string[] = [];

  let vm: VirtualMachine;
  try {
    vm = parseWith(virtualMachineSchema, { spec: raw.spec }, "spec");
  } catch (e) {
    if (e instanceof SchemaError) {
      const first = e.issues[0]!;
      throw err(first.path || "spec", first.message);
    }
    throw e;
  }
  const spec = cloneJson(vm.spec) as VirtualMachine["spec"];
  if (spec.instancetype) {
    throw err(
      "spec.instancetype",
      "HotplugVirtualMachine sizes the VM through its template; an instance type carries its own CPU and memory (use livevm.kubevirt.VirtualMachine for instance-type VMs)",
    );
  }
  const template: VmiSpec = (spec.template.spec ??= {});
  const domain = (template.domain ??= {});
  const cpu = (domain.cpu ??= {});
  const memory = domain.memory;
  const resources = domain.resources;
  const architecture = template.architecture || "amd64";

  // ---- CPU ----
  if (architecture !== "amd64" && architecture !== "s390x") {
    throw err(`${TEMPLATE}.architecture`, `KubeVirt does not hot-plug CPUs on ${architecture} (amd64 and s390x only)`);
  }
  checkDedicatedCpuSizing(template, profile, err);
  if (profile.liveUpdateFeaturesApi) {
    for (const field of ["requests", "limits"] as const) {
      if (resources?.[field]?.cpu !== undefined) {
        throw err(
          `${TEMPLATE}.domain.resources.${field}.cpu`,
          `KubeVirt ${profile.label} rejects it: "Configuration of CPU resource requirements is not allowed when CPU live update is enabled"; size the VM through sockets, cores and threads`,
        );
      }
    }
    if (cpu.maxSockets) {
      throw err(
        `${TEMPLATE}.domain.cpu.maxSockets`,
        `KubeVirt ${profile.label} rejects it ("CPU topology maxSockets cannot be set directy in VM template"): use the maxSockets argument, which goes to spec.liveUpdateFeatures.cpu.maxSockets`,
      );
    }
  }
  // KubeVirt's defaults keep the zeros of a partly given topology and its converter counts them as 1;
  // the spec submitted says 1 explicitly, so that the VM's shape does not depend on that.
  const defaulted = defaultGuestCpuTopology(template);
  const topology = {
    sockets: defaulted.sockets || 1,
    cores: defaulted.cores || 1,
    threads: defaulted.threads || 1,
  };
  const cluster = clusterConfig(raw.cluster, profile, err);

  let maxSockets: number;
  if (raw.maxSockets !== undefined && raw.maxSockets !== null) {
    const m = raw.maxSockets;
    if (typeof m !== "number" || !Number.isInteger(m) || m < 1) {
      throw err("maxSockets", `expected a whole number >= 1, got ${describe(m)}`);
    }
    if (m < topology.sockets) {
      throw err("maxSockets", `${m} is below the VM's ${topology.sockets} sockets (${TEMPLATE}.domain.cpu.sockets)`);
    }
    maxSockets = m;
  } else {
    const luf = spec.liveUpdateFeatures;
    const computed = computeMaxSockets({
      topology,
      explicitMaxSockets: profile.liveUpdateFeaturesApi ? undefined : cpu.maxSockets,
      liveUpdateFeaturesCpu: true,
      liveUpdateFeaturesMaxSockets: profile.liveUpdateFeaturesApi ? luf?.cpu?.maxSockets : undefined,
      architecture,
      cluster,
      profile,
    });
    maxSockets = computed.maxSockets;
    if (computed.source === "explicit" && maxSockets < topology.sockets) {
      throw err(
        `${TEMPLATE}.domain.cpu.maxSockets`,
        `${maxSockets} is below the VM's ${topology.sockets} sockets: "Number of sockets in CPU topology is greater than the maximum sockets allowed"`,
      );
    }
    if (maxSockets <= topology.sockets && computed.source !== "explicit") {
      throw err(
        "maxSockets",
        `no CPU headroom: the cluster's settings give maxSockets ${maxSockets} for ${topology.sockets} sockets (${computed.source}); set maxSockets above ${topology.sockets}`,
      );
    }
    if (computed.source === "ratio-capped") {
      notes.push(
        `maxSockets ${maxSockets}: capped so that maxSockets x cores x threads stays within ${MAX_VCPUS} vCPUs`,
      );
    }
  }
  const perSocket = topology.cores * topology.threads;

  // ---- memory ----
  const guest = memory?.guest;
  if (guest === undefined || guest === null) {
    throw err(
      `${TEMPLATE}.domain.memory.guest`,
      "set the guest memory explicitly: memory hotplug changes memory.guest, and dedicated CPUs need memory given",
    );
  }
  const wantMemoryHotplug =
    raw.memoryHotplug === undefined || raw.memoryHotplug === null ? profile.memoryHotplug : raw.memoryHotplug;
  if (typeof wantMemoryHotplug !== "boolean") {
    throw err("memoryHotplug", `expected true or false, got ${describe(wantMemoryHotplug)}`);
  }
  if (wantMemoryHotplug && !profile.memoryHotplug) {
    throw err("memoryHotplug", `KubeVirt ${profile.label} has no memory hotplug (it arrived in v1.1.0)`);
  }
  if (!wantMemoryHotplug && raw.maxGuest !== undefined && raw.maxGuest !== null) {
    throw err(
      "maxGuest",
      profile.memoryHotplug
        ? "maxGuest needs memoryHotplug"
        : `KubeVirt ${profile.label} has no memory hotplug (it arrived in v1.1.0)`,
    );
  }
  if (profile.liveUpdateFeaturesApi && memory?.maxGuest !== undefined) {
    throw err(
      `${TEMPLATE}.domain.memory.maxGuest`,
      `KubeVirt ${profile.label} rejects it ("Memory maxGuest cannot be set directy in VM template"): use the maxGuest argument, which goes to spec.liveUpdateFeatures.memory.maxGuest`,
    );
  }
  let maxGuest: string | undefined;
  if (wantMemoryHotplug) {
    let candidate: string | number | undefined;
    let fromCluster = false;
    let fromTemplate = false;
    if (raw.maxGuest !== undefined && raw.maxGuest !== null) {
      if (!isQuantity(raw.maxGuest)) {
        let why = `expected a memory quantity such as "16Gi", got ${describe(raw.maxGuest)}`;
        try {
          parseQuantity(raw.maxGuest as string);
        } catch (e) {
          why = (e as Error).message;
        }
        throw err("maxGuest", why);
      }
      candidate = raw.maxGuest;
    } else {
      const computed = computeMaxGuest({
        spec: { ...template, architecture },
        templateMemory: memory,
        explicitMaxGuest: profile.liveUpdateFeaturesApi ? undefined : (memory?.maxGuest ?? undefined),
        liveUpdateFeaturesMemory: true,
        liveUpdateFeaturesMaxGuest: spec.liveUpdateFeatures?.memory?.maxGuest,
        cluster,
        profile,
      });
      if (computed.maxGuest === undefined) {
        const reason = computed.disabledReason ?? "no maxGuest";
        const field = memoryProblemField(reason);
        const source =
          field === "maxGuest" && cluster.maxGuest !== undefined
            ? " (from the cluster's liveUpdateConfiguration.maxGuest)"
            : "";
        throw err(
          field,
          `KubeVirt ${profile.label} would disable memory hotplug for this VM: "${reason}"${source}; fix that, set maxGuest, or set memoryHotplug to false`,
        );
      }
      candidate = computed.maxGuest;
      fromCluster = computed.source === "cluster";
      fromTemplate = computed.source === "explicit";
    }
    const problem = validateLiveUpdateMemory({ ...template, architecture }, candidate, version, "amd64");
    if (problem) {
      let field = memoryProblemField(problem);
      let source = field === "maxGuest" && fromCluster ? " (from the cluster's liveUpdateConfiguration.maxGuest)" : "";
      if (field === "maxGuest" && fromTemplate) {
        field = `${TEMPLATE}.domain.memory.maxGuest`;
        source = "";
      }
      throw err(field, `KubeVirt ${profile.label} refuses memory hotplug: "${problem}"${source}`);
    }
    maxGuest = formatQuantity(candidate);
  }

  // ---- the spec ----
  domain.cpu = { ...cpu, sockets: topology.sockets, cores: topology.cores, threads: topology.threads };
  if (profile.liveUpdateFeaturesApi) {
    const luf = spec.liveUpdateFeatures ?? {};
    spec.liveUpdateFeatures = {
      ...luf,
      cpu: { ...(luf.cpu ?? {}), maxSockets },
      ...(maxGuest !== undefined ? { memory: { ...(luf.memory ?? {}), maxGuest } } : {}),
    };
  } else {
    domain.cpu.maxSockets = maxSockets;
    if (maxGuest !== undefined) domain.memory = { ...domain.memory, maxGuest };
  }

  if (raw.guestReadiness !== undefined && raw.guestReadiness !== null && raw.guestReadiness !== false) {
    const options = guestReadinessOptions(raw.guestReadiness, maxGuest !== undefined, err);
    const limits = {
      maxVcpus: maxSockets * perSocket,
      ...(maxGuest !== undefined ? { maxMemoryBytes: quantityCeil(maxGuest) } : {}),
      memoryHotplug: maxGuest !== undefined ? ("virtio-mem" as const) : ("none" as const),
    };
    const note = addGuestReadiness(template, limits, options, err);
    if (note) notes.push(note);
  }

  // Last, KubeVirt's own VM admission rules of that version on the VM as submitted (with live updates
  // on, as KubeVirtLiveUpdates sets them up): whatever they deny is reported with KubeVirt's message.
  const causes = admitVirtualMachine({
    vm: { apiVersion: "kubevirt.io/v1", kind: "VirtualMachine", spec },
    cluster,
    profile,
  });
  if (causes.length > 0) {
    const first = causes[0]!;
    const more =
      causes.length > 1
        ? ` (and ${causes.length - 1} more: ${causes
            .slice(1)
            .map((c) => c.field)
            .join(", ")})`
        : "";
    throw err(first.field, `KubeVirt ${profile.label} would deny the VM: "${first.message.trim()}"${more}`);
  }

  return {
    spec,
    maxSockets,
    maxGuest,
    vcpus: { boot: topology.sockets * perSocket, max: maxSockets * perSocket },
    notes,
  };
}

/**
 * Dedicated CPUs (rules §2.7, §6.1): KubeVirt rejects a template whose CPU request or limit is set and
 * equals neither the vCPU count, so a request that matches today is rejected as soon as sockets are
 * hot-plugged. Size through the topology only; at most 2 threads; isolateEmulatorThread needs dedicated CPUs.
 */
export function checkDedicatedCpuSizing(template: VmiSpec, profile: VersionProfile, err: ArgumentErrorFactory): void {
  const cpu = template.domain?.cpu;
  const resources = template.domain?.resources;
  if (cpu?.isolateEmulatorThread && !cpu.dedicatedCpuPlacement) {
    throw err(
      `${TEMPLATE}.domain.cpu.isolateEmulatorThread`,
      '"IsolateEmulatorThread should be only set in combination with DedicatedCPUPlacement"',
    );
  }
  if (!cpu?.dedicatedCpuPlacement) return;
  for (const field of ["requests", "limits"] as const) {
    const value = resources?.[field]?.cpu;
    if (value !== undefined) {
      throw err(
        `${TEMPLATE}.domain.resources.${field}.cpu`,
        `with dedicatedCpuPlacement, size the VM through sockets, cores and threads only: KubeVirt ${profile.label} rejects a CPU ${field === "requests" ? "request" : "limit"} (${JSON.stringify(value)}) that no longer equals the vCPU count, which is what a socket hotplug makes of it ("... must not be provided at the same time with ${TEMPLATE}.domain.cpu.cores when DedicatedCPUPlacement is true")`,
      );
    }
  }
  if ((cpu.threads ?? 0) > 2) {
    throw err(
      `${TEMPLATE}.domain.cpu.threads`,
      `"Not more than two threads must be provided at ${TEMPLATE}.domain.cpu.threads (got ${cpu.threads}) when DedicatedCPUPlacement is true"`,
    );
  }
  const requests = resources?.requests?.memory;
  const limits = resources?.limits?.memory;
  if (requests !== undefined && limits !== undefined && formatQuantity(requests) !== formatQuantity(limits)) {
    throw err(
      `${TEMPLATE}.domain.resources.requests.memory`,
      `"${TEMPLATE}.domain.resources.requests.memory must be equal to ${TEMPLATE}.domain.resources.limits.memory"`,
    );
  }
}

/** Which argument or field a memory-validator message is about. */
function memoryProblemField(message: string): string {
  if (
    message.startsWith("MaxGuest") ||
    message.startsWith("Max guest") ||
    message.includes("greater than the configured maxGuest")
  ) {
    return "maxGuest";
  }
  if (message.includes("realtime")) return `${TEMPLATE}.domain.cpu.realtime`;
  if (message.includes("guest mapping passthrough")) return `${TEMPLATE}.domain.cpu.numa.guestMappingPassthrough`;
  if (message.includes("encrypted")) return `${TEMPLATE}.domain.launchSecurity`;
  if (message.includes("dedicated CPUs")) return `${TEMPLATE}.domain.cpu.dedicatedCpuPlacement`;
  if (message.includes("hugepages")) return `${TEMPLATE}.domain.memory.hugepages`;
  if (message.includes("Memory limits")) return `${TEMPLATE}.domain.resources.limits.memory`;
  if (message.includes("x86_64") || message.includes("arm64")) return `${TEMPLATE}.architecture`;
  if (message.startsWith("Guest memory") || message.includes("at least 1Gi of guest memory")) {
    return `${TEMPLATE}.domain.memory.guest`;
  }
  return "maxGuest";
}

function guestReadinessOptions(raw: unknown, memoryHotplug: boolean, err: ArgumentErrorFactory) {
  if (raw === true) return { cpu: true, memory: memoryHotplug };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw err("guestReadiness", `expected true, false or { cpu?: boolean, memory?: boolean }, got ${describe(raw)}`);
  }
  const { cpu = true, memory = memoryHotplug, ...rest } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw err(`guestReadiness.${unknown[0]}`, "unknown option; expected cpu or memory");
  if (typeof cpu !== "boolean") throw err("guestReadiness.cpu", `expected true or false, got ${describe(cpu)}`);
  if (typeof memory !== "boolean")
    throw err("guestReadiness.memory", `expected true or false, got ${describe(memory)}`);
  if (memory && !memoryHotplug) throw err("guestReadiness.memory", "the VM has no memory hotplug (no maxGuest)");
  if (!cpu && !memory)
    throw err("guestReadiness", "both cpu and memory are false: set guestReadiness to false instead");
  return { cpu, memory };
}

/**
 * The cluster configuration the VM's headroom is computed with: live updates on, as KubeVirtLiveUpdates
 * sets them up, and the maxima given (KubeVirt's defaults for the rest).
 */
function clusterConfig(raw: unknown, profile: VersionProfile, err: ArgumentErrorFactory): ClusterConfig {
  const settings = (raw ?? {}) as ClusterLiveUpdateSettings;
  if (typeof settings !== "object" || Array.isArray(settings)) {
    throw err(
      "cluster",
      `expected the cluster's live-update settings (KubeVirtLiveUpdates.settings), got ${describe(raw)}`,
    );
  }
  if (settings.version !== undefined) {
    const clusterVersion = checkVersion(settings.version, err, "cluster.version");
    if (clusterVersion.minor !== profile.version.minor || clusterVersion.major !== profile.version.major) {
      throw err(
        "version",
        `${formatVersion(profile.version)} does not match the cluster's KubeVirt ${formatVersion(clusterVersion)} (cluster.version)`,
      );
    }
  }
  const liveUpdateConfiguration: Record<string, unknown> = {};
  for (const key of ["maxCpuSockets", "maxHotplugRatio"] as const) {
    const value = settings[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw err(`cluster.${key}`, `expected a whole number >= 1, got ${describe(value)}`);
    }
    liveUpdateConfiguration[key] = value;
  }
  if (settings.maxGuest !== undefined && settings.maxGuest !== null) {
    if (!isQuantity(settings.maxGuest))
      throw err("cluster.maxGuest", `expected a quantity, got ${describe(settings.maxGuest)}`);
    liveUpdateConfiguration["maxGuest"] = settings.maxGuest;
  }
  const kubevirt: KubeVirt = {
    spec: {
      configuration: {
        ...(profile.rolloutStrategyField ? { vmRolloutStrategy: "LiveUpdate" as const } : {}),
        developerConfiguration: { featureGates: profile.liveUpdateGateRequired ? [LIVE_UPDATE_GATE] : [] },
        liveUpdateConfiguration,
      },
      workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate"] },
    },
  };
  return resolveClusterConfig(kubevirt, profile.version);
}
