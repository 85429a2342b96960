import { apiError, ApiFailure } from "./apiFailure";
import { DEVICE_LISTS, readStruct, readVmConfig, type Spec } from "./deserialize";
import { DEFAULT_GUEST, type GuestBehaviour } from "./guestBehaviour";
import { asU64 } from "./u64";

/**
 * One Cloud Hypervisor VMM process with at most one VM, modelled from vmm/src/lib.rs, vm.rs, cpu.rs,
 * memory_manager.rs and device_manager.rs (see cloud-hypervisor-and-guests.md Part A). Independent of
 * livevm's planner: it implements Cloud Hypervisor's behaviour, not livevm's predictions of it.
 */

const MiB = 1n << 20n;
const ACPI_DIMM_ALIGN = 128n * MiB;
const HOTPLUG_COUNT = 8;
const VIRTIO_MEM_BLOCK = 2n * MiB;

export type Architecture = "x86_64" | "aarch64";

interface DeviceNode {
  id: string;
  resources: unknown[];
  children: string[];
  pci_bdf: string | null;
  /** the VmConfig list it belongs to, or a fixed device type (balloon, rng, ...) */
  kind: string;
}

interface VirtioMemState {
  regionSize: bigint;
  requested: bigint;
  plugged: bigint;
}

/** What exists only while the VM runs (Vm, CpuManager, MemoryManager, DeviceManager). */
interface RunningVm {
  state: "Running" | "Paused";
  presentVcpus: number;
  /** vCPUs marked for removal that the guest has not ejected yet */
  pendingRemoval: number;
  cpuEjectTimer?: NodeJS.Timeout;
  bootRam: bigint;
  currentRam: bigint;
  slotsUsed: number;
  /** end of the ACPI hotplug area, relative: bytes that can be hot-added in total */
  acpiRoom: bigint;
  method: "Acpi" | "VirtioMem";
  virtioMem?: VirtioMemState;
  zones: Map<string, { size: bigint; virtioMem?: VirtioMemState }>;
  balloonActual: bigint;
  deviceTree: Map<string, DeviceNode>;
  /** devices removed from the config that the guest has not ejected yet */
  pendingEject: Map<string, NodeJS.Timeout | undefined>;
  usedSlots: Set<number>;
}

export interface VmmOptions {
  readonly arch?: Architecture;
  readonly guest?: GuestBehaviour;
}

/** What a test can see of the guest, beyond vm.info. */
export interface GuestView {
  readonly state: string;
  readonly presentVcpus: number;
  readonly pendingVcpuRemoval: number;
  readonly bootRam: bigint;
  /** RAM the guest has: boot RAM + ACPI DIMMs + plugged virtio-mem */
  readonly ram: bigint;
  readonly acpiSlotsUsed: number;
  readonly virtioMemPlugged: bigint;
  readonly devicesPendingEject: readonly string[];
  /** how many times the VM was booted (vm.boot and vm.reboot) */
  readonly boots: number;
}

function u64(value: unknown): bigint {
  return asU64(value) ?? 0n;
}

function hex(n: bigint): string {
  return "0x" + n.toString(16);
}

export class Vmm {
  config: Record<string, unknown> | undefined;
  vm: RunningVm | undefined;
  guest: Required<GuestBehaviour>;
  readonly arch: Architecture;
  boots = 0;
  private deviceIdCounter = 0;

  constructor(options: VmmOptions = {}) {
    this.arch = options.arch ?? "x86_64";
    this.guest = { ...DEFAULT_GUEST, ...options.guest };
  }

  // ---- lifecycle -------------------------------------------------------------------------------------

  create(body: unknown): void {
    const config = readVmConfig(body);
    if (this.config) throw apiError("other", "The VM could not be created", "VM is already created");
    this.config = config;
  }

  boot(): void {
    if (this.vm) throw apiError("other", "The VM could not boot", "VM is already created");
    if (!this.config) throw apiError("vm-not-created", "The VM could not boot", "VM config is missing");
    this.validate(this.config, "The VM could not boot");
    this.start();
  }

  shutdown(): void {
    if (!this.vm) throw apiError("other", "The VM could not shutdown", "VM is not running");
    this.stop();
  }

