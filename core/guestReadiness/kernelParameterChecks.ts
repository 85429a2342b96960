/**
 * Checks a guest's kernel command line (/proc/cmdline) against the VM's hotplug limits. The guest
 * can only ever use `possible` CPUs; that count is capped by `nr_cpus=` and `possible_cpus=`, and a
 * CPU hot-plugged beyond it is accepted by the hypervisor yet ignored inside the guest
 * ("APIC: NR_CPUS/possible_cpus limit of N reached. Processor N/0xN ignored."). `maxcpus=0` and
 * `nosmp` disable CPU hotplug outright, `acpi=off` disables ACPI CPU and DIMM hotplug, and
 * `memhp_default_state` decides whether added memory comes up online, and in which zone.
 */

import { type Finding } from "./finding";
import { type GuestHotplugLimits, memoryHotplugEnabled, validateHotplugLimits } from "./hotplugLimits";
import { type KernelParameter, kernelParameter, parseKernelCommandLine } from "./kernelCommandLine";
import { parseCpuList } from "./cpuList";

export function checkKernelCommandLine(cmdline: string, limits: GuestHotplugLimits): Finding[] {
  validateHotplugLimits(limits);
  const params = parseKernelCommandLine(cmdline);
  const findings: Finding[] = [];
  const max = limits.maxVcpus;
  let cpuProblem = false;

  for (const key of ["nr_cpus", "possible_cpus"] as const) {
    const p = kernelParameter(params, key);
    if (!p) continue;
    const n = wholeNumber(p);
    if (n === undefined) {
      findings.push(unparseable(p));
      continue;
    }
    if (n < max) {
      cpuProblem = true;
      findings.push({
        severity: "blocking",
        code: `${key}-below-max`,
        subject: `kernel parameter ${key}`,
        message: `${key}=${n} is below the VM's maximum of ${max} vCPUs: hot-plugged CPUs beyond ${n} cannot be used (NR_CPUS/possible_cpus limit reached)`,
        fix: `remove ${key}= from the guest's kernel command line, or raise it to at least ${max}`,
      });
    }
  }

  const maxcpus = kernelParameter(params, "maxcpus");
  if (maxcpus) {
    const n = wholeNumber(maxcpus);
    if (n === undefined) findings.push(unparseable(maxcpus));
    else if (n === 0 && max > 1) {
      cpuProblem = true;
      findings.push({
        severity: "blocking",
        code: "maxcpus-zero",
        subject: "kernel parameter maxcpus",
        message: `maxcpus=0 disables SMP: the guest uses only its boot CPU and ignores hot-plugged CPUs (the VM allows ${max})`,
        fix: "remove maxcpus=0 from the guest's kernel command line",
      });
    } else if (n < max) {
      findings.push({
        severity: "info",
        code: "maxcpus-below-max",
        subject: "kernel parameter maxcpus",
        message: `maxcpus=${n} only limits the CPUs started at boot: CPUs beyond ${n} stay offline until onlined; livevm's onlining rule onlines hot-plugged ones`,
      });
    }
  }
  if (kernelParameter(params, "nosmp") && max > 1) {
    cpuProblem = true;
    findings.push({
      severity: "blocking",
      code: "nosmp",
      subject: "kernel parameter nosmp",
      message: `nosmp disables SMP: the guest uses only its boot CPU and ignores hot-plugged CPUs (the VM allows ${max})`,
      fix: "remove nosmp from the guest's kernel command line",
    });
  }
  const acpi = kernelParameter(params, "acpi");
  if (acpi?.value === "off") {
    cpuProblem = true;
    findings.push({
      severity: "blocking",
      code: "acpi-off",
      subject: "kernel parameter acpi",
      message: "acpi=off disables ACPI, through which CPUs (and DIMMs) are hot-plugged: the guest never sees them",
      fix: "remove acpi=off from the guest's kernel command line",
    });
  }
  if (!cpuProblem) {
    findings.push({
      severity: "ok",
      code: "cpu-parameters-ok",
      subject: "kernel CPU parameters",
      message: `no kernel parameter limits the guest below the VM's maximum of ${max} vCPUs (the kernel's CONFIG_NR_CPUS and the possible CPU count are checked separately)`,
    });
  }

  if (memoryHotplugEnabled(limits)) findings.push(memoryOnliningFinding(params));
  return findings;
}

