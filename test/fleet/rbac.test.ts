/**
 * The shipped RBAC role against the provider: with exactly its rules the whole lifecycle works (the
 * role is enough); without any one grant the provider fails at once with the API server's 403, which
 * names the verb and the resource (the role has nothing to spare, and a missing permission says which).
 */
import { strict as assert } from "node:assert";
import { KUBEVIRT_CR_RULES, VIRTUAL_MACHINE_RULES } from "../../components/providerRbacRules";
import type { PolicyRule } from "../../sandbox/index";
import { vmInputs } from "../provider/support/sandboxVm";
import { startFleetEnv, type FleetEnv } from "./support";

const SHIPPED: PolicyRule[] = [...VIRTUAL_MACHINE_RULES, ...KUBEVIRT_CR_RULES].map((r) => ({
  apiGroups: r.apiGroups,
  resources: r.resources,
  verbs: r.verbs,
}));

/** Every single grant of the shipped rules: "group resource verb". */
const GRANTS = SHIPPED.flatMap((r) =>
  r.resources.flatMap((res) => r.verbs.map((verb) => ({ group: r.apiGroups[0]!, res, verb }))),
);

function without(grant: { group: string; res: string; verb: string }): PolicyRule[] {
  return SHIPPED.map((r) =>
    r.apiGroups.includes(grant.group) && r.resources.includes(grant.res)
      ? { ...r, verbs: r.verbs.filter((v) => v !== grant.verb) }
      : r,
  ).filter((r) => r.verbs.length > 0);
}

/**
 * Grants the provider uses for progress reports only: the VM watch (KubeVirt's Failure condition shown as
 * status) and the migration watch (migrations and KubeVirt's retries reported). Without them updates still
 * converge; the role keeps them so the reports work.
 */
const REPORTING_ONLY = new Set([
  "watch virtualmachines",
  "list virtualmachineinstancemigrations",
  "watch virtualmachineinstancemigrations",
]);

/** The provider's whole lifecycle: create, preview, live update, restart-policy update, delete. */
async function lifecycle(env: FleetEnv, name: string): Promise<void> {
  const { stack } = env;
  await stack.up(name, { ...vmInputs(name, { sockets: 2 }), onRestartRequired: "restart" });
  await stack.preview(name, { ...vmInputs(name, { sockets: 3 }), onRestartRequired: "restart" });
  const live = await stack.up(name, { ...vmInputs(name, { sockets: 3 }), onRestartRequired: "restart" });
  assert.equal((live.outputs["currentCpuTopology"] as { sockets: number }).sockets, 3);
  const restarted = await stack.up(name, { ...vmInputs(name, { sockets: 3, cores: 2 }), onRestartRequired: "restart" });
  assert.equal((restarted.outputs["currentCpuTopology"] as { cores: number }).cores, 2);
  assert.notEqual(restarted.outputs["vmiUid"], live.outputs["vmiUid"]);
  await stack.destroy(name);
}

describe("fleet: the shipped RBAC role and missing permissions", function () {
  this.timeout(60000);
  let env: FleetEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it("with exactly the shipped rules, create, preview, live update, restart and delete all work, with no warning", async () => {
    env = await startFleetEnv({ rbac: { rules: SHIPPED } });
    await lifecycle(env, "rbac-ok");
    await env.engine.settle();
    const warnings = env.engine.logs.filter((l) => l.severity === "warning" && /forbidden/i.test(l.message));
    assert.deepEqual(warnings, []);
  });

  for (const grant of GRANTS) {
    const label = `${grant.verb} ${grant.res} (${grant.group})`;
    it(`without ${label}: fails fast, naming the verb and the resource`, async () => {
      env = await startFleetEnv({ rbac: { rules: without(grant) } });
      const started = Date.now();
      const denial = new RegExp(
        `cannot ${grant.verb} resource "${grant.res.replace("/", "\\/")}" in API group "${grant.group.replace(/\./g, "\\.")}"`,
      );
      if (REPORTING_ONLY.has(`${grant.verb} ${grant.res}`)) {
        // Progress reporting only (KubeVirt's Failure condition, migration retries): the update still
        // converges, without the reports.
        await lifecycle(env, "rbac-reports");
        await env.engine.settle();
        const says =
          grant.res === "virtualmachineinstancemigrations" ? /^cannot follow migrations/ : /cannot follow the VM/;
        assert.ok(
          env.engine.logs.some((l) => l.severity === "warning" && says.test(l.message) && denial.test(l.message)),
          `a warning says what is not reported, naming the denied permission: ${env.engine.logs.map((l) => l.message).join("\n")}`,
        );
        return;
      }
      if (grant.res === "kubevirts") {
        // The KubeVirt CR is optional: the provider plans without it and says why, naming the permission.
        await lifecycle(env, "rbac-cr").catch(() => undefined);
        await env.engine.settle();
        const warning = env.engine.logs.find((l) => l.severity === "warning" && denial.test(l.message));
        assert.ok(warning, `a warning names the denied ${label}: ${env.engine.logs.map((l) => l.message).join("\n")}`);
        assert.match(warning.message, /planning without the KubeVirt CR/);
        return;
      }
      await assert.rejects(lifecycle(env, "rbac-denied"), (e: Error) => {
        assert.match(e.message, denial);
        assert.match(e.message, /is forbidden: User "system:serviceaccount:livevm-system:livevm-provider"/);
        return true;
      });
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 10000, `failed after ${elapsed} ms (timeouts are 20 s): no waiting on a denial`);
      assert.equal(env.clusters[0]?.client.metrics.retries ?? 0, 0, "a 403 is not retried");
    });
  }
});