  reboot(): void {
    if (!this.vm) throw apiError("vm-not-created", "The VM could not reboot", "VM is not created");
    this.stop();
    this.validate(this.config!, "The VM could not reboot");
    this.start();
  }

  delete(): void {
    if (this.vm) this.stop();
    this.config = undefined;
  }

  pause(): void {
    if (!this.config) throw apiError("vm-not-created", "The VM could not be paused", "VM is not created");
    if (!this.vm || this.vm.state !== "Running")
      throw apiError("other", "The VM could not be paused", "VM is not running");
    this.vm.state = "Paused";
  }

  resume(): void {
    if (!this.config) throw apiError("vm-not-created", "The VM could not resume", "VM is not created");
    if (!this.vm || this.vm.state !== "Paused") throw apiError("other", "The VM could not resume", "VM is not paused");
    this.vm.state = "Running";
  }

  requireRunning(apiText: string): void {
    if (!this.config) throw apiError("vm-not-created", apiText, "VM is not created");
    if (!this.vm) throw apiError("other", apiText, "VM is not running");
  }

  info(): Record<string, unknown> {
    if (!this.config) throw apiError("vm-not-created", "The VM info is not available", "VM is not created");
    const memory = this.config.memory as Record<string, unknown>;
    let base = u64(memory.size);
    for (const zone of (memory.zones as Record<string, unknown>[] | null) ?? []) base += u64(zone.size);
    const vm = this.vm;
    if (!vm) return { config: this.config, state: "Created", memory_actual_size: base };
    let plugged = vm.virtioMem?.plugged ?? 0n;
    for (const zone of vm.zones.values()) plugged += zone.virtioMem?.plugged ?? 0n;
    const actual = (base > vm.balloonActual ? base - vm.balloonActual : 0n) + plugged;
    const tree: Record<string, unknown> = {};
    for (const [id, node] of vm.deviceTree)
      tree[id] = { id: node.id, resources: node.resources, children: node.children, pci_bdf: node.pci_bdf };
    return { config: this.config, state: vm.state, memory_actual_size: actual, device_tree: tree };
  }

  counters(): Record<string, Record<string, number>> {
    if (!this.config) throw apiError("vm-not-created", "The VM info is not available", "VM is not created");
    const out: Record<string, Record<string, number>> = {};
    for (const [id, node] of this.vm?.deviceTree ?? []) {
      if (node.kind === "disks") out[id] = { read_bytes: 0, write_bytes: 0, read_ops: 0, write_ops: 0 };
      if (node.kind === "net") out[id] = { rx_bytes: 0, rx_frames: 0, tx_bytes: 0, tx_frames: 0 };
    }
    return out;
  }

  guestView(): GuestView {
    const vm = this.vm;
    let plugged = vm?.virtioMem?.plugged ?? 0n;
    for (const zone of vm?.zones.values() ?? []) plugged += zone.virtioMem?.plugged ?? 0n;
    return {
      state: vm?.state ?? (this.config ? "Created" : "NotCreated"),
      presentVcpus: vm?.presentVcpus ?? 0,
      pendingVcpuRemoval: vm?.pendingRemoval ?? 0,
      bootRam: vm?.bootRam ?? 0n,
      ram: vm ? vm.currentRam + plugged : 0n,
      acpiSlotsUsed: vm?.slotsUsed ?? 0,
      virtioMemPlugged: plugged,
      devicesPendingEject: [...(vm?.pendingEject.keys() ?? [])],
      boots: this.boots,
    };
  }

  /** The guest ejects every vCPU and device it was asked to remove, now. */
  ejectPending(): void {
    const vm = this.vm;
    if (!vm) return;
    this.ejectCpus(vm);
    for (const id of [...vm.pendingEject.keys()]) this.ejectDevice(vm, id);
  }

  close(): void {
    if (this.vm) this.stop();
  }

