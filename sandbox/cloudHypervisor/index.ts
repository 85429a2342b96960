import { createServer, type Server } from "node:http";
import { rmSync } from "node:fs";
import { handleRequest, routes, type RecordedRequest } from "./httpApi";
import { parseRelease, type CloudHypervisorRelease } from "./releases";
import { Vmm, type Architecture, type GuestView } from "./vmm";
import type { GuestBehaviour } from "./guestBehaviour";

export type { CloudHypervisorRelease } from "./releases";
export type { GuestBehaviour } from "./guestBehaviour";
export type { RecordedRequest } from "./httpApi";
export type { GuestView, Architecture } from "./vmm";

export interface CloudHypervisorSandboxOptions {
  /** where to listen (Cloud Hypervisor's --api-socket path=...) */
  readonly socketPath: string;
  /** the release to impersonate: its status codes (v52.0, v53.0, or v54.0 for HEAD); default v54.0 */
  readonly version?: string;
  /** the host architecture; default x86_64 */
  readonly arch?: Architecture;
  /** how the simulated guest reacts to hotplug */
  readonly guest?: GuestBehaviour;
  /** a VmConfig to create (and boot, unless boot is false) before listening, as if the VMM was started with it */
  readonly vm?: { readonly config: unknown; readonly boot?: boolean };
}

export interface CloudHypervisorSandbox {
  readonly socketPath: string;
  readonly release: CloudHypervisorRelease;
  /** every request answered so far, oldest first */
  readonly requests: readonly RecordedRequest[];
  /** what the guest has, beyond vm.info (present vCPUs, RAM really plugged, pending ejects, boots) */
  guest(): GuestView;
  /** change how the guest reacts from now on */
  setGuest(behaviour: GuestBehaviour): void;
  /** the guest ejects every pending vCPU and device now */
  ejectPending(): void;
  /** resolves when the VMM exits (vmm.shutdown or close) */
  readonly exited: Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a server that speaks Cloud Hypervisor's HTTP API on a Unix socket, modelled on Cloud Hypervisor's
 * source (cloud-hypervisor-and-guests.md Part A and cloud-hypervisor.yaml): one VM per VMM, vm.resize and
 * device hotplug with Cloud Hypervisor's rules and errors, each release's status codes.
 */
export async function startCloudHypervisorSandbox(
  options: CloudHypervisorSandboxOptions,
): Promise<CloudHypervisorSandbox> {
  const release = parseRelease(options.version);
  const vmm = new Vmm({ arch: options.arch, guest: options.guest });
  if (options.vm) {
    vmm.create(options.vm.config);
    if (options.vm.boot !== false) vmm.boot();
  }
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) =>
    handleRequest(table, vmm, release, req, res, (r) => requests.push(r)),
  );
  let resolveExited!: () => void;
  const exited = new Promise<void>((resolve) => (resolveExited = resolve));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      vmm.close();
      const done = () => {
        rmSync(options.socketPath, { force: true });
        resolveExited();
        resolve();
      };
      server.close(() => done());
      server.closeAllConnections();
    });
    return closing;
  };
  const table = routes(release, () => void close());
  rmSync(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    socketPath: options.socketPath,
    release,
    requests,
    guest: () => vmm.guestView(),
    setGuest: (behaviour) => {
      vmm.guest = { ...vmm.guest, ...behaviour };
    },
    ejectPending: () => vmm.ejectPending(),
    exited,
    close,
  };
}
