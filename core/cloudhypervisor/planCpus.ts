import { changedKeys } from "./configValue";
import { supportsLiveVcpuResize } from "./limits";
import {
  emptyPartialPlan,
  PHASE,
  plannedChange,
  recreateReason,
  type PartialPlan,
  type PlanContext,
} from "./planContext";
import type { VmConfig } from "./schema/vmConfig";

/**
 * vCPUs. boot_vcpus is what vm.resize changes (Cloud Hypervisor rewrites it, so it survives a reboot);
 * max_vcpus and every other cpus field are fixed for the VM's life.
 */
export function planCpus(before: VmConfig, after: VmConfig, ctx: PlanContext): PartialPlan {
  const out = emptyPartialPlan();
  const b = before.cpus ?? { boot_vcpus: 1, max_vcpus: 1 };
  const a = after.cpus;
  if (!a) return out;

  const fixedChanged = changedKeys(b, a, new Set(["boot_vcpus"]));
  for (const key of fixedChanged) {
    out.changes.push(
      plannedChange(
        ctx,
        `cpus.${key}`,
        b[key],
        a[key],
        "recreate",
        recreateReason(
          key === "max_vcpus"
            ? "max_vcpus is fixed when the VM is created (it sizes the ACPI CPU hotplug table); vm.resize only moves boot_vcpus below it"
            : `cpus.${key} is fixed when the VM is created; no API call changes it`,
          ctx.running,
        ),
      ),
    );
  }

  if (a.boot_vcpus === b.boot_vcpus) return out;
  const path = "cpus.boot_vcpus";
  if (fixedChanged.length > 0) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        b.boot_vcpus,
        a.boot_vcpus,
        "recreate",
        recreateReason("applied by the recreate cpus." + fixedChanged[0] + " needs", ctx.running),
      ),
    );
    return out;
  }
  if (a.boot_vcpus > b.max_vcpus) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        b.boot_vcpus,
        a.boot_vcpus,
        "rejected",
        `Cloud Hypervisor refuses it: "Requested vCPUs exceed maximum" (${a.boot_vcpus} > max_vcpus ${b.max_vcpus}; HTTP 500). Raising max_vcpus needs the VM recreated`,
      ),
    );
    return out;
  }
  const call = { endpoint: "vm.resize", body: { desired_vcpus: a.boot_vcpus }, paths: [path] };
  if (!ctx.running) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        b.boot_vcpus,
        a.boot_vcpus,
        "staged",
        "the VM is not running: vm.resize stores boot_vcpus for the next boot",
      ),
    );
    out.calls.push({ phase: PHASE.vcpus, call });
    return out;
  }
  if (!supportsLiveVcpuResize(ctx.arch)) {
    out.changes.push(
      plannedChange(
        ctx,
        path,
        b.boot_vcpus,
        a.boot_vcpus,
        "cold",
        `vCPU hotplug is x86_64-only in Cloud Hypervisor (docs/hotplug.md; test_cpu_hotplug is x86_64-only), and this VM runs on ${ctx.arch}: livevm changes it with vm.shutdown, vm.resize on the stopped VM (which stores boot_vcpus), vm.boot`,
      ),
    );
    out.coldCalls.push(call);
    return out;
  }
  const grow = a.boot_vcpus > b.boot_vcpus;
  out.changes.push(
    plannedChange(
      ctx,
      path,
      b.boot_vcpus,
      a.boot_vcpus,
      "live",
      grow
        ? `vm.resize hot-adds ${a.boot_vcpus - b.boot_vcpus} vCPU(s) through ACPI; the guest kernel does not online them by itself (udev rule, or write 1 to /sys/devices/system/cpu/cpuN/online)`
        : `vm.resize asks the guest to eject ${b.boot_vcpus - a.boot_vcpus} vCPU(s); the guest offlines them itself, and until it has, further resizes answer 429 (retried)`,
    ),
  );
  out.calls.push({ phase: PHASE.vcpus, call });
  return out;
}
