/**
 * livevm on Cloud Hypervisor: a VM behind a VMM's API socket, changed in place. Change `vcpus`, `memory`
 * or `dataDisk` in the stack configuration and `pulumi up` again: the preview says per change whether it
 * is live, needs a restart or the VM recreated, or would be refused, and up applies it through vm.resize,
 * vm.add-disk and vm.remove-device without restarting the guest.
 *
 *   cloud-hypervisor --api-socket path=/tmp/livevm-ch/api.sock &   # or the sandbox: see README.md
 *   pulumi config set apiSocket /tmp/livevm-ch/api.sock
 *   pulumi up
 *   pulumi config set vcpus 4 && pulumi config set memory 2G && pulumi up    # live
 */
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const apiSocket = config.get("apiSocket") ?? "/tmp/livevm-ch/api.sock";
/** vCPUs now; up to max_vcpus (8) they are hot-plugged (x86_64) */
const vcpus = config.getNumber("vcpus") ?? 2;
/** guest RAM (ACPI hotplug): grows live in 128M steps within hotplug_size, shrinks at the next reboot */
const memory = config.get("memory") ?? "1G";
const dataDisk = config.getBoolean("dataDisk") ?? false;
const onRestartRequired = config.get("onRestartRequired") ?? "warn";

/**
 * The provider's livevm:cloudhypervisor:VirtualMachine. (The package's SDK has the same class as
 * `cloudhypervisor.VirtualMachine`; it is spelled out here so the example shows the wire contract.)
 */
class CloudHypervisorVirtualMachine extends pulumi.CustomResource {
  declare readonly apiSocket: pulumi.Output<string>;
  /** the config Cloud Hypervisor holds (vm.info), sizes in bytes */
  declare readonly config: pulumi.Output<Record<string, unknown>>;
  declare readonly state: pulumi.Output<string>;
  declare readonly info: pulumi.Output<{ memoryActualSize?: number; pciDevices?: Record<string, string> }>;
  declare readonly lastPlan: pulumi.Output<{
    outcome: string;
    changes: { path: string; outcome: string; reason: string }[];
  }>;

  constructor(
    name: string,
    args: {
      apiSocket: pulumi.Input<string>;
      config: pulumi.Input<Record<string, unknown>>;
      onRestartRequired?: pulumi.Input<string>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      "livevm:cloudhypervisor:VirtualMachine",
      name,
      { ...args, state: undefined, info: undefined, lastPlan: undefined, memoryHotplug: undefined },
      opts,
    );
  }
}

const vm = new CloudHypervisorVirtualMachine("vm", {
  apiSocket,
  onRestartRequired,
  config: {
    payload: {
      kernel: "/var/lib/livevm/vmlinux",
      initramfs: "/var/lib/livevm/initramfs.cpio.gz",
      // the guest onlines hot-added memory by itself; hot-added vCPUs need a udev rule (see README)
      cmdline: "console=ttyS0 memhp_default_state=online_movable",
    },
    cpus: { boot_vcpus: vcpus, max_vcpus: 8 },
    memory: { size: memory, hotplug_size: "4G" },
    disks: [
      { id: "root", path: "/var/lib/livevm/root.raw" },
      ...(dataDisk ? [{ id: "data", path: "/var/lib/livevm/data.raw" }] : []),
    ],
    net: [{ id: "net0", tap: "livevm-tap0", mac: "52:54:00:12:34:56" }],
  },
});

export const state = vm.state;
export const memoryActualSize = vm.info.apply((i) => i?.memoryActualSize);
export const pciDevices = vm.info.apply((i) => i?.pciDevices);
export const lastPlan = vm.lastPlan.apply(
  (p) => p && `${p.outcome}: ${p.changes.map((c) => `${c.path} ${c.outcome}`).join(", ")}`,
);
