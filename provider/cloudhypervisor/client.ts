import { request as httpRequest } from "node:http";
import { parseApiJson, stringifyApiJson } from "../../core/cloudhypervisor/apiJson";
import { dropNulls } from "../../core/cloudhypervisor/configValue";
import { deviceKind, type DeviceKey } from "../../core/cloudhypervisor/deviceKinds";
import type { VmState } from "../../core/cloudhypervisor/plan";
import { parseVmConfig, type VmConfig } from "../../core/cloudhypervisor/schema/vmConfig";
import { CloudHypervisorApiError, CloudHypervisorConnectionError } from "./apiError";

/**
 * A client for Cloud Hypervisor's HTTP API over its Unix socket (`--api-socket path=...`), written to the
 * API as each release really behaves (cloud-hypervisor-and-guests.md Part A):
 * - requests are `PUT`/`GET /api/v1/<endpoint>` with JSON bodies; sizes are exact (bigints on our side);
 * - success is 200 (JSON body) or 204; anything else throws CloudHypervisorApiError with Cloud Hypervisor's
 *   error chain verbatim. Releases disagree on 404/400/409 versus 500, so callers classify failures by the
 *   chain (apiError.ts), never by the status alone;
 * - 429 (a vCPU removal is still pending) is retried with exponential back-off;
 * - resizeIfChanged() leaves out fields already at their target: virtio-mem answers 500 to a repeated size.
 */

export interface RetryOptions {
  /** attempts in all for a request answered 429; default 20 */
  readonly attempts?: number;
  /** first wait, doubled after every 429; default 50 ms */
  readonly initialDelayMs?: number;
  /** longest single wait; default 2000 ms */
  readonly maxDelayMs?: number;
}

export interface CloudHypervisorClientOptions {
  readonly socketPath: string;
  /** per request; default 30 s */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** aborts waits and requests */
  readonly signal?: AbortSignal;
  /** called before each retry of a 429 */
  readonly onRetry?: (endpoint: string, attempt: number, delayMs: number) => void;
}

export interface VmmPing {
  readonly version: string;
  readonly build_version?: string;
  readonly pid?: number;
  readonly features?: readonly string[];
}

export interface DeviceNode {
  readonly id?: string;
  readonly resources?: readonly unknown[];
  readonly children?: readonly string[];
  readonly pci_bdf?: string | null;
}

export interface VmInfo {
  /** the config Cloud Hypervisor holds (nulls dropped, sizes exact) */
  readonly config: VmConfig;
  readonly state: VmState;
  /** see Part A.5: not proof the guest onlined anything */
  readonly memoryActualSize: bigint | undefined;
  readonly deviceTree: Readonly<Record<string, DeviceNode>> | undefined;
}

export interface PciDeviceInfo {
  readonly id: string;
  readonly bdf: string;
}

export interface ResizeRequest {
  readonly desiredVcpus?: number;
  /** total guest RAM in bytes */
  readonly desiredRam?: bigint;
  readonly desiredBalloon?: bigint;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

const SUCCESS = new Set([200, 204]);

export class CloudHypervisorClient {
  readonly socketPath: string;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;

  constructor(private readonly options: CloudHypervisorClientOptions) {
    this.socketPath = options.socketPath;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retry = { attempts: 20, initialDelayMs: 50, maxDelayMs: 2000, ...options.retry };
  }

  // ---- VMM ----------------------------------------------------------------------------------------

  async ping(): Promise<VmmPing> {
    return (await this.call("GET", "vmm.ping")) as VmmPing;
  }

  /** Shuts the VMM down (it deletes the VM first); answers 200 with no body. */
  async shutdownVmm(): Promise<void> {
    await this.call("PUT", "vmm.shutdown");
  }

  // ---- VM lifecycle -------------------------------------------------------------------------------

  async info(): Promise<VmInfo> {
    const raw = (await this.call("GET", "vm.info")) as Record<string, unknown>;
    const config = parseVmConfig(dropNulls(raw.config), `vm.info config from ${this.socketPath}`, {
      requireDeviceIds: false,
    });
    const size = raw.memory_actual_size;
    return {
      config,
      state: raw.state as VmState,
      memoryActualSize: typeof size === "bigint" ? size : typeof size === "number" ? BigInt(size) : undefined,
      deviceTree: (raw.device_tree ?? undefined) as VmInfo["deviceTree"],
    };
  }

  async create(config: VmConfig): Promise<void> {
    await this.call("PUT", "vm.create", config);
  }

  async boot(): Promise<void> {
    await this.call("PUT", "vm.boot");
  }

  async shutdown(): Promise<void> {
    await this.call("PUT", "vm.shutdown");
  }

  async reboot(): Promise<void> {
    await this.call("PUT", "vm.reboot");
  }

  /** Idempotent: 204 even when there is no VM. */
  async delete(): Promise<void> {
    await this.call("PUT", "vm.delete");
  }

  async pause(): Promise<void> {
    await this.call("PUT", "vm.pause");
  }

  async resume(): Promise<void> {
    await this.call("PUT", "vm.resume");
  }

  async counters(): Promise<Record<string, Record<string, number | bigint>>> {
    return (await this.call("GET", "vm.counters")) as Record<string, Record<string, number | bigint>>;
  }