  private start(): void {
    const config = this.config!;
    const cpus = config.cpus as Record<string, unknown>;
    const memory = config.memory as Record<string, unknown>;
    const method = memory.hotplug_method === "VirtioMem" ? "VirtioMem" : "Acpi";
    const size = u64(memory.size);
    const hotplugSize = memory.hotplug_size === null ? undefined : u64(memory.hotplug_size);
    const vm: RunningVm = {
      state: "Running",
      presentVcpus: Number(cpus.boot_vcpus),
      pendingRemoval: 0,
      bootRam: size,
      currentRam: size,
      slotsUsed: 0,
      acpiRoom: method === "Acpi" ? (hotplugSize ?? 0n) : 0n,
      method,
      zones: new Map(),
      balloonActual: config.balloon ? u64((config.balloon as Record<string, unknown>).size) : 0n,
      deviceTree: new Map(),
      pendingEject: new Map(),
      usedSlots: new Set(),
    };
    if (method === "VirtioMem" && hotplugSize !== undefined) {
      const requested = memory.hotplugged_size === null ? 0n : u64(memory.hotplugged_size);
      vm.virtioMem = { regionSize: hotplugSize, requested, plugged: requested };
    }
    for (const zone of (memory.zones as Record<string, unknown>[] | null) ?? []) {
      const zoneHotplug =
        zone.hotplug_size === null || zone.hotplug_size === undefined ? undefined : u64(zone.hotplug_size);
      const requested =
        zone.hotplugged_size === null || zone.hotplugged_size === undefined ? 0n : u64(zone.hotplugged_size);
      vm.zones.set(String(zone.id), {
        size: u64(zone.size),
        virtioMem: zoneHotplug === undefined ? undefined : { regionSize: zoneHotplug, requested, plugged: requested },
      });
    }
    if (config.balloon) {
      const balloon = config.balloon as Record<string, unknown>;
      const id = typeof balloon.id === "string" ? balloon.id : "__balloon";
      this.attach(vm, id, "balloon");
    }
    for (const [key, list] of Object.entries(DEVICE_LISTS)) {
      const value = config[key];
      if (value === null || value === undefined) continue;
      const entries = list.many ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
      for (const entry of entries) {
        if (typeof entry.id !== "string") entry.id = this.nextDeviceName(vm, list.prefix);
        this.attach(vm, entry.id as string, key);
      }
    }
    this.vm = vm;
    this.boots += 1;
  }

  private stop(): void {
    const vm = this.vm!;
    if (vm.cpuEjectTimer) clearTimeout(vm.cpuEjectTimer);
    for (const timer of vm.pendingEject.values()) if (timer) clearTimeout(timer);
    this.vm = undefined;
  }

  private nextDeviceName(vm: RunningVm | undefined, prefix: string): string {
    for (;;) {
      const name = `${prefix}${this.deviceIdCounter}`;
      this.deviceIdCounter += 1;
      if (!vm?.deviceTree.has(name)) return name;
    }
  }

  private attach(vm: RunningVm, id: string, kind: string): DeviceNode {
    let slot = 1;
    while (vm.usedSlots.has(slot)) slot += 1;
    if (slot > 31)
      throw apiError(
        "other",
        "The device could not be added to the VM",
        "Error from device manager",
        "No free PCI slot",
      );
    vm.usedSlots.add(slot);
    const node: DeviceNode = {
      id,
      resources: [],
      children: [],
      pci_bdf: `0000:00:${slot.toString(16).padStart(2, "0")}.0`,
      kind,
    };
    vm.deviceTree.set(id, node);
    return node;
  }

  // ---- config validation (VmConfig::validate, the parts livevm's requests can trip) --------------

