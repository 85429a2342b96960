/**
 * Per-VM checks: what, for this VM as it is running now, would keep a CPU or memory change from
 * being applied live. maxSockets and maxGuest are fixed when the VMI boots (the VMI spec carries
 * the computed values), an outstanding RestartRequired blocks every live update (§1.2), memory
 * hotplug needs a LiveMigratable VMI (§1.4) and a guest kernel with virtio-mem (Linux 5.8+), and
 * the migration needs another node the VM may run on.
 */

import { checkMemoryHotplugKernel } from "../../core/guestReadiness/kernelRelease";
import { checkMovableMemoryRatio } from "../../core/guestReadiness/movableMemoryRatio";
import { compareQuantities, formatQuantity, quantityCeil, subtractQuantities } from "../../core/kubevirt/quantity";
import { type Condition } from "../../core/kubevirt/schema/common";
import { guestKernelRelease, type NodeInfo, type VmSnapshot, vmKey } from "./clusterSnapshot";
import { check, type DoctorCheck, fromFinding } from "./doctorCheck";
import { type KubeVirtFacts } from "./kubeVirtChecks";
import { cpuManagerLabel, hasDedicatedCpus, isSchedulable } from "./nodeChecks";

function condition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

function explain(c: Condition): string {
  return [c.reason, c.message].filter(Boolean).join(": ") || "no message";
}

export function checkVm(
  snapshot: VmSnapshot,
  facts: KubeVirtFacts,
  nodes: readonly NodeInfo[] | undefined,
): DoctorCheck[] {
  const scope = vmKey(snapshot.vm);
  const checks: DoctorCheck[] = [];
  const { vm, vmi } = snapshot;
  const profile = facts.profile;

  const rr = condition(vm.status?.conditions, "RestartRequired");
  if (rr?.status === "True") {
    const sticky = profile?.restartRequiredSticky === true;
    checks.push(
      check(
        scope,
        "RestartRequired",
        "blocking",
        "restart-required",
        `RestartRequired is set (${explain(rr)}): no live update reaches this VM until it restarts${sticky ? "; on this KubeVirt version the condition stays even if the change is reverted" : ""}`,
        `restart the VM (virtctl restart ${vm.metadata?.name ?? ""} -n ${vm.metadata?.namespace ?? "default"})${sticky ? "" : ", or revert the change that is not live-updatable"}`,
      ),
    );
  }
  const failure = condition(vm.status?.conditions, "Failure");
  if (failure?.status === "True") {
    checks.push(check(scope, "Failure", "warning", "vm-failure", `the VM reports Failure: ${explain(failure)}`));
  }
  if (profile?.liveUpdateFeaturesApi && !vm.spec.liveUpdateFeatures) {
    checks.push(
      check(
        scope,
        "liveUpdateFeatures",
        "blocking",
        "live-update-features-missing",
        `KubeVirt ${profile.label} hot-plugs only VMs with spec.liveUpdateFeatures, which this VM does not set`,
        "set spec.liveUpdateFeatures.cpu (and .memory from v1.1) and restart the VM once",
      ),
    );
  }

  if (!vmi) {
    checks.push(
      check(
        scope,
        "running",
        "info",
        "not-running",
        "the VM is not running: changes apply when it starts; the booted limits are checked once it runs",
      ),
    );
    return checks;
  }

  const migratable = condition(vmi.status?.conditions, "LiveMigratable");
  if (!migratable) {
    checks.push(
      check(
        scope,
        "LiveMigratable",
        "warning",
        "migratable-unknown",
        "the VMI reports no LiveMigratable condition yet",
      ),
    );
  } else if (migratable.status !== "True") {
    checks.push(
      check(
        scope,
        "LiveMigratable",
        "blocking",
        "not-migratable",
        `the VMI is not live-migratable (${explain(migratable)}): CPU hotplug stays pending and memory changes need a restart`,
        "make the VM migratable (shared ReadWriteMany storage, no host devices or hostDisk, masquerade/bridge networking as KubeVirt's message says)",
      ),
    );
  } else {
    checks.push(check(scope, "LiveMigratable", "ok", "migratable", "the VMI is live-migratable"));
  }

  const methods = facts.config?.workloadUpdateMethods ?? [];
  if (facts.config && !methods.includes("LiveMigrate") && methods.includes("Evict")) {
    const strategy = vmi.spec.evictionStrategy ?? facts.config.evictionStrategy;
    const migrates =
      strategy === "LiveMigrate" || (strategy === "LiveMigrateIfPossible" && migratable?.status === "True");
    checks.push(
      migrates
        ? check(
            scope,
            "eviction",
            "ok",
            "evict-migrates",
            `evictionStrategy ${strategy}: the eviction of a pending hotplug is turned into a live migration, so it completes without a restart`,
          )
        : check(
            scope,
            "eviction",
            "blocking",
            "evict-restarts",
            `with workloadUpdateMethods [Evict] and evictionStrategy ${strategy}, a CPU/memory hotplug evicts this VM: it restarts`,
            "add LiveMigrate to the KubeVirt CR's workloadUpdateMethods, or set spec.template.spec.evictionStrategy: LiveMigrate on a migratable VM",
          ),
    );
  }

  const arch = vmi.spec.architecture ?? vm.spec.template.spec?.architecture;
  const arm = arch === "arm64";
  const cpu = vmi.spec.domain?.cpu;
  const sockets = cpu?.sockets ?? 1;
  const maxSockets = cpu?.maxSockets ?? 0;
  const perSocket = (cpu?.cores ?? 1) * (cpu?.threads ?? 1);
  if (arm && profile?.armCpuHotplugRestart) {
    checks.push(
      check(
        scope,
        "CPU headroom",
        "blocking",
        "cpu-arm",
        "arm64 VMs get no CPU hotplug on this KubeVirt version: socket changes need a restart",
      ),
    );
  } else if (maxSockets === 0) {
    checks.push(
      check(
        scope,
        "CPU headroom",
        "blocking",
        "cpu-no-max",
        "the running VMI has no maxSockets (it booted without CPU hotplug, e.g. under the Stage rollout strategy): any socket change needs a restart",
        "restart the VM once with live updates enabled (the cluster checks above), or set spec.template.spec.domain.cpu.maxSockets",
      ),
    );
  } else if (maxSockets <= sockets) {
    checks.push(
      check(
        scope,
        "CPU headroom",
        "warning",
        "cpu-no-headroom",
        `booted with maxSockets ${maxSockets} and already at ${sockets} sockets: more sockets need a restart`,
        "raise spec.template.spec.domain.cpu.maxSockets (takes effect at the next restart)",
      ),
    );
  } else {
    checks.push(
      check(
        scope,
        "CPU headroom",
        "ok",
        "cpu-headroom",
        `${sockets} of max ${maxSockets} sockets: up to ${maxSockets - sockets} more (${maxSockets * perSocket} vCPUs) can be hot-plugged`,
      ),
    );
  }

  const mem = vmi.spec.domain?.memory;
  const memoryHotplug = profile?.memoryHotplug ?? true;
  if (!memoryHotplug) {
    checks.push(
      check(scope, "memory headroom", "info", "memory-n/a", "KubeVirt v1.0 has no memory hotplug (it arrived in v1.1)"),
    );
  } else if (mem?.maxGuest === undefined || mem.guest === undefined) {
    checks.push(
      check(
        scope,
        "memory headroom",
        "blocking",
        "memory-no-max",
        `the running VMI has no maxGuest: memory hotplug is off for this boot (booted under Stage, guest memory below 1Gi or not 2Mi-aligned, ${arm ? "arm64, " : ""}realtime, NUMA passthrough or SEV), so memory changes need a restart`,
        "give the VM at least 1Gi of 2Mi-aligned guest memory and restart it once with live updates enabled",
      ),
    );
  } else {
    const headroom =
      compareQuantities(mem.maxGuest, mem.guest) > 0
        ? formatQuantity(subtractQuantities(mem.maxGuest, mem.guest))
        : undefined;
    checks.push(
      headroom
        ? check(
            scope,
            "memory headroom",
            "ok",
            "memory-headroom",
            `guest ${formatQuantity(mem.guest)} of max ${formatQuantity(mem.maxGuest)}: ${headroom} more can be hot-plugged`,
          )
        : check(
            scope,
            "memory headroom",
            "warning",
            "memory-no-headroom",
            `booted with maxGuest ${formatQuantity(mem.maxGuest)} and already at ${formatQuantity(mem.guest)}: more memory needs a restart`,
            "raise spec.template.spec.domain.memory.maxGuest (takes effect at the next restart)",
          ),
    );
    checks.push(fromFinding(scope, "guest kernel", checkMemoryHotplugKernel(guestKernelRelease(vmi))));
    const atBoot = vmi.status?.memory?.guestAtBoot ?? mem.guest;
    checks.push(
      fromFinding(scope, "movable memory", checkMovableMemoryRatio(quantityCeil(atBoot), quantityCeil(mem.maxGuest))),
    );
  }

  for (const type of ["HotVCPUChange", "HotMemoryChange"]) {
    const c = condition(vmi.status?.conditions, type);
    if (!c) continue;
    if (c.status === "False") {
      checks.push(
        check(
          scope,
          type,
          "blocking",
          "hotplug-failed",
          `${type} is False (${explain(c)}): the last hotplug failed; KubeVirt requires a restart`,
          "restart the VM",
        ),
      );
    } else {
      checks.push(
        check(
          scope,
          type,
          "info",
          "hotplug-pending",
          `${type} is ${c.status}: a hotplug is waiting for its live migration (${explain(c)})`,
        ),
      );
    }
  }

  if (nodes) checks.push(migrationTarget(scope, snapshot, facts, nodes));
  return checks;
}

