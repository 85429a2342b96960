/**
 * Boots a small real Linux guest under QEMU for the guest-readiness integration test: Debian's
 * stock kernel, an initramfs of static busybox + the virtio modules + an /init that applies a
 * guest configuration and reports the guest's own view of its CPUs and memory on the serial
 * console. Always QEMU TCG (software emulation, `-machine q35,accel=tcg -cpu max`): /dev/kvm on
 * these machines cannot run a stock kernel (see the Cloud Hypervisor and guests notes, Part B).
 *
 * There is no cloud-init and no udev in busybox, so the initramfs stands in for them: the
 * cloud-config's write_files are placed in the image, its bootcmd and runcmd run from /init (as
 * on a later boot, when write_files has already run), and busybox `uevent` (a netlink listener)
 * runs the udev rule's RUN programs for the events the rule matches.
 */

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type CloudConfigFile } from "../../core/guestReadiness/guestCloudConfig";
import { QmpClient } from "./qmpClient";

export interface GuestTools {
  readonly qemu: string;
  readonly kernelRelease: string;
  readonly vmlinuz: string;
  readonly moduleDir: string;
  readonly busybox: string;
}

const MODULES = ["virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "virtio_mem"];

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** What the test needs on the host, or why it cannot run (to skip with that reason). */
export function findGuestTools(): { tools: GuestTools } | { missing: string } {
  const hint = "run scripts/setup-guest as root (installs qemu-system-x86, linux-image-amd64, busybox-static, cpio)";
  const qemu = which("qemu-system-x86_64");
  if (!qemu) return { missing: `qemu-system-x86_64 not found; ${hint}` };
  for (const tool of ["cpio", "xz"]) if (!which(tool)) return { missing: `${tool} not found; ${hint}` };
  const busybox = "/bin/busybox";
  if (!fs.existsSync(busybox) || !fs.readFileSync(busybox).subarray(0, 4).equals(Buffer.from("\x7fELF"))) {
    return { missing: `static busybox not found at ${busybox}; ${hint}` };
  }
  const releases = fs.existsSync("/lib/modules")
    ? fs
        .readdirSync("/lib/modules")
        .filter(
          (r) =>
            fs.existsSync(`/boot/vmlinuz-${r}`) &&
            fs.existsSync(`/lib/modules/${r}/kernel/drivers/virtio/virtio_mem.ko`),
        )
        .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    : [];
  const kernelRelease = releases[releases.length - 1];
  if (!kernelRelease)
    return {
      missing: `no /boot/vmlinuz-<release> with uncompressed virtio modules in /lib/modules/<release>; ${hint}`,
    };
  return {
    tools: {
      qemu,
      kernelRelease,
      vmlinuz: `/boot/vmlinuz-${kernelRelease}`,
      moduleDir: `/lib/modules/${kernelRelease}/kernel/drivers/virtio`,
      busybox,
    },
  };
}

/**
 * The uncompressed kernel (vmlinux), which QEMU boots through PVH, skipping the decompressor:
 * about half the TCG boot time. Cached in the OS temp dir per kernel release; falls back to the
 * bzImage when the xz payload cannot be found.
 */
export function uncompressedKernel(tools: GuestTools): string {
  const cached = path.join(os.tmpdir(), `livevm-vmlinux-${tools.kernelRelease}`);
  if (fs.existsSync(cached)) return cached;
  const image = fs.readFileSync(tools.vmlinuz);
  const offset = image.indexOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]));
  if (offset < 0) return tools.vmlinuz;
  // the xz stream is followed by other data, which --single-stream ignores
  const payload = `${cached}.${process.pid}.xz`;
  const tmp = `${cached}.${process.pid}`;
  fs.writeFileSync(payload, image.subarray(offset));
  try {
    fs.writeFileSync(tmp, execFileSync("xz", ["-dc", "--single-stream", "--", payload], { maxBuffer: 1 << 30 }));
  } finally {
    fs.rmSync(payload, { force: true });
  }
  fs.renameSync(tmp, cached);
  return cached;
}

/** Turns livevm's udev rule lines into a busybox `uevent` handler that runs the same RUN programs. */
export function ueventHandlerFromUdevRule(rule: string): string {
  const cases: string[] = [];
  for (const raw of rule.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^SUBSYSTEM=="([^"]+)", ACTION=="([^"]+)", RUN\+="([^"]+)"$/.exec(line);
    if (!m) throw new Error(`the test's udev stand-in does not understand the rule line ${JSON.stringify(line)}`);
    cases.push(`  ${m[1]}:${m[2]}) ${m[3]} ;;`);
  }
  return ["#!/bin/sh", 'case "$SUBSYSTEM:$ACTION" in', ...cases, "esac", ""].join("\n");
}

export interface GuestConfigurationInImage {
  readonly files: readonly CloudConfigFile[];
  /** the udev rule file's path among `files`, whose RUN programs busybox uevent runs */
  readonly udevRulePath?: string;
  readonly bootcmd: readonly string[];
  readonly runcmd: readonly string[];
}