  private validate(config: Record<string, unknown>, apiText: string): void {
    const invalid = (message: string) => apiError("config-invalid", apiText, "Failed to validate config", message);
    const duplicate = (message: string) => apiError("config-duplicate", apiText, "Failed to validate config", message);
    const cpus = config.cpus as Record<string, unknown>;
    const boot = Number(cpus.boot_vcpus);
    const max = Number(cpus.max_vcpus);
    if (boot === 0) throw invalid("Error parsing --cpus: boot_vcpus must be at least 1");
    if (max < boot) throw invalid(`Max CPUs (${max}) lower than boot CPUs (${boot})`);
    const limit = this.arch === "x86_64" ? 8192 : 255;
    if (max > limit) throw invalid(`Too many CPUs: specified ${max} but ${limit} is the limit`);
    const memory = config.memory as Record<string, unknown>;
    if (memory.hotplug_size !== null && u64(memory.hotplug_size) === 0n) throw invalid("'hotplug_size' can't be 0");
    if (config.balloon) {
      let ram = u64(memory.size) + (memory.hotplugged_size === null ? 0n : u64(memory.hotplugged_size));
      for (const zone of (memory.zones as Record<string, unknown>[] | null) ?? []) ram += u64(zone.size);
      const size = u64((config.balloon as Record<string, unknown>).size);
      if (size > ram) throw invalid(`Balloon size (${size}) greater than RAM (${ram})`);
    }
    const ids = new Set<string>();
    const paths = new Set<string>();
    const fixed = [config.balloon, config.rng, config.console] as (Record<string, unknown> | undefined | null)[];
    for (const entry of fixed) if (entry && typeof entry.id === "string") ids.add(entry.id);
    for (const [key, list] of Object.entries(DEVICE_LISTS)) {
      const value = config[key];
      if (value === null || value === undefined) continue;
      const entries = list.many ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
      for (const entry of entries) {
        if (typeof entry.id === "string") {
          if (ids.has(entry.id)) throw duplicate(`Identifier ${entry.id} is not unique`);
          ids.add(entry.id);
        }
        if (key === "disks" && typeof entry.path === "string") {
          if (paths.has(entry.path)) throw duplicate(`Duplicated device path: ${entry.path}`);
          paths.add(entry.path);
        }
        if (key === "vsock" && Number(entry.cid) < 3)
          throw invalid(`Invalid vsock CID ${String(entry.cid)}: must be at least 3`);
      }
    }
  }

  // ---- vm.resize ------------------------------------------------------------------------------------

  resize(body: Record<string, unknown>): void {
    const text = "The VM could not be resized";
    if (!this.config) throw apiError("vm-not-created", text, "VM is not created");
    const desiredVcpus =
      body.desired_vcpus === null || body.desired_vcpus === undefined ? undefined : Number(body.desired_vcpus);
    const desiredRam = body.desired_ram === null || body.desired_ram === undefined ? undefined : u64(body.desired_ram);
    const desiredBalloon =
      body.desired_balloon === null || body.desired_balloon === undefined ? undefined : u64(body.desired_balloon);
    const config = this.config;
    const memory = config.memory as Record<string, unknown>;
    const vm = this.vm;
    if (!vm) {
      // created, not booted: only the stored config changes, without any validation
      if (desiredVcpus !== undefined) (config.cpus as Record<string, unknown>).boot_vcpus = desiredVcpus;
      if (desiredRam !== undefined) memory.size = desiredRam;
      if (desiredBalloon !== undefined && config.balloon)
        (config.balloon as Record<string, unknown>).size = desiredBalloon;
      return;
    }
    // Vm::resize: vCPUs, then RAM, then balloon, no rollback
    if (desiredVcpus !== undefined) {
      this.resizeVcpus(vm, desiredVcpus);
      (config.cpus as Record<string, unknown>).boot_vcpus = desiredVcpus;
    }
    if (desiredRam !== undefined) {
      this.resizeRam(vm, desiredRam);
      if (vm.method === "Acpi") memory.size = desiredRam;
      else memory.hotplugged_size = desiredRam > u64(memory.size) ? desiredRam - u64(memory.size) : null;
    }
    if (desiredBalloon !== undefined) {
      if (!config.balloon)
        throw apiError("other", text, "Error from device manager", "Missing virtio-balloon, can't proceed as expected");
      vm.balloonActual = desiredBalloon;
      (config.balloon as Record<string, unknown>).size = desiredBalloon;
    }
  }

  private resizeVcpus(vm: RunningVm, desired: number): void {
    const text = "The VM could not be resized";
    const cpuError = (message: string) => apiError("other", text, "Error from CPU manager", message);
    if (desired === vm.presentVcpus) return;
    if (desired < 1) throw cpuError("Requested zero vCPUs");
    if (vm.pendingRemoval > 0) throw new ApiFailure("vcpu-removal-pending", ["Too Many Requests"]);
    const max = Number((this.config!.cpus as Record<string, unknown>).max_vcpus);
    if (desired > vm.presentVcpus) {
      if (desired > max) throw cpuError("Requested vCPUs exceed maximum");
      vm.presentVcpus = desired;
      return;
    }
    vm.pendingRemoval = vm.presentVcpus - desired;
    const delay = this.guest.cpuEjectDelayMs;
    if (delay === null) return;
    if (delay <= 0) this.ejectCpus(vm);
    else vm.cpuEjectTimer = setTimeout(() => this.ejectCpus(vm), delay);
  }