function migrationTarget(
  scope: string,
  snapshot: VmSnapshot,
  facts: KubeVirtFacts,
  nodes: readonly NodeInfo[],
): DoctorCheck {
  const vmi = snapshot.vmi!;
  const current = vmi.status?.nodeName;
  const selector = vmi.spec.nodeSelector ?? {};
  const dedicated = hasDedicatedCpus(snapshot);
  const label = facts.profile?.cpuManagerLabel ?? cpuManagerLabel(undefined);
  const targets = nodes.filter(
    (n) =>
      isSchedulable(n) &&
      n.name !== current &&
      Object.entries(selector).every(([k, v]) => n.labels[k] === v) &&
      (!dedicated || n.labels[label] === "true"),
  );
  const needs = [
    "Ready, not cordoned, kubevirt.io/schedulable=true",
    Object.keys(selector).length > 0 ? `matching nodeSelector ${JSON.stringify(selector)}` : "",
    dedicated ? `${label}=true` : "",
  ]
    .filter(Boolean)
    .join(", ");
  if (targets.length === 0) {
    return check(
      scope,
      "migration target",
      "blocking",
      "no-migration-target",
      `no node other than ${current ?? "its current node"} can take this VM (${needs}): the live migration that applies a hotplug cannot start`,
      "add a matching node, or relax the VM's nodeSelector",
    );
  }
  return check(
    scope,
    "migration target",
    "ok",
    "migration-target",
    `${targets.length} node(s) can take this VM in a migration (${needs}; affinity and taints not evaluated)`,
  );
}
