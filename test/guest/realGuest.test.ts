/**
 * Guest readiness proven on a real Linux kernel: Debian's stock kernel booted under QEMU with
 * software emulation (TCG; these machines cannot run it under KVM), vCPUs and memory hot-plugged
 * over QMP, and the result read from the guest's own /sys and /proc over the serial console.
 * The guest configuration is livevm's generated cloud-config: its files are placed in the
 * initramfs, its bootcmd/runcmd run from /init, and busybox `uevent` stands in for udev, running
 * the RUN programs of livevm's udev rule (there is no cloud-init or udev in busybox).
 * Skips, saying why, only when QEMU, the kernel or busybox is not installed (scripts/setup-guest).
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { guestConfiguration, type GuestConfiguration } from "../../core/guestReadiness/guestCloudConfig";
import { type GuestHotplugLimits } from "../../core/guestReadiness/hotplugLimits";
import { checkKernelCommandLine, checkPossibleCpus } from "../../core/guestReadiness/kernelParameterChecks";
import { checkMemoryHotplugKernel } from "../../core/guestReadiness/kernelRelease";
import { UDEV_RULE_PATH } from "../../core/guestReadiness/udevRule";
import { parseCpuList } from "../../core/guestReadiness/cpuList";
import {
  buildInitramfs,
  findGuestTools,
  type GuestConfigurationInImage,
  type GuestTools,
  nextFreeCpuSlot,
  QemuGuest,
  uncompressedKernel,
} from "./qemuGuest";

const MiB = 1024 * 1024;
const LIMITS: GuestHotplugLimits = { maxVcpus: 4, maxMemoryBytes: 4n << 30n, memoryHotplug: "virtio-mem" };
const BASE_APPEND = "console=ttyS0 quiet panic=-1 rdinit=/init";
const LABEL = "emulated (QEMU TCG, not KVM)";

function inImage(config: GuestConfiguration, parts: { bootcmd: boolean }): GuestConfigurationInImage {
  return {
    files: config.cloudConfig.write_files,
    udevRulePath: UDEV_RULE_PATH,
    bootcmd: parts.bootcmd ? config.cloudConfig.bootcmd : [],
    runcmd: parts.bootcmd ? config.cloudConfig.runcmd : [],
  };
}

describe(`real Linux guest, ${LABEL}: hot-plugged CPUs and memory`, function () {
  this.timeout(120_000);
  let tools: GuestTools;
  let kernel: string;
  let work: string;
  const guests: QemuGuest[] = [];
  const figures: string[] = [];

  before(function () {
    const found = findGuestTools();
    if ("missing" in found) {
      console.log(`    skipping the real-guest test: ${found.missing}`);
      this.skip();
    }
    tools = found.tools;
    kernel = uncompressedKernel(tools);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "livevm-real-guest-"));
  });

  afterEach(async () => {
    await Promise.all(guests.splice(0).map((g) => g.stop()));
  });

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
    if (figures.length > 0)
      console.log(
        `    real guest figures, ${LABEL}, kernel ${tools.kernelRelease}:\n      ${figures.join("\n      ")}`,
      );
  });

  async function boot(name: string, config: GuestConfigurationInImage | undefined, append: string, virtioMem = false) {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    const initramfs = buildInitramfs(dir, tools, config);
    const guest = await QemuGuest.boot({
      tools,
      kernel,
      initramfs,
      dir,
      append: `${BASE_APPEND} ${append}`.trim(),
      maxCpus: LIMITS.maxVcpus,
      ...(virtioMem ? { virtioMemBytes: 1n << 30n } : {}),
    });
    guests.push(guest);
    figures.push(`${name}: boot to READY ${guest.bootSeconds.toFixed(1)} s`);
    return guest;
  }

  async function plugCpu(guest: QemuGuest, id: string) {
    const slot = await nextFreeCpuSlot(guest.qmp);
    await guest.qmp.execute("device_add", { driver: slot.type, id, ...slot.props });
  }

  async function plugDimm(guest: QemuGuest, id: string, bytes: number) {
    await guest.qmp.execute("object-add", { "qom-type": "memory-backend-ram", id: `${id}-mem`, size: bytes });
    await guest.qmp.execute("device_add", { driver: "pc-dimm", id, memdev: `${id}-mem` });
  }

  it("with livevm's configuration: hot-plugged vCPUs come online, DIMM and virtio-mem memory come online movable, and the DIMM unplugs again", async () => {
    const config = guestConfiguration(LIMITS);
    const guest = await boot("configured", inImage(config, { bootcmd: true }), "", true);
    const before = guest.state;
    assert.equal(before.online, "0");
    assert.equal(guest.kernelRelease, tools.kernelRelease);
    assert.equal(
      checkMemoryHotplugKernel(guest.kernelRelease).severity,
      "ok",
      "the guest's own uname -r passes the 5.8 check",
    );

    let t = Date.now();
    await plugCpu(guest, "cpu1");
    await plugCpu(guest, "cpu2");
    const cpus = await guest.waitForState((s) => s.online === "0-2", 20_000, "online=0-2 after plugging two vCPUs");
    figures.push(`configured: 2 vCPUs device_add -> online in the guest ${((cpus.at - t) / 1000).toFixed(2)} s`);

    t = Date.now();
    await plugDimm(guest, "dimm1", 256 * MiB);
    const dimm = await guest.waitForState(
      (s) => s.memTotalKiB >= before.memTotalKiB + 256 * 1024,
      20_000,
      "MemTotal +256 MiB after the DIMM",
    );
    figures.push(`configured: 256 MiB pc-dimm -> MemTotal grown ${((dimm.at - t) / 1000).toFixed(2)} s`);
    // the guest reads MemTotal and the block states at slightly different moments: let it settle
    await guest.waitForState(
      (s) => s.blocksOffline === 0 && s.blocksMovable === 2,
      5_000,
      "the DIMM's two 128 MiB blocks online in ZONE_MOVABLE, none offline",
    );

    t = Date.now();
    await guest.qmp.execute("qom-set", { path: "vm0", property: "requested-size", value: 512 * MiB });
    const vmem = await guest.waitForState(
      (s) => s.memTotalKiB >= dimm.memTotalKiB + 512 * 1024,
      20_000,
      "MemTotal +512 MiB after virtio-mem grows",
    );
    figures.push(`configured: virtio-mem 0 -> 512 MiB -> MemTotal grown ${((vmem.at - t) / 1000).toFixed(2)} s`);
    await guest.waitForState(
      (s) => s.blocksOffline === 0 && s.blocksMovable === 6,
      5_000,
      "the DIMM's (2) and virtio-mem's (4) blocks all online in ZONE_MOVABLE, none offline",
    );

    // online_movable is what makes memory removable: a virtio-mem shrink and the DIMM unplug must succeed
    t = Date.now();
    await guest.qmp.execute("qom-set", { path: "vm0", property: "requested-size", value: 256 * MiB });
    const shrunk = await guest.waitForState(
      (s) => s.memTotalKiB === vmem.memTotalKiB - 256 * 1024,
      20_000,
      "MemTotal -256 MiB after virtio-mem shrinks to 256 MiB",
    );
    figures.push(
      `configured: virtio-mem 512 -> 256 MiB (live unplug) -> MemTotal shrunk ${((shrunk.at - t) / 1000).toFixed(2)} s`,
    );

    t = Date.now();
    await guest.qmp.execute("device_del", { id: "dimm1" });
    await guest.qmp.waitForEvent((e) => e.event === "DEVICE_DELETED" && e.data?.device === "dimm1", t, 20_000);
    const unplugged = await guest.waitForState(
      (s) => s.memTotalKiB === shrunk.memTotalKiB - 256 * 1024,
      20_000,
      "MemTotal -256 MiB after the DIMM unplug",
    );
    figures.push(
      `configured: pc-dimm device_del -> DEVICE_DELETED and MemTotal shrunk ${((unplugged.at - t) / 1000).toFixed(2)} s`,
    );
  });

  it("the udev rule alone (no bootcmd, kernel default offline) onlines added memory as movable", async () => {
    const config = guestConfiguration(LIMITS);
    const guest = await boot("udev-rule-only", inImage(config, { bootcmd: false }), "");
    const before = guest.state;
    await plugDimm(guest, "dimm1", 256 * MiB);
    const after = await guest.waitForState(
      (s) => s.memTotalKiB >= before.memTotalKiB + 256 * 1024,
      20_000,
      "MemTotal +256 MiB via the udev rule",
    );
    assert.ok(after.memTotalKiB > before.memTotalKiB);
    await guest.waitForState(
      (s) => s.blocksOffline === 0 && s.blocksMovable === 2,
      5_000,
      "the DIMM's two blocks online in ZONE_MOVABLE (onlined by the udev rule's program)",
    );
  });

  it("without the configuration, hot-plugged vCPUs and memory stay offline although QEMU reports success", async () => {
    const guest = await boot("unconfigured", undefined, "");
    const before = guest.state;
    await plugCpu(guest, "cpu1");
    await plugDimm(guest, "dimm1", 256 * MiB);
    // wait until the guest has seen both devices arrive, then give any onlining a generous second
    await guest.waitForState(
      (s) => parseCpuList(s.present).length === 2 && s.blocksOffline === before.blocksOffline + 2,
      20_000,
      "cpu1 present and two new memory blocks",
    );
    const after = await guest.stateAfterQuiet(1500);
    assert.equal(after.online, "0", "the hot-plugged vCPU is present but not online");
    assert.equal(after.memTotalKiB, before.memTotalKiB, "MemTotal did not grow");
    assert.equal(after.blocksOnline, before.blocksOnline);
    const cpus = await guest.qmp.execute<unknown[]>("query-cpus-fast");
    assert.equal(cpus.length, 2, "while QEMU lists both vCPUs");
  });

  it("with memhp_default_state=online (ZONE_NORMAL), the check warns, and indeed the DIMM cannot be unplugged", async () => {
    const guest = await boot("zone-normal", undefined, "memhp_default_state=online");
    const warning = checkKernelCommandLine(guest.cmdline, LIMITS).find((f) => f.code === "memhp-online-kernel");
    assert.equal(warning?.severity, "warning");
    const before = guest.state;
    await plugDimm(guest, "dimm1", 256 * MiB);
    const plugged = await guest.waitForState(
      (s) => s.memTotalKiB >= before.memTotalKiB + 256 * 1024,
      20_000,
      "MemTotal +256 MiB (onlined by the kernel default)",
    );
    assert.equal(plugged.blocksMovable, 0, "onlined into ZONE_NORMAL, not movable");
    const t = Date.now();
    await guest.qmp.execute("device_del", { id: "dimm1" });
    // the guest answers the eject request through ACPI _OST with 0x82, "device busy"
    const ost = await guest.qmp.waitForEvent(
      (e) => {
        const info = e.data?.info as { device?: string; status?: number } | undefined;
        return e.event === "ACPI_DEVICE_OST" && info?.device === "dimm1" && info.status === 0x82;
      },
      t,
      20_000,
    );
    figures.push(`zone-normal: pc-dimm device_del -> guest's _OST 0x82 (busy) ${((ost.at - t) / 1000).toFixed(2)} s`);
    await assert.rejects(
      guest.qmp.waitForEvent((e) => e.event === "DEVICE_DELETED" && e.data?.device === "dimm1", t, 1_000),
      /no matching QMP event/,
      "QEMU accepted device_del, but the guest refuses to eject memory in ZONE_NORMAL",
    );
    assert.equal(guest.state.memTotalKiB, plugged.memTotalKiB, "the memory stays");
  });

  it("with nr_cpus=2 below the VM's maximum of 4, the check reports it before the hotplug, and the guest indeed ignores the CPU beyond 2", async () => {
    const config = guestConfiguration(LIMITS);
    const guest = await boot("nr_cpus", inImage(config, { bootcmd: true }), "nr_cpus=2");

    // the checks, on the guest's own /proc/cmdline and possible CPUs, before any hotplug
    const findings = checkKernelCommandLine(guest.cmdline, LIMITS);
    const nr = findings.find((f) => f.code === "nr_cpus-below-max");
    assert.ok(nr, `expected an nr_cpus finding for ${JSON.stringify(guest.cmdline)}`);
    assert.equal(nr.severity, "blocking");
    assert.match(
      nr.message,
      /^nr_cpus=2 is below the VM's maximum of 4 vCPUs: hot-plugged CPUs beyond 2 cannot be used/,
    );
    assert.equal(guest.possible, "0-1");
    assert.equal(checkPossibleCpus(guest.possible, LIMITS).severity, "blocking");

    await plugCpu(guest, "cpu1");
    await guest.waitForState((s) => s.online === "0-1", 20_000, "cpu1 online (within nr_cpus)");
    await plugCpu(guest, "cpu2");
    const after = await guest.waitForState(
      (s) => s.nrCpusRejections > 0,
      20_000,
      "the guest's NR_CPUS/possible_cpus message",
    );
    assert.equal((await guest.stateAfterQuiet(1000)).online, "0-1", "the third vCPU never comes online");
    assert.equal(after.present, "0-1");
    const cpus = await guest.qmp.execute<unknown[]>("query-cpus-fast");
    assert.equal(cpus.length, 3, "QEMU accepted the third vCPU all the same");
  });
});
