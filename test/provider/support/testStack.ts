import { type FakeEngine, TEST_STACK_URN, type DiffAnswer, type Wire } from "../fakeEngine";

/**
 * A tiny Pulumi engine loop over the fake engine's gRPC client: keeps each resource's state (id,
 * outputs, inputs) and runs Check → Create, or Check → Diff → Update, as `pulumi up` does.
 */
export interface ResourceState {
  id: string;
  outputs: Wire;
  inputs: Wire;
}

export class TestStack {
  readonly state = new Map<string, ResourceState>();
  constructor(
    readonly engine: FakeEngine,
    readonly type: string,
  ) {}

  urn(name: string): string {
    return TEST_STACK_URN(this.type, name);
  }

  private async check(name: string, news: Wire): Promise<Wire> {
    const prior = this.state.get(name);
    const checked = await this.engine.check(this.urn(name), prior?.inputs, news);
    if (checked.failures.length > 0)
      throw new Error(`check failed: ${checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    return checked.inputs;
  }

  /** `pulumi preview` for one resource: the diff (and its logs), no changes. */
  async preview(name: string, news: Wire): Promise<DiffAnswer | { create: Wire }> {
    const inputs = await this.check(name, news);
    const prior = this.state.get(name);
    if (!prior) return { create: (await this.engine.create(this.urn(name), inputs, { preview: true })).outputs };
    return this.engine.diff(this.urn(name), prior.id, prior.outputs, inputs, prior.inputs);
  }

  /** `pulumi up` for one resource. */
  async up(name: string, news: Wire, opts: { timeout?: number } = {}): Promise<ResourceState> {
    const inputs = await this.check(name, news);
    const prior = this.state.get(name);
    if (!prior) {
      const created = await this.engine.create(this.urn(name), inputs, opts);
      const s = { id: created.id, outputs: created.outputs, inputs };
      this.state.set(name, s);
      return s;
    }
    const diff = await this.engine.diff(this.urn(name), prior.id, prior.outputs, inputs, prior.inputs);
    if (diff.changes !== "some") return prior;
    if (diff.replaces.length > 0) throw new Error(`replacement of ${name} is not exercised by these tests`);
    try {
      const outputs = await this.engine.update(this.urn(name), prior.id, prior.outputs, inputs, {
        ...opts,
        oldInputs: prior.inputs,
      });
      const s = { id: prior.id, outputs, inputs };
      this.state.set(name, s);
      return s;
    } catch (e) {
      const init = (e as { initFailed?: { id: string; properties: Wire; inputs?: Wire } }).initFailed;
      if (init) this.state.set(name, { id: init.id, outputs: init.properties, inputs: init.inputs ?? prior.inputs });
      throw e;
    }
  }

  async refresh(name: string): Promise<ResourceState | undefined> {
    const prior = this.state.get(name);
    if (!prior) throw new Error(`${name} has no state`);
    const r = await this.engine.read(this.urn(name), prior.id, prior.outputs, prior.inputs);
    if (!r.id) {
      this.state.delete(name);
      return undefined;
    }
    const s = { id: r.id, outputs: r.outputs, inputs: r.inputs };
    this.state.set(name, s);
    return s;
  }

  async import(name: string, id: string): Promise<ResourceState> {
    const r = await this.engine.read(this.urn(name), id);
    if (!r.id) throw new Error(`${id} not found`);
    const s = { id: r.id, outputs: r.outputs, inputs: r.inputs };
    this.state.set(name, s);
    return s;
  }

  async destroy(name: string, timeout = 0): Promise<void> {
    const prior = this.state.get(name);
    if (!prior) return;
    await this.engine.delete(this.urn(name), prior.id, prior.outputs, timeout);
    this.state.delete(name);
  }
}