function memoryOnliningFinding(params: readonly KernelParameter[]): Finding {
  const p = kernelParameter(params, "memhp_default_state");
  const subject = "kernel parameter memhp_default_state";
  const fix =
    "add memhp_default_state=online_movable to the guest's kernel command line, or use livevm's guest configuration (it sets auto_online_blocks=online_movable at boot)";
  switch (p?.value) {
    case "online_movable":
      return {
        severity: "ok",
        code: "memhp-online-movable",
        subject,
        message:
          "memhp_default_state=online_movable: hot-plugged memory comes up online in ZONE_MOVABLE and can be removed again",
      };
    case "online":
    case "online_kernel":
      return {
        severity: "warning",
        code: "memhp-online-kernel",
        subject,
        message: `memhp_default_state=${p!.value}: hot-plugged memory comes up in ZONE_NORMAL, where the kernel can pin it: unplugging it (virtio-mem shrink, DIMM removal) is refused`,
        fix: "use memhp_default_state=online_movable",
      };
    case "offline":
      return {
        severity: "warning",
        code: "memhp-offline",
        subject,
        message:
          "memhp_default_state=offline: hot-plugged memory stays offline (MemTotal does not grow) unless something onlines it, such as livevm's udev rule",
        fix,
      };
    case undefined:
      return {
        severity: "info",
        code: "memhp-default",
        subject,
        message: p
          ? "memhp_default_state has no value: the kernel's build default applies"
          : "memhp_default_state is not set: the kernel's build default applies (offline on Debian and many distributions), so hot-plugged memory stays offline unless something onlines it, such as livevm's guest configuration",
        fix,
      };
    default:
      return {
        severity: "warning",
        code: "memhp-unknown",
        subject,
        message: `memhp_default_state=${p!.value} is not a value the kernel knows (offline, online, online_kernel, online_movable)`,
        fix,
      };
  }
}

/** Checks the guest's possible CPUs (/sys/devices/system/cpu/possible), the count NR_CPUS and nr_cpus= leave. */
export function checkPossibleCpus(possible: string, limits: GuestHotplugLimits): Finding {
  validateHotplugLimits(limits);
  const count = parseCpuList(possible).length;
  if (count < limits.maxVcpus) {
    return {
      severity: "blocking",
      code: "possible-cpus-below-max",
      subject: "guest possible CPUs",
      message: `the guest can only ever use ${count} CPUs (possible ${possible.trim()}), below the VM's maximum of ${limits.maxVcpus} vCPUs: hot-plugged CPUs beyond ${count} cannot be used (NR_CPUS/possible_cpus limit reached)`,
      fix: "remove nr_cpus=/possible_cpus= from the kernel command line or use a kernel built with a larger CONFIG_NR_CPUS",
    };
  }
  return {
    severity: "ok",
    code: "possible-cpus-ok",
    subject: "guest possible CPUs",
    message: `the guest can use up to ${count} CPUs (possible ${possible.trim()}), enough for the VM's maximum of ${limits.maxVcpus}`,
  };
}

function wholeNumber(p: KernelParameter): number | undefined {
  return p.value !== undefined && /^\d+$/.test(p.value) ? Number(p.value) : undefined;
}

function unparseable(p: KernelParameter): Finding {
  return {
    severity: "warning",
    code: `${p.key}-unparseable`,
    subject: `kernel parameter ${p.key}`,
    message: `${p.key}=${p.value ?? ""} is not a whole number; the kernel ignores or misreads it`,
  };
}
