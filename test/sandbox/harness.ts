/* eslint-disable @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies */
/** A thin raw-HTTP client for the KubeVirt behaviour tests. */
import { startSandbox, type Sandbox, type SandboxOptions } from "../../sandbox/index";
import { api, vmManifest, waitFor } from "./helpers";

const NS = "/apis/kubevirt.io/v1/namespaces/default";

export class Harness {
  private constructor(readonly sb: Sandbox) {}

  static async start(options: SandboxOptions): Promise<Harness> {
    return new Harness(await startSandbox({ migrationSeconds: 0.05, backoffSeconds: 0.1, ...options }));
  }

  close(): Promise<void> {
    return this.sb.close();
  }

  async createVm(name: string, mutate: (vm: any) => void = () => {}): Promise<any> {
    const m = vmManifest(name) as any;
    mutate(m);
    const r = await api(this.sb.url, "POST", `${NS}/virtualmachines`, m);
    if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    await waitFor(`VMI ${name} running`, async () =>
      (await this.vmi(name))?.status?.phase === "Running" ? true : undefined,
    );
    return r.body;
  }

  patchVm(name: string, patch: unknown) {
    return api(this.sb.url, "PATCH", `${NS}/virtualmachines/${name}`, patch, "application/merge-patch+json");
  }

  async patchTemplate(name: string, templateSpec: unknown): Promise<void> {
    const r = await this.patchVm(name, { spec: { template: { spec: templateSpec } } });
    if (r.status !== 200) throw new Error(`patch ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  async vm(name: string): Promise<any> {
    const r = await api(this.sb.url, "GET", `${NS}/virtualmachines/${name}`);
    return r.status === 200 ? r.body : undefined;
  }

  async vmi(name: string): Promise<any> {
    const r = await api(this.sb.url, "GET", `${NS}/virtualmachineinstances/${name}`);
    return r.status === 200 ? r.body : undefined;
  }

  async migrations(vmi: string): Promise<any[]> {
    const r = await api(
      this.sb.url,
      "GET",
      `${NS}/virtualmachineinstancemigrations?labelSelector=kubevirt.io%2Fvmi-name%3D${vmi}`,
    );
    return (r.body.items as any[]).sort(
      (a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion),
    );
  }

  async condition(kind: "vm" | "vmi", name: string, type: string): Promise<any> {
    const o = kind === "vm" ? await this.vm(name) : await this.vmi(name);
    return (o?.status?.conditions ?? []).find((c: any) => c.type === type);
  }

  /** Waits until nothing changes for a while (controllers and migrations have settled). */
  async settle(quietMs = 250): Promise<void> {
    let last = -1;
    let since = Date.now();
    await waitFor(
      "the sandbox to settle",
      () => {
        const rv = this.sb.store.currentRevision;
        if (rv !== last) {
          last = rv;
          since = Date.now();
          return undefined;
        }
        return Date.now() - since >= quietMs ? true : undefined;
      },
      15000,
    );
  }

  subresource(name: string, action: string) {
    return api(
      this.sb.url,
      "PUT",
      `/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/${name}/${action}`,
    );
  }
}

export const LIVE_MIGRATE = { workloadUpdateStrategy: { workloadUpdateMethods: ["LiveMigrate"] } };
