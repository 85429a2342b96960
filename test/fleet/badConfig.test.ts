/**
 * Bad configuration fails the first operation fast (well inside the timeouts), saying which problem it
 * is: an unreachable API server, a context the kubeconfig does not have, credentials the cluster
 * rejects (expired), or a permission the provider's identity lacks.
 */
import { strict as assert } from "node:assert";
import { kubeconfigFor } from "../../sandbox/index";
import { vmInputs } from "../provider/support/sandboxVm";
import { startFleetEnv, type FleetEnv } from "./support";

/** Runs `pulumi up` of one VM and returns its error and how long it took. */
async function failingUp(env: FleetEnv, name: string): Promise<{ message: string; ms: number }> {
  const t0 = Date.now();
  const e = await env.stack.up(name, vmInputs(name)).then(
    () => undefined,
    (err: Error) => err,
  );
  assert.ok(e, "the update failed");
  return { message: e.message, ms: Date.now() - t0 };
}

describe("fleet: bad configuration fails fast and says which", function () {
  this.timeout(30000);
  let env: FleetEnv | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  it("unreachable API server: names the server and the context", async () => {
    env = await startFleetEnv({}, { kubeconfig: () => kubeconfigFor("http://127.0.0.1:1", undefined) });
    const { message, ms } = await failingUp(env, "bad1");
    assert.match(message, /cannot reach the Kubernetes API at http:\/\/127\.0\.0\.1:1 \(context "livevm-sandbox"/);
    assert.match(message, /ECONNREFUSED/);
    assert.ok(ms < 10000, `${ms} ms (the operation timeouts are 20 s)`);
  });

  it("wrong context: names it and the contexts that exist", async () => {
    env = await startFleetEnv({}, { extra: { context: "production" } });
    const { message, ms } = await failingUp(env, "bad2");
    assert.match(message, /context "production" is not in .*; it has: livevm-sandbox/);
    assert.ok(ms < 10000, `${ms} ms (the operation timeouts are 20 s)`);
  });

  it("expired credentials: says the cluster rejected them, without quoting them", async () => {
    env = await startFleetEnv({ token: "fresh-token" }, { kubeconfig: (s) => kubeconfigFor(s.url, "expired-token") });
    const { message, ms } = await failingUp(env, "bad3");
    assert.match(message, /the cluster rejected the credentials of context "livevm-sandbox" .*they may have expired/);
    assert.doesNotMatch(message, /expired-token/);
    assert.ok(ms < 10000, `${ms} ms (the operation timeouts are 20 s)`);
  });

  it("missing RBAC: names the verb, the resource and the namespace the identity cannot use", async () => {
    env = await startFleetEnv({ rbac: { rules: [] } });
    const { message, ms } = await failingUp(env, "bad4");
    assert.match(
      message,
      /cannot (get|list|create) resource "virtualmachines" in API group "kubevirt\.io" in the namespace "default"/,
    );
    assert.match(message, /lacks this permission/);
    assert.ok(ms < 10000, `${ms} ms (the operation timeouts are 20 s)`);
  });
});
