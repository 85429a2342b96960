import { planVirtualMachineUpdate } from "../../core/kubevirt/planner";
import type { ProviderConfig } from "../../provider/config";
import { connectKubeVirtCluster, type KubeVirtCluster } from "../../provider/kubevirt/cluster";
import { createVirtualMachineHandler, VIRTUAL_MACHINE_TOKEN } from "../../provider/resources/kubevirtVirtualMachine";
import { hotplugReadyKubeVirtSpec, startSandbox, type Sandbox, type SandboxOptions } from "../../sandbox/index";
import { FakeEngine } from "../provider/fakeEngine";
import { TestStack } from "../provider/support/testStack";

/** Fast retries, so budget exhaustion and denials show in milliseconds. */
export const FAST_BACKOFF = { attempts: 6, baseMs: 5, maxMs: 50 };

export interface FleetEnv {
  readonly sandbox: Sandbox;
  readonly engine: FakeEngine;
  readonly stack: TestStack;
  /** the provider's cluster connections (one per configuration) */
  readonly clusters: KubeVirtCluster[];
  close(): Promise<void>;
}

/** A sandbox with hotplug-ready KubeVirt and an in-process provider configured against it, as the engine would. */
export async function startFleetEnv(
  sandboxOptions: SandboxOptions = {},
  config: { kubeconfig?: (s: Sandbox) => string | Promise<string>; extra?: Record<string, unknown> } = {},
): Promise<FleetEnv> {
  const sandbox = await startSandbox({
    kubevirt: hotplugReadyKubeVirtSpec("v1.9.0"),
    migrationSeconds: 0.1,
    backoffSeconds: 0.05,
    ...sandboxOptions,
  });
  const clusters: KubeVirtCluster[] = [];
  const handler = createVirtualMachineHandler({
    planner: (i) => planVirtualMachineUpdate(i),
    cluster: async (c: ProviderConfig) => {
      const cluster = await connectKubeVirtCluster(c, { backoff: FAST_BACKOFF });
      clusters.push(cluster);
      return cluster;
    },
    planClusterTimeoutMs: 3000,
  });
  const engine = await new FakeEngine().start();
  await engine.startInProcess([handler]);
  await engine.configure({
    kubeconfig: config.kubeconfig ? await config.kubeconfig(sandbox) : sandbox.kubeconfig,
    timeouts: { create: 20, update: 20, delete: 20 },
    ...config.extra,
  });
  return {
    sandbox,
    engine,
    stack: new TestStack(engine, VIRTUAL_MACHINE_TOKEN),
    clusters,
    async close() {
      for (const c of clusters) c.close();
      await engine.stop();
      await sandbox.close();
    },
  };
}