  private ejectCpus(vm: RunningVm): void {
    if (vm.cpuEjectTimer) clearTimeout(vm.cpuEjectTimer);
    vm.cpuEjectTimer = undefined;
    vm.presentVcpus -= vm.pendingRemoval;
    vm.pendingRemoval = 0;
  }

  private resizeRam(vm: RunningVm, desired: bigint): void {
    const text = "The VM could not be resized";
    const memError = (...chain: string[]) => apiError("other", text, "Memory manager error", ...chain);
    if (vm.zones.size > 0)
      throw memError("Impossible to resize guest memory if it is backed by user defined memory regions");
    if (vm.method === "VirtioMem") {
      if (desired < vm.bootRam)
        throw memError(`Invalid resize request: desired_size = ${desired} below boot size = ${vm.bootRam}`);
      if (!vm.virtioMem) throw memError("No virtio-mem resizing handler found");
      this.virtioMemResize(vm.virtioMem, desired - vm.bootRam, memError);
      return;
    }
    if (desired <= vm.currentRam) return; // stored in the config only; applies at the next boot
    const size = desired - vm.currentRam;
    if (vm.slotsUsed >= HOTPLUG_COUNT) throw memError("No ACPI slot available");
    if (size % ACPI_DIMM_ALIGN !== 0n) throw memError("The requested hotplug memory addition is not a valid size");
    const used = vm.currentRam - vm.bootRam;
    if (used + size > vm.acpiRoom) throw memError("Not enough space in the hotplug RAM region");
    vm.currentRam = desired;
    vm.slotsUsed += 1;
  }

  private virtioMemResize(state: VirtioMemState, size: bigint, memError: (...chain: string[]) => ApiFailure): void {
    const fail = (message: string) => memError("Failed to virtio-mem resize", "Resize invalid argument", message);
    if (state.requested === size) throw fail(`new size ${hex(size)} and requested_size are identical`);
    if (size > state.regionSize)
      throw fail(`new size ${hex(size)} is bigger than region_size ${hex(state.regionSize)}`);
    if (size % VIRTIO_MEM_BLOCK !== 0n)
      throw fail(`new size ${hex(size)} is not aligned on block_size ${hex(VIRTIO_MEM_BLOCK)}`);
    state.requested = size;
    if (size >= state.plugged) {
      state.plugged = size;
    } else {
      // the guest unplugs what it can migrate away, in whole blocks
      const share = Math.max(0, Math.min(1, this.guest.virtioMemUnplugShare));
      const wanted = state.plugged - size;
      const blocks = ((wanted / VIRTIO_MEM_BLOCK) * BigInt(Math.round(share * 1000))) / 1000n;
      state.plugged -= blocks * VIRTIO_MEM_BLOCK;
    }
  }

  resizeZone(body: Record<string, unknown>): void {
    const text = "The memory zone could not be resized";
    if (!this.config) throw apiError("vm-not-created", text, "VM is not created");
    const id = String(body.id);
    const desired = u64(body.desired_ram);
    const memory = this.config.memory as Record<string, unknown>;
    const zones = (memory.zones as Record<string, unknown>[] | null) ?? [];
    const zoneConfig = zones.find((z) => z.id === id);
    const vm = this.vm;
    if (!vm) {
      if (!zoneConfig) throw apiError("other", text, "Failed resizing a memory zone");
      zoneConfig.size = desired;
      return;
    }
    const zone = vm.zones.get(id);
    if (!zoneConfig || !zone) throw apiError("other", text, "Failed resizing a memory zone");
    const memError = (...chain: string[]) => apiError("other", text, "Memory manager error", ...chain);
    if (desired < zone.size)
      throw memError(`Invalid resize request: desired_size = ${desired} below boot size = ${zone.size}`);
    if (!zone.virtioMem) throw memError("No virtio-mem resizing handler found");
    this.virtioMemResize(zone.virtioMem, desired - zone.size, memError);
    zoneConfig.hotplugged_size = desired - zone.size;
  }

