import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import ts from "typescript";
import { parse } from "yaml";
import { byType, declared, installMocks, kubevirtCr, reset, uninstallMocks, valueOf } from "./mockCluster";

const ROOT = resolve(__dirname, "../..");
const EXAMPLES = join(ROOT, "examples");
/** Pulumi programs: examples with a Pulumi.yaml (examples/gitops holds manifests, not a program). */
const PROGRAMS = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(EXAMPLES, d.name, "Pulumi.yaml")))
  .map((d) => d.name)
  .sort();

describe("examples: every Pulumi program", () => {
  it("the expected programs exist", () => {
    for (const name of ["quickstart", "dedicated-cpu", "old-cluster"]) assert.ok(PROGRAMS.includes(name), name);
  });

  it("type-checks (tsc --noEmit through the TypeScript API, with the repository's compiler options)", function () {
    this.timeout(60_000);
    const configPath = join(ROOT, "tsconfig.json");
    const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    assert.equal(config.error, undefined);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const roots = PROGRAMS.map((name) => join(EXAMPLES, name, "index.ts"));
    const program = ts.createProgram(roots, { ...parsed.options, noEmit: true });
    // only the examples' own files are checked (the library they import is checked by npm run typecheck)
    const files = roots.map((file) => program.getSourceFile(file)!);
    const found = [
      ...program.getOptionsDiagnostics(),
      ...files.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ];
    const diagnostics = found.map((d) => {
      const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    assert.deepEqual(diagnostics, []);
  });

  for (const name of PROGRAMS) {
    it(`${name}: Pulumi.yaml runs it with Node.js/TypeScript and the livevm plugin from the checkout; README present`, () => {
      const project = parse(readFileSync(join(EXAMPLES, name, "Pulumi.yaml"), "utf8")) as {
        name: string;
        runtime: { name: string; options?: { typescript?: boolean } };
        plugins: { providers: { name: string; path: string }[] };
      };
      assert.match(project.name, /^livevm-/);
      assert.equal(project.runtime.name, "nodejs");
      assert.equal(project.runtime.options?.typescript, true);
      const plugin = project.plugins.providers.find((p) => p.name === "livevm");
      assert.ok(plugin, "plugins.providers has livevm");
      const pluginDir = resolve(EXAMPLES, name, plugin.path);
      const pkg = JSON.parse(readFileSync(join(pluginDir, "package.json"), "utf8")) as { pulumi?: { name?: string } };
      assert.equal(pkg.pulumi?.name, "livevm");
      assert.ok(existsSync(join(pluginDir, "bin", "pulumi-resource-livevm")));
      const readme = readFileSync(join(EXAMPLES, name, "README.md"), "utf8");
      assert.match(readme, /pulumi up/);
    });
  }

  it("the repository's Pulumi.yaml runs examples/quickstart with the plugin from the checkout", () => {
    const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { name: string };
      plugins: { providers: { name: string; path: string }[] };
    };
    assert.equal(project.runtime.name, "nodejs");
    assert.equal(resolve(ROOT, project.main), join(EXAMPLES, "quickstart"));
    assert.equal(resolve(ROOT, project.plugins.providers[0]!.path), ROOT);
  });
});

describe("examples: programs run under setMocks", () => {
  before(installMocks);
  after(uninstallMocks);

  const expectations: { name: string; version: string; types: string[] }[] = [
    {
      name: "quickstart",
      version: "v1.9.0",
      types: [
        "livevm:index:KubeVirtLiveUpdates",
        "livevm:index:HotplugVirtualMachine",
        "livevm:kubevirt:VirtualMachine",
      ],
    },
    {
      name: "dedicated-cpu",
      version: "v1.8.0",
      types: ["livevm:index:CpuManagerNodes", "kubernetes:core/v1:NodePatch", "livevm:kubevirt:VirtualMachine"],
    },
    {
      name: "old-cluster",
      version: "v1.1.1",
      types: [
        "livevm:index:KubeVirtLiveUpdates",
        "livevm:index:HotplugVirtualMachine",
        "livevm:kubevirt:VirtualMachine",
      ],
    },
  ];
  for (const { name, version, types } of expectations) {
    it(`${name} declares its resources and every stack output resolves (KubeVirt ${version})`, async () => {
      reset(kubevirtCr(version));
      const exports = (await import(join(EXAMPLES, name, "index.ts"))) as Record<string, unknown>;
      for (const [key, value] of Object.entries(exports)) {
        if (pulumi.Output.isInstance(value)) await valueOf(value);
        else assert.notEqual(value, undefined, key);
      }
      for (const type of types)
        assert.ok(byType(type).length > 0, `${name} declares ${type}: ${declared.map((d) => d.type).join(", ")}`);
    });
  }

  it("old-cluster writes the v1.1 API: headroom in spec.liveUpdateFeatures", async () => {
    const vms = byType("livevm:kubevirt:VirtualMachine");
    const app = vms.find((v) => v.name === "app");
    assert.ok(app);
    assert.deepEqual((app.inputs["spec"] as { liveUpdateFeatures: unknown }).liveUpdateFeatures, {
      cpu: { maxSockets: 8 },
      memory: { maxGuest: "16Gi" },
    });
  });
});