const INIT = (config: GuestConfigurationInImage | undefined) => `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/usr/local/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in ${MODULES.join(" ")}; do insmod /lib/modules/$m.ko || echo "INITERR insmod $m"; done
${config?.udevRulePath ? "uevent /bin/sh /livevm-uevent-handler &\n" : ""}${(config?.bootcmd ?? []).map((c) => `sh -c ${shellQuote(c)} || echo "INITERR bootcmd"`).join("\n")}
${(config?.runcmd ?? []).map((c) => `sh -c ${shellQuote(c)} || echo "INITERR runcmd"`).join("\n")}
echo "CMDLINE $(cat /proc/cmdline)"
echo "POSSIBLE $(cat /sys/devices/system/cpu/possible)"
echo "UNAME $(uname -r)"
echo "UPTIME $(cut -d' ' -f1 /proc/uptime)"
echo READY
prev=
while :; do
  on=0; off=0; mov=0
  for b in /sys/devices/system/memory/memory[0-9]*; do
    case "$(cat $b/state)" in
      online) on=$((on+1)); [ "$(cat $b/valid_zones)" = Movable ] && mov=$((mov+1)) ;;
      *) off=$((off+1)) ;;
    esac
  done
  s="STATE online=$(cat /sys/devices/system/cpu/online) present=$(cat /sys/devices/system/cpu/present) memtotal=$(awk '/^MemTotal:/{print $2}' /proc/meminfo) blocks_online=$on blocks_offline=$off blocks_movable=$mov nr_cpus_rejections=$(dmesg | grep -c 'NR_CPUS/possible_cpus limit')"
  if [ "$s" != "$prev" ]; then echo "$s"; prev=$s; fi
  usleep 50000
done
`;

