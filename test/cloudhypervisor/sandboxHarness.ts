import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  startCloudHypervisorSandbox,
  type CloudHypervisorSandboxOptions,
  type CloudHypervisorSandbox,
} from "../../sandbox/cloudHypervisor";

/** A sandbox on a fresh socket in a temp dir; close() removes both. */
export async function withSandbox(
  options: Omit<CloudHypervisorSandboxOptions, "socketPath"> = {},
): Promise<CloudHypervisorSandbox & { dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "lvch-"));
  const sandbox = await startCloudHypervisorSandbox({ ...options, socketPath: join(dir, "api.sock") });
  return Object.assign(sandbox, {
    async dispose() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export const BASE_CONFIG = {
  payload: { kernel: "/boot/vmlinux", cmdline: "console=ttyS0 memhp_default_state=online_movable" },
  cpus: { boot_vcpus: 2, max_vcpus: 8 },
  memory: { size: 1073741824, hotplug_size: 2147483648 },
  disks: [{ id: "root", path: "/img/root.raw" }],
  net: [{ id: "net0", tap: "tap0", mac: "52:54:00:12:34:56" }],
};
