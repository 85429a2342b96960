import assert from "node:assert/strict";
import type { Outcome } from "../../../core/kubevirt/plan";
import { GUEST, SOCKETS, changeAt, kv, liveKv, plan, tmpl, vm } from "./fixtures";

/** Every release tag KubeVirt published from v1.0.0 to v1.9.0. */
const TAGS = [
  "v1.0.0",
  "v1.0.1",
  "v1.1.0",
  "v1.1.1",
  "v1.2.0",
  "v1.2.1",
  "v1.2.2",
  "v1.3.0",
  "v1.3.1",
  "v1.4.0",
  "v1.4.1",
  "v1.5.0",
  "v1.5.1",
  "v1.5.2",
  "v1.5.3",
  "v1.6.0",
  "v1.6.1",
  "v1.6.2",
  "v1.6.3",
  "v1.6.4",
  "v1.6.5",
  "v1.6.6",
  "v1.7.0",
  "v1.7.1",
  "v1.7.2",
  "v1.7.3",
  "v1.7.4",
  "v1.8.0",
  "v1.8.1",
  "v1.8.2",
  "v1.8.3",
  "v1.8.4",
  "v1.9.0",
];
const minor = (v: string) => Number(v.split(".")[1]);
const patch = (v: string) => Number(v.split(".")[2]);

function sweep(name: string, expected: (v: string) => Outcome, run: (v: string) => Outcome): void {
  describe(name, () => {
    for (const v of TAGS) {
      const want = expected(v);
      it(`${v}: ${want}`, () => assert.equal(run(v), want));
    }
  });
}

describe("planner: every release tag (rules §4.1, §8.6)", () => {
  const base = vm();
  sweep(
    "sockets 2→4 with the version's live-update settings (no liveUpdateFeatures on the VM)",
    (v) => (minor(v) <= 1 ? "restart" : "live"),
    (v) =>
      changeAt(
        plan({ before: base, after: tmpl(base, { domain: { cpu: { sockets: 4 } } }), kubevirt: liveKv(v), version: v }),
        SOCKETS,
      ).outcome,
  );
  sweep(
    "sockets 2→4 with no rollout setting: Stage before v1.6 (RR), LiveUpdate after; no LiveMigrate → stuck",
    (v) => (minor(v) >= 6 ? "stuck" : "restart"),
    (v) =>
      plan({
        before: base,
        after: tmpl(base, { domain: { cpu: { sockets: 4 } } }),
        kubevirt: kv({ methods: [] }),
        version: v,
      }).outcome,
  );
  sweep(
    "guest 2Gi→4Gi with the version's live-update settings",
    (v) => (minor(v) <= 1 ? "restart" : "live"),
    (v) =>
      changeAt(
        plan({
          before: base,
          after: tmpl(base, { domain: { memory: { guest: "4Gi" } } }),
          kubevirt: liveKv(v),
          version: v,
        }),
        GUEST,
      ).outcome,
  );
  sweep(
    "tolerations: live from v1.4",
    (v) => (minor(v) >= 4 ? "live" : "restart"),
    (v) =>
      plan({
        before: base,
        after: tmpl(base, { tolerations: [{ key: "k", operator: "Exists" }] }),
        kubevirt: liveKv(v),
        version: v,
      }).outcome,
  );
  sweep(
    "a socket reduction: live only in v1.2.0",
    (v) => (v === "v1.2.0" ? "live" : "restart"),
    (v) =>
      plan({ before: tmpl(base, { domain: { cpu: { sockets: 4 } } }), after: base, kubevirt: liveKv(v), version: v })
        .outcome,
  );
  sweep(
    "512Mi → 1Gi guest (predicted VMI): memory hotplug off from v1.3.1 (below 1Gi at boot)",
    (v) => (minor(v) <= 1 ? "restart" : minor(v) >= 4 || (minor(v) === 3 && patch(v) >= 1) ? "restart" : "live"),
    (v) =>
      plan({
        before: vm({ domain: { memory: { guest: "512Mi" } } }),
        after: vm({ domain: { memory: { guest: "1Gi" } } }),
        kubevirt: liveKv(v),
        version: v,
      }).outcome,
  );
  sweep(
    "an RR-carrying VM and a sockets change: blocked where RR is sticky",
    (v) =>
      minor(v) <= 1
        ? "restart"
        : minor(v) >= 8 || (minor(v) === 7 && patch(v) >= 1) || (minor(v) === 6 && patch(v) >= 4)
          ? "live"
          : "restart",
    (v) => {
      const withRR = vm({}, {}, { conditions: [{ type: "RestartRequired", status: "True", message: "x" }] });
      return plan({
        before: withRR,
        after: tmpl(withRR, { domain: { cpu: { sockets: 4 } } }),
        kubevirt: liveKv(v),
        version: v,
      }).outcome;
    },
  );
});
