import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as livevm from "../../sdk";

/**
 * The SDK classes and the provider's package schema (provider/schema.json, itself checked against GetSchema)
 * must name the same properties: an input the SDK does not send, or an output it does not expose, is a bug
 * a user only meets at `pulumi up`.
 */
interface ResourceSchema {
  inputProperties?: Record<string, { const?: unknown }>;
  properties?: Record<string, unknown>;
}
const schema = JSON.parse(readFileSync(join(__dirname, "..", "..", "provider", "schema.json"), "utf8")) as {
  resources: Record<string, ResourceSchema>;
  provider: ResourceSchema;
};

const sent = new Map<string, Record<string, unknown>>();

type Construct = (name: string, args: Record<string, unknown>) => pulumi.Resource;
const CLASSES: Record<string, Construct> = {
  "livevm:kubevirt:VirtualMachine": (n, a) => new livevm.kubevirt.VirtualMachine(n, a as never),
  "livevm:cloudhypervisor:VirtualMachine": (n, a) => new livevm.cloudhypervisor.VirtualMachine(n, a as never),
};

describe("sdk matches provider/schema.json", () => {
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          sent.set(args.type, args.inputs as Record<string, unknown>);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
  });

  it("every resource in the schema has an SDK class", () => {
    assert.deepEqual(Object.keys(schema.resources).sort(), Object.keys(CLASSES).sort());
  });

  for (const [token, construct] of Object.entries(CLASSES)) {
    it(`${token}: sends every schema input and exposes every schema output`, async () => {
      const resource = schema.resources[token];
      assert.ok(resource, `${token} is missing from provider/schema.json`);
      const inputNames = Object.keys(resource.inputProperties ?? {});
      const args = Object.fromEntries(inputNames.map((name) => [name, `value-of-${name}`]));
      const instance = construct(`r-${token.split(":")[1]}`, args) as unknown as Record<string, unknown>;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const inputs = sent.get(token) ?? {};
      for (const name of inputNames) {
        const constant: unknown = resource.inputProperties?.[name]?.const;
        const expected: unknown = constant === undefined ? `value-of-${name}` : constant;
        assert.equal(inputs[name], expected, `${token}: the SDK does not send input ${name}`);
      }
      for (const name of Object.keys(resource.properties ?? {})) {
        assert.ok(pulumi.Output.isInstance(instance[name]), `${token}: the SDK class has no output ${name}`);
      }
    });
  }

  it("the Provider class takes every provider input", () => {
    const source = readFileSync(join(__dirname, "..", "..", "sdk", "provider.ts"), "utf8");
    for (const name of Object.keys(schema.provider.inputProperties ?? {})) {
      assert.match(source, new RegExp(`\\b${name}\\b`), `sdk/provider.ts does not mention provider input ${name}`);
    }
  });
});