  // ---- resize -------------------------------------------------------------------------------------

  /** vm.resize as given (a 429 is retried). Prefer resizeIfChanged for desired-state reconciling. */
  async resize(request: ResizeRequest): Promise<void> {
    const body: Record<string, unknown> = {};
    if (request.desiredVcpus !== undefined) body.desired_vcpus = request.desiredVcpus;
    if (request.desiredRam !== undefined) body.desired_ram = request.desiredRam;
    if (request.desiredBalloon !== undefined) body.desired_balloon = request.desiredBalloon;
    await this.call("PUT", "vm.resize", body);
  }

  /**
   * vm.resize with only the fields that differ from what `current` (vm.info, fetched when not given)
   * already asks for; sends nothing when none do. Returns the request sent, or undefined.
   */
  async resizeIfChanged(request: ResizeRequest, current?: VmInfo): Promise<ResizeRequest | undefined> {
    const info = current ?? (await this.info());
    const needed = changedResizeFields(request, info.config);
    if (needed.desiredVcpus === undefined && needed.desiredRam === undefined && needed.desiredBalloon === undefined) {
      return undefined;
    }
    await this.resize(needed);
    return needed;
  }

  async resizeZone(id: string, desiredRam: bigint): Promise<void> {
    await this.call("PUT", "vm.resize-zone", { id, desired_ram: desiredRam });
  }

  async resizeDisk(id: string, desiredSize: bigint): Promise<void> {
    await this.call("PUT", "vm.resize-disk", { id, desired_size: desiredSize });
  }

  // ---- devices ------------------------------------------------------------------------------------

  /** vm.add-<kind>: the PCI device info when the VM runs (200), undefined when it is only created (204). */
  async addDevice(kind: DeviceKey, config: Readonly<Record<string, unknown>>): Promise<PciDeviceInfo | undefined> {
    const result = await this.call("PUT", deviceKind(kind).addEndpoint, config);
    return result === undefined ? undefined : (result as PciDeviceInfo);
  }

  /** Asynchronous: the device is gone once the guest has ejected it (it leaves vm.info's device_tree). */
  async removeDevice(id: string): Promise<void> {
    await this.call("PUT", "vm.remove-device", { id });
  }

  // ---- transport ----------------------------------------------------------------------------------

  /** One request with 429 retried; returns the parsed JSON body, or undefined for an empty one. */
  async call(method: "GET" | "PUT", endpoint: string, body?: unknown): Promise<unknown> {
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(method, endpoint, body);
      if (SUCCESS.has(answer.status)) return answer.body.length > 0 ? parseApiJson(answer.body) : undefined;
      if (answer.status === 429 && attempt < this.retry.attempts) {
        this.options.onRetry?.(endpoint, attempt, delay);
        await sleep(delay, this.options.signal);
        delay = Math.min(delay * 2, this.retry.maxDelayMs);
        continue;
      }
      throw new CloudHypervisorApiError(method, endpoint, answer.status, errorChain(answer.body), answer.body);
    }
  }

  private send(method: string, endpoint: string, body: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(stringifyApiJson(body), "utf8");
    return new Promise<Answer>((resolve, reject) => {
      this.options.signal?.throwIfAborted();
      const req = httpRequest({
        socketPath: this.socketPath,
        method,
        path: `/api/v1/${endpoint}`,
        agent: false,
        signal: this.options.signal,
        headers: {
          Host: "localhost",
          Accept: "*/*",
          ...(payload ? { "Content-Type": "application/json" } : {}),
          // no chunked encoding: micro_http needs a length, and no body means length 0
          "Content-Length": payload ? payload.length : 0,
        },
      });
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new Error(`no answer within ${Math.round(this.timeoutMs / 1000)} s`)),
      );
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error.name === "AbortError") return reject(error);
        reject(new CloudHypervisorConnectionError(this.socketPath, endpoint, error.code ?? error.message));
      });
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (error) =>
          reject(new CloudHypervisorConnectionError(this.socketPath, endpoint, error.message)),
        );
      });
      req.end(payload);
    });
  }
}

/** The fields of `request` that differ from what `config` already asks for. */
export function changedResizeFields(request: ResizeRequest, config: VmConfig): ResizeRequest {
  const out: { desiredVcpus?: number; desiredRam?: bigint; desiredBalloon?: bigint } = {};
  if (request.desiredVcpus !== undefined && request.desiredVcpus !== (config.cpus?.boot_vcpus ?? 1)) {
    out.desiredVcpus = request.desiredVcpus;
  }
  if (request.desiredRam !== undefined) {
    const memory = config.memory;
    const requested =
      memory === undefined
        ? 512n << 20n
        : memory.hotplug_method === "VirtioMem"
          ? memory.size + (memory.hotplugged_size ?? 0n)
          : memory.size;
    if (request.desiredRam !== requested) out.desiredRam = request.desiredRam;
  }
  if (request.desiredBalloon !== undefined && request.desiredBalloon !== config.balloon?.size) {
    out.desiredBalloon = request.desiredBalloon;
  }
  return out;
}

function errorChain(body: string): readonly string[] | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) && parsed.every((m) => typeof m === "string") ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
