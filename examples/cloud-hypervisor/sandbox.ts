/**
 * Serves Cloud Hypervisor's API on a Unix socket without a hypervisor (livevm's test server), for trying
 * this example or the provider on a machine without cloud-hypervisor:
 *
 *   ./scripts/run node --import tsx examples/cloud-hypervisor/sandbox.ts --socket /tmp/livevm-ch/api.sock [--version v53.0]
 *
 * It answers as Cloud Hypervisor does (status codes of the chosen release, error chains, 429 while a vCPU
 * removal is pending) and prints every request. Ctrl-C stops it.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { startCloudHypervisorSandbox } from "../../sandbox/cloudHypervisor";

async function main(argv: string[]): Promise<number> {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const socketPath = value("--socket") ?? "/tmp/livevm-ch/api.sock";
  mkdirSync(dirname(socketPath), { recursive: true });
  const sandbox = await startCloudHypervisorSandbox({ socketPath, version: value("--version") });
  process.stdout.write(`Cloud Hypervisor API (livevm sandbox, ${sandbox.release}) on ${socketPath}\n`);
  let seen = 0;
  const timer = setInterval(() => {
    for (const r of sandbox.requests.slice(seen)) {
      process.stdout.write(
        `${r.method} /api/v1/${r.endpoint} -> ${r.status}${r.status >= 400 ? ` ${JSON.stringify(r.response)}` : ""}\n`,
      );
    }
    seen = sandbox.requests.length;
  }, 100);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
    void sandbox.exited.then(resolve);
  });
  clearInterval(timer);
  await sandbox.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
