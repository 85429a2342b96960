import * as pulumi from "@pulumi/pulumi";

/**
 * A setMocks monitor for component tests: records every resource the program declares (type token,
 * name, inputs, custom or component, provider) and answers reads of the KubeVirt CR and of Nodes with
 * the objects a test puts in `cluster`.
 */

export interface Declared {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
  readonly id?: string;
  readonly provider?: string;
}

export const declared: Declared[] = [];

let restoreConsole: (() => void) | undefined;

export function uninstallMocks(): void {
  restoreConsole?.();
  restoreConsole = undefined;
}

export const cluster: { kubevirt: Record<string, unknown> | undefined } = { kubevirt: undefined };

/** Installs the mocks and the log capture; mocha's `after` should call the returned restore. */
export async function installMocks(): Promise<void> {
  restoreConsole = captureRuntimeLogs();
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        declared.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          custom: args.custom ?? false,
          ...(args.id ? { id: args.id } : {}),
          ...(args.provider ? { provider: args.provider } : {}),
        });
        if (args.id && args.type === "kubernetes:kubevirt.io/v1:KubeVirt") {
          if (!cluster.kubevirt) throw new Error(`no KubeVirt CR ${args.id} in the mock cluster`);
          return { id: args.id, state: { apiVersion: "kubevirt.io/v1", kind: "KubeVirt", ...cluster.kubevirt } };
        }
        return { id: args.id ?? `${args.name}-id`, state: args.inputs };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
      },
    },
    "livevm-test",
    "test",
    false,
  );
}

export function reset(kubevirt?: Record<string, unknown>): void {
  declared.length = 0;
  logs.length = 0;
  cluster.kubevirt = kubevirt;
}

/** Warnings and infos the program logged (pulumi.log without an engine writes them to the console). */
export const logs: { severity: "warning" | "info"; message: string }[] = [];

/** Captures pulumi.log's console output instead of printing it; returns the function that restores the console. */
export function captureRuntimeLogs(): () => void {
  const { warn, log } = console;
  const capture =
    (original: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const text = String(args[0]);
      const m = /^(warning|info): \[runtime\] ([\s\S]*)$/.exec(text);
      if (m) logs.push({ severity: m[1] as "warning" | "info", message: m[2]! });
      else original(...args);
    };
  console.warn = capture(warn);
  console.log = capture(log);
  return () => {
    console.warn = warn;
    console.log = log;
  };
}

/** The value of an Output (rejects when its computation threw). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/** Waits until the pending resource registrations have reached the mock monitor. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function byType(type: string): Declared[] {
  return declared.filter((d) => d.type === type);
}

export function one(type: string): Declared {
  const found = byType(type);
  if (found.length !== 1) {
    throw new Error(`expected one ${type}, found ${found.length}: ${declared.map((d) => d.type).join(", ")}`);
  }
  return found[0]!;
}

/** A KubeVirt CR as virt-operator leaves it, for a version, with extra spec merged in. */
export function kubevirtCr(version: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: "kubevirt", namespace: "kubevirt" },
    spec: { certificateRotateStrategy: {}, imagePullPolicy: "IfNotPresent", ...spec },
    status: { observedKubeVirtVersion: version, phase: "Deployed" },
  };
}