  resizeDisk(body: Record<string, unknown>): void {
    const text = "The disk could not be resized";
    if (!this.config) throw apiError("vm-not-created", text, "VM is not created");
    const vm = this.vm;
    if (!vm) throw apiError("other", text, "Failed resizing a disk");
    const id = String(body.id);
    const node = vm.deviceTree.get(id);
    if (!node || node.kind !== "disks") {
      throw apiError(
        "unknown-device",
        text,
        "Error from device manager",
        `Failed to find device corresponding to the given identifier: ${id}`,
      );
    }
  }

  // ---- devices --------------------------------------------------------------------------------------

  addDevice(key: string, body: unknown, apiText: string): { id: string; bdf: string } | undefined {
    const list = DEVICE_LISTS[key]!;
    const entry = readStruct(list.spec as Spec, body, key);
    if (!this.config) throw apiError("vm-not-created", apiText, "VM is not created");
    const config = this.config;
    if (!list.many && config[key]) throw apiError("other", apiText, "Too many vsock devices");
    const candidate = structuredClone(config);
    if (list.many) candidate[key] = [...((candidate[key] as unknown[] | null) ?? []), entry];
    else candidate[key] = entry;
    this.validate(candidate, apiText);
    const vm = this.vm;
    if (!vm) {
      config[key] = candidate[key];
      return undefined;
    }
    if (typeof entry.id === "string" && vm.deviceTree.has(entry.id)) {
      // the id is still in the device tree: the guest has not ejected the device removed under it
      throw apiError(
        "other",
        apiText,
        "Error from device manager",
        `Device ${entry.id} already exists in the device tree (not ejected yet)`,
      );
    }
    if (typeof entry.id !== "string") entry.id = this.nextDeviceName(vm, list.prefix);
    const node = this.attach(vm, entry.id as string, key);
    if (list.many) config[key] = [...((config[key] as unknown[] | null) ?? []), entry];
    else config[key] = entry;
    return { id: node.id, bdf: node.pci_bdf! };
  }

  removeDevice(body: Record<string, unknown>): void {
    const text = "The device could not be removed from the VM";
    const id = String(body.id);
    if (!this.config) throw apiError("vm-not-created", text, "VM is not created");
    const vm = this.vm;
    if (!vm) {
      if (!this.removeFromConfig(id))
        throw apiError("unknown-device", text, `No device with id ${JSON.stringify(id)} to remove`);
      return;
    }
    const node = vm.deviceTree.get(id);
    if (!node) {
      throw apiError(
        "unknown-device",
        text,
        "Error from device manager",
        `Failed to find device corresponding to the given identifier: ${id}`,
      );
    }
    if (node.kind === "balloon") {
      throw apiError(
        "other",
        text,
        "Error from device manager",
        "Not allowed to remove this type of device from the VM: Balloon",
      );
    }
    if (vm.pendingEject.has(id)) return;
    this.removeFromConfig(id);
    const delay = this.guest.deviceEjectDelayMs;
    if (delay === null) {
      vm.pendingEject.set(id, undefined);
    } else if (delay <= 0) {
      vm.pendingEject.set(id, undefined);
      this.ejectDevice(vm, id);
    } else {
      vm.pendingEject.set(
        id,
        setTimeout(() => this.ejectDevice(vm, id), delay),
      );
    }
  }

  private ejectDevice(vm: RunningVm, id: string): void {
    const timer = vm.pendingEject.get(id);
    if (timer) clearTimeout(timer);
    vm.pendingEject.delete(id);
    const node = vm.deviceTree.get(id);
    if (!node) return;
    vm.deviceTree.delete(id);
    const slot = node.pci_bdf ? parseInt(node.pci_bdf.slice(8, 10), 16) : NaN;
    vm.usedSlots.delete(slot);
  }

  private removeFromConfig(id: string): boolean {
    const config = this.config!;
    for (const [key, list] of Object.entries(DEVICE_LISTS)) {
      const value = config[key];
      if (value === null || value === undefined) continue;
      if (list.many) {
        const entries = value as Record<string, unknown>[];
        const kept = entries.filter((e) => e.id !== id);
        if (kept.length !== entries.length) {
          config[key] = kept;
          return true;
        }
      } else if ((value as Record<string, unknown>).id === id) {
        config[key] = null;
        return true;
      }
    }
    return false;
  }
}