function shellQuote(s: string): string {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Builds the initramfs (uncompressed newc cpio) in `dir` and returns its path. */
export function buildInitramfs(dir: string, tools: GuestTools, config: GuestConfigurationInImage | undefined): string {
  const root = path.join(dir, "root");
  for (const d of ["bin", "sbin", "proc", "sys", "dev", "tmp", "lib/modules", "usr/bin", "usr/sbin"]) {
    fs.mkdirSync(path.join(root, d), { recursive: true });
  }
  fs.copyFileSync(tools.busybox, path.join(root, "bin/busybox"));
  fs.chmodSync(path.join(root, "bin/busybox"), 0o755);
  for (const m of MODULES)
    fs.copyFileSync(path.join(tools.moduleDir, `${m}.ko`), path.join(root, "lib/modules", `${m}.ko`));
  for (const f of config?.files ?? []) {
    const target = path.join(root, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content);
    fs.chmodSync(target, parseInt(f.permissions, 8));
  }
  if (config?.udevRulePath) {
    const rule = config.files.find((f) => f.path === config.udevRulePath);
    if (!rule) throw new Error(`the configuration has no file ${config.udevRulePath}`);
    fs.writeFileSync(path.join(root, "livevm-uevent-handler"), ueventHandlerFromUdevRule(rule.content), {
      mode: 0o755,
    });
  }
  fs.writeFileSync(path.join(root, "init"), INIT(config), { mode: 0o755 });
  const out = path.join(dir, "initramfs.cpio");
  execFileSync("sh", ["-c", `cd "${root}" && find . | cpio -o -H newc --quiet > "${out}"`]);
  return out;
}

export interface GuestState {
  readonly online: string;
  readonly present: string;
  readonly memTotalKiB: number;
  readonly blocksOnline: number;
  readonly blocksOffline: number;
  readonly blocksMovable: number;
  readonly nrCpusRejections: number;
  /** host wall clock when the guest printed it */
  readonly at: number;
}

function parseState(line: string, at: number): GuestState | undefined {
  const m =
    /^STATE online=(\S*) present=(\S*) memtotal=(\d+) blocks_online=(\d+) blocks_offline=(\d+) blocks_movable=(\d+) nr_cpus_rejections=(\d+)$/.exec(
      line,
    );
  if (!m) return undefined;
  return {
    online: m[1]!,
    present: m[2]!,
    memTotalKiB: Number(m[3]),
    blocksOnline: Number(m[4]),
    blocksOffline: Number(m[5]),
    blocksMovable: Number(m[6]),
    nrCpusRejections: Number(m[7]),
    at,
  };
}

export interface BootOptions {
  readonly tools: GuestTools;
  readonly kernel: string;
  readonly initramfs: string;
  readonly dir: string;
  readonly append: string;
  /** -smp 1,maxcpus=N */
  readonly maxCpus: number;
  /** adds a virtio-mem device (id vm0) with this much memory behind it */
  readonly virtioMemBytes?: bigint;
}

export class QemuGuest {
  readonly serial: string[] = [];
  private readonly states: GuestState[] = [];
  private readonly waiters: Array<() => void> = [];
  private exited: string | undefined;
  cmdline = "";
  possible = "";
  /** the guest's own \`uname -r\` */
  kernelRelease = "";
  bootSeconds = 0;
  qmp!: QmpClient;

  private constructor(private readonly child: ChildProcess) {}

  static async boot(o: BootOptions, timeoutMs = 60_000): Promise<QemuGuest> {
    const started = Date.now();
    const qmpPath = path.join(o.dir, "qmp.sock");
    const args = [
      ...["-machine", "q35,accel=tcg", "-cpu", "max"],
      ...["-smp", `1,maxcpus=${o.maxCpus}`, "-m", "512M,slots=4,maxmem=4G"],
      ...["-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-serial", "stdio", "-monitor", "none"],
      ...["-qmp", `unix:${qmpPath},server=on,wait=off`],
      ...["-kernel", o.kernel, "-initrd", o.initramfs, "-append", o.append],
    ];
    if (o.virtioMemBytes !== undefined) {
      args.push("-object", `memory-backend-ram,id=vmem0,size=${o.virtioMemBytes}`);
      args.push("-device", "virtio-mem-pci,id=vm0,memdev=vmem0,requested-size=0,block-size=2M");
    }
    const child = spawn(o.tools.qemu, args, { stdio: ["ignore", "pipe", "pipe"] });
    const guest = new QemuGuest(child);
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("exit", (code, signal) => {
      guest.exited = `QEMU exited (${signal ?? code}): ${stderr.trim() || "no message"}`;
      guest.wake();
    });
    let buf = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, "");
        buf = buf.slice(nl + 1);
        guest.onLine(line);
      }
    });
    try {
      guest.qmp = await QmpClient.connect(qmpPath);
      await guest.waitForLine((l) => l === "READY", timeoutMs, "the guest's READY line");
      await guest.waitForState(() => true, timeoutMs, "the first state line");
    } catch (e) {
      await guest.stop();
      throw e;
    }
    guest.bootSeconds = (Date.now() - started) / 1000;
    return guest;
  }

  get state(): GuestState {
    const s = this.states[this.states.length - 1];
    if (!s) throw new Error("the guest has not reported its state yet");
    return s;
  }

  async waitForState(pred: (s: GuestState) => boolean, timeoutMs: number, what: string): Promise<GuestState> {
    const found = await this.waitFor(
      () => {
        const s = this.states[this.states.length - 1];
        return s && pred(s) ? s : undefined;
      },
      timeoutMs,
      what,
    );
    return found;
  }

  /** The guest's state after `ms` more milliseconds (it prints a state line on every change). */
  async stateAfterQuiet(ms: number): Promise<GuestState> {
    await new Promise((r) => setTimeout(r, ms));
    return this.state;
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      try {
        await Promise.race([this.qmp?.execute("quit"), new Promise((r) => setTimeout(r, 2000))]);
      } catch {
        // QEMU closes the socket on quit; the kill below covers a hung QEMU
      }
      const gone = new Promise<void>((r) => (this.exited !== undefined ? r() : this.child.once("exit", () => r())));
      const killed = setTimeout(() => this.child.kill("SIGKILL"), 3000);
      await gone;
      clearTimeout(killed);
    }
    this.qmp?.close();
  }

  private async waitForLine(pred: (l: string) => boolean, timeoutMs: number, what: string): Promise<string> {
    return this.waitFor(() => this.serial.find(pred), timeoutMs, what);
  }

  private async waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (this.exited !== undefined)
        throw new Error(`waiting for ${what}: ${this.exited}\nserial:\n${this.serial.join("\n")}`);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; last serial lines:\n${this.serial.slice(-15).join("\n")}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private onLine(line: string): void {
    this.serial.push(line);
    if (line.startsWith("CMDLINE ")) this.cmdline = line.slice(8);
    else if (line.startsWith("POSSIBLE ")) this.possible = line.slice(9);
    else if (line.startsWith("UNAME ")) this.kernelRelease = line.slice(6);
    else {
      const s = parseState(line, Date.now());
      if (s) this.states.push(s);
    }
    this.wake();
  }
}

/** The props of the next free vCPU slot, from `query-hotpluggable-cpus`. */
export async function nextFreeCpuSlot(qmp: QmpClient): Promise<{ type: string; props: Record<string, unknown> }> {
  const slots =
    await qmp.execute<Array<{ type: string; props: Record<string, number>; "qom-path"?: string }>>(
      "query-hotpluggable-cpus",
    );
  const free = slots.filter((s) => s["qom-path"] === undefined);
  free.sort((a, b) => JSON.stringify(a.props).localeCompare(JSON.stringify(b.props), "en", { numeric: true }));
  const slot = free[0];
  if (!slot) throw new Error("no free vCPU slot left (query-hotpluggable-cpus)");
  return { type: slot.type, props: slot.props };
}
