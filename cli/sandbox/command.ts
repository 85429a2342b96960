/** `livevm sandbox`: run the KubeVirt-like API server until interrupted. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import YAML from "yaml";
import { parseKubeVirtVersion, VersionError } from "../../core/kubevirt/version";
import { hotplugReadyKubeVirtSpec, startSandbox } from "../../sandbox/index";
import { EXIT, type Command } from "../run";

export const USAGE = `usage: livevm sandbox [options]

Runs a local Kubernetes API server (plain HTTP on 127.0.0.1) whose KubeVirt objects behave like
KubeVirt's for CPU/memory live updates, writes a kubeconfig for it, and runs until interrupted.

options:
  --port <n>                 TCP port on 127.0.0.1 (default 0: any free port)
  --kubeconfig <path>        where to write the kubeconfig (default .livevm/sandbox.kubeconfig)
  --kubevirt-version <v>     KubeVirt version to model, 1.0 to 1.9 (default 1.9)
  --nodes <n>                number of nodes (default 3; live migration needs 2)
  --migration-seconds <s>    duration of a live migration (default 2)
  --backoff-seconds <s>      base of the back-off after failed workload-update migrations (default 20)
  --kubevirt <file>          YAML/JSON file with the KubeVirt CR (or just its spec) to start with
  --hotplug-ready            start with the KubeVirt CR settings hotplug needs for this version
                             (gate, rollout strategy, LiveMigrate); default is the release manifest's CR
  --cpu-manager-static       nodes run the kubelet's static CPU manager policy
  --token <t>                require this bearer token (written into the kubeconfig)
  -h, --help                 show this help
`;

class UsageError extends Error {}

function number(name: string, raw: string | undefined, fallback: number, integer: boolean, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min)
    throw new UsageError(
      `--${name} must be ${integer ? "an integer" : "a number"} >= ${min}, got ${JSON.stringify(raw)}`,
    );
  return n;
}

async function readKubeVirt(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new UsageError(`--kubevirt ${path}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new UsageError(`--kubevirt ${path}: not valid YAML/JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new UsageError(`--kubevirt ${path}: expected a KubeVirt object or its spec (a mapping)`);
  const rec = doc as Record<string, unknown>;
  if (rec.kind !== undefined && rec.kind !== "KubeVirt")
    throw new UsageError(`--kubevirt ${path}: kind is ${JSON.stringify(rec.kind)}, expected KubeVirt`);
  const spec = rec.kind === "KubeVirt" ? rec.spec : rec;
  if (spec === null || typeof spec !== "object" || Array.isArray(spec))
    throw new UsageError(`--kubevirt ${path}: spec must be a mapping`);
  return spec as Record<string, unknown>;
}

export const command: Command = {
  summary: "run a local KubeVirt-like API server for tests and demos",
  async run(args: string[]): Promise<number> {
    let values: Record<string, string | boolean | undefined>;
    try {
      values = parseArgs({
        args,
        strict: true,
        allowPositionals: false,
        options: {
          port: { type: "string" },
          kubeconfig: { type: "string" },
          "kubevirt-version": { type: "string" },
          nodes: { type: "string" },
          "migration-seconds": { type: "string" },
          "backoff-seconds": { type: "string" },
          kubevirt: { type: "string" },
          "hotplug-ready": { type: "boolean" },
          "cpu-manager-static": { type: "boolean" },
          token: { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      }).values;
    } catch (e) {
      process.stderr.write(`livevm sandbox: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (values.help) {
      process.stdout.write(USAGE);
      return EXIT.ok;
    }
    let options: Parameters<typeof startSandbox>[0];
    try {
      const version = (values["kubevirt-version"] as string | undefined) ?? "1.9";
      try {
        parseKubeVirtVersion(version);
      } catch (e) {
        if (e instanceof VersionError) throw new UsageError(`--kubevirt-version: ${e.message}`);
        throw e;
      }
      if (values.kubevirt && values["hotplug-ready"])
        throw new UsageError("--kubevirt and --hotplug-ready are mutually exclusive");
      const kubevirt = values.kubevirt
        ? await readKubeVirt(values.kubevirt as string)
        : values["hotplug-ready"]
          ? hotplugReadyKubeVirtSpec(version)
          : undefined;
      options = {
        port: number("port", values.port as string | undefined, 0, true, 0),
        kubevirtVersion: version,
        nodes: number("nodes", values.nodes as string | undefined, 3, true, 1),
        migrationSeconds: number("migration-seconds", values["migration-seconds"] as string | undefined, 2, false, 0),
        backoffSeconds: number("backoff-seconds", values["backoff-seconds"] as string | undefined, 20, false, 0),
        kubeconfigPath: resolve((values.kubeconfig as string | undefined) ?? ".livevm/sandbox.kubeconfig"),
        ...(kubevirt ? { kubevirt } : {}),
        ...(values["cpu-manager-static"] ? { cpuManagerPolicy: "static" as const } : {}),
        ...(values.token ? { token: values.token as string } : {}),
      };
      if (options.port! > 65535) throw new UsageError(`--port must be at most 65535, got ${options.port}`);
    } catch (e) {
      if (e instanceof UsageError) {
        process.stderr.write(`livevm sandbox: ${e.message}\n\n${USAGE}`);
        return EXIT.usage;
      }
      throw e;
    }
    const sandbox = await startSandbox(options);
    process.stdout.write(
      [
        `livevm sandbox: KubeVirt ${sandbox.kubevirtVersion} API server at ${sandbox.url}`,
        `kubeconfig: ${sandbox.kubeconfigPath}`,
        `  export KUBECONFIG=${sandbox.kubeconfigPath}`,
        `press Ctrl-C to stop`,
        "",
      ].join("\n"),
    );
    await new Promise<void>((done) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        done();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await sandbox.close();
    process.stdout.write("livevm sandbox: stopped\n");
    return EXIT.ok;
  },
};
