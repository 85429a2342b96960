import assert from "node:assert/strict";
import { buildReport } from "../../cli/plan/buildReport";
import { exitCodeFor } from "../../cli/plan/exitCode";
import { chooseKubeVirtVersion } from "../../cli/plan/kubevirtVersionChoice";
import { emptySide } from "../../cli/plan/manifestSide";
import type { PlanReport } from "../../cli/plan/planReport";
import { renderJson } from "../../cli/plan/renderJson";
import { renderMarkdown } from "../../cli/plan/renderMarkdown";
import { renderTable } from "../../cli/plan/renderTable";
import { colourWanted } from "../../cli/plan/ansiColour";
import type { Outcome, PlanInput, VirtualMachinePlan } from "../../core/kubevirt/plan";
import type { VirtualMachine } from "../../core/kubevirt/schema/virtualMachine";
import { parseKubeVirtVersion } from "../../core/kubevirt/version";

const vm = (name: string): VirtualMachine => ({ metadata: { name, namespace: "shop" }, spec: { template: {} } });

/** A report built from hand-made planner results, one VM per entry. */
function reportOf(
  plans: Record<string, Omit<VirtualMachinePlan, "namespace" | "name" | "version">>,
  failOn: "restart" | "rejected" | "never" = "restart",
): PlanReport {
  const before = emptySide();
  const after = emptySide();
  for (const name of Object.keys(plans)) {
    before.vms.set(`shop/${name}`, { namespace: "shop", name, object: vm(name), location: `before.yaml` });
    after.vms.set(`shop/${name}`, { namespace: "shop", name, object: vm(name), location: `after/${name}.yaml:1` });
  }
  const plan = (input: PlanInput): VirtualMachinePlan => {
    const name = input.after!.metadata!.name!;
    return { namespace: "shop", name, version: "v1.9.0", ...plans[name]! };
  };
  return buildReport(
    {
      before,
      after,
      vmis: new Map(),
      vmisGiven: false,
      version: chooseKubeVirtVersion(parseKubeVirtVersion("1.8.2"), undefined),
      failOn,
    },
    plan,
  );
}

const SAMPLE = reportOf({
  api: {
    outcome: "live",
    predicted: true,
    messages: ["VMI predicted from the before spec"],
    changes: [
      {
        path: "spec.template.spec.domain.cpu.sockets",
        before: 2,
        after: 4,
        outcome: "live",
        reason: "CPU hotplug | via live migration",
      },
      {
        path: "spec.template.spec.domain.memory.guest",
        before: "4Gi",
        after: "6Gi",
        outcome: "live",
        reason: "memory hotplug",
      },
    ],
  },
  batch: {
    outcome: "rejected",
    predicted: false,
    messages: [],
    admission: [
      {
        type: "FieldValueInvalid",
        field: "spec.template.spec.domain.cpu.sockets",
        message: "Number of sockets in CPU topology is greater than the maximum sockets allowed",
      },
    ],
    changes: [
      {
        path: "spec.template.spec.domain.cpu.sockets",
        before: 4,
        after: 10,
        outcome: "rejected",
        reason: "denied: Number of sockets in CPU topology is greater than the maximum sockets allowed",
      },
    ],
  },
  web: { outcome: "none", predicted: false, messages: [], changes: [] },
  db: {
    outcome: "restart",
    predicted: false,
    messages: [],
    steps: [
      { kind: "live", paths: ["spec.template.spec.domain.cpu.sockets"], vm: vm("db") },
      { kind: "restart", paths: ["spec.template.spec.nodeSelector"], vm: vm("db") },
    ],
    changes: [
      {
        path: "spec.template.spec.nodeSelector",
        before: undefined,
        after: { disk: "ssd" },
        outcome: "restart",
        reason: "a non-live-updatable field was changed in the template spec",
      },
    ],
  },
});

describe("livevm plan: exit codes", () => {
  const table: Array<[Outcome, number, number, number]> = [
    // worst, --fail-on restart, rejected, never
    ["none", 0, 0, 0],
    ["staged", 0, 0, 0],
    ["live", 0, 0, 0],
    ["stuck", 3, 0, 0],
    ["restart", 3, 0, 0],
    ["rejected", 4, 4, 0],
  ];
  for (const [worst, restart, rejected, never] of table) {
    it(`${worst}: ${restart} / ${rejected} / ${never}`, () => {
      assert.equal(exitCodeFor(worst, "restart"), restart);
      assert.equal(exitCodeFor(worst, "rejected"), rejected);
      assert.equal(exitCodeFor(worst, "never"), never);
    });
  }
  it("the summary carries the worst outcome and the exit code", () => {
    assert.equal(SAMPLE.summary.worst, "rejected");
    assert.equal(SAMPLE.summary.exitCode, 4);
    assert.deepEqual(SAMPLE.summary.outcomes, { none: 1, staged: 0, live: 1, stuck: 0, restart: 1, rejected: 1 });
  });
});

describe("livevm plan: outputs", () => {
  it("json: exactly one document of the documented shape; absent values are null", () => {
    const text = renderJson(SAMPLE);
    const doc = JSON.parse(text);
    assert.deepEqual(Object.keys(doc), ["vms", "summary"]);
    assert.deepEqual(
      doc.vms.map((v: { name: string }) => v.name),
      ["api", "batch", "db", "web"],
    );
    const api = doc.vms[0];
    for (const key of ["namespace", "name", "outcome", "changes", "messages"]) assert.ok(key in api, key);
    assert.deepEqual(Object.keys(api.changes[0]), ["path", "before", "after", "outcome", "reason"]);
    assert.equal(doc.vms[2].changes[0].before, null);
    assert.deepEqual(doc.vms[2].changes[0].after, { disk: "ssd" });
    assert.equal(doc.vms[1].admission[0].field, "spec.template.spec.domain.cpu.sockets");
    assert.equal(doc.summary.version, "v1.8.2");
    assert.equal(doc.summary.versionSource, "flag");
    assert.equal(doc.summary.predicted, true);
    assert.equal(doc.summary.vms, 4);
  });

  it("table: one row per changed field under its VM, unchanged VMs only counted, no colour unless asked", () => {
    const text = renderTable(SAMPLE, false);
    assert.ok(!text.includes("\u001b["), "no ANSI escapes");
    assert.match(
      text,
      /shop\/api: live \(predicted\)\n {2}FIELD +BEFORE +AFTER +OUTCOME +REASON\n {2}spec\.template\.spec\.domain\.cpu\.sockets +2 +4 +live +CPU hotplug \| via live migration\n {2}spec\.template\.spec\.domain\.memory\.guest +4Gi +6Gi +live +memory hotplug/,
    );
    assert.match(
      text,
      /shop\/batch: rejected\n[\s\S]*denied: spec\.template\.spec\.domain\.cpu\.sockets: Number of sockets/,
    );
    assert.match(text, /spec\.template\.spec\.nodeSelector +\(unset\) +\{"disk":"ssd"\} +restart/);
    assert.doesNotMatch(text, /shop\/web/);
    assert.match(
      text,
      /safer order: step 1 \(live\): spec\.template\.spec\.domain\.cpu\.sockets; step 2 \(restart\): spec\.template\.spec\.nodeSelector/,
    );
    assert.match(text, /4 VMs: 1 none, 1 live, 1 restart, 1 rejected; 3 modified, 1 unchanged/);
    assert.match(text, /KubeVirt v1\.8\.2 \(from --kubevirt-version\)/);
    assert.match(text, /worst outcome: rejected .*exit code 4/);
    assert.ok(renderTable(SAMPLE, true).includes("\u001b[31;1mrejected\u001b[0m"));
  });

  it("colour only on a TTY and never with NO_COLOR", () => {
    assert.equal(colourWanted({ isTTY: true }, {}), true);
    assert.equal(colourWanted({ isTTY: true }, { NO_COLOR: "1" }), false);
    assert.equal(colourWanted({ isTTY: false }, {}), false);
    assert.equal(colourWanted({}, {}), false);
  });

  it("markdown: a PR comment with a section and table per VM; pipes and HTML escaped", () => {
    const text = renderMarkdown(SAMPLE);
    assert.match(text, /^## livevm plan: 🔴 rejected\n/);
    assert.match(
      text,
      /### 🟢 `shop\/api`: live _\(predicted\)_\n\n\| field \| before \| after \| outcome \| reason \|\n\|---\|---\|---\|---\|---\|\n\| `spec\.template\.spec\.domain\.cpu\.sockets` \| `2` \| `4` \| 🟢 live \| CPU hotplug \\\| via live migration \|/,
    );
    assert.match(text, /\| 🟡 restart \| 1 \| needs a restart/);
    assert.doesNotMatch(text, /`shop\/web`/);
    assert.match(text, /- safer order: step 1 \(live\): spec\.template\.spec\.domain\.cpu\.sockets; step 2/);
    assert.match(text, /<sub>exit code 4 \(--fail-on restart\); KubeVirt v1\.8\.2<\/sub>/);
  });

  it("says so when nothing changed", () => {
    const quiet = reportOf({ web: { outcome: "none", predicted: false, messages: [], changes: [] } });
    assert.match(renderTable(quiet, false), /^No VirtualMachine changes\.\n/);
    assert.equal(quiet.summary.exitCode, 0);
  });
});

describe("livevm plan: which KubeVirt version", () => {
  const cr = (observed?: string) => ({
    kubevirt: { kind: "KubeVirt" as const, ...(observed ? { status: { observedKubeVirtVersion: observed } } : {}) },
    location: "kv.yaml:1",
  });
  it("--kubevirt-version wins over the CR", () => {
    const v = chooseKubeVirtVersion(parseKubeVirtVersion("1.4"), cr("v1.8.1"));
    assert.deepEqual([v.text, v.source], ["v1.4.0", "flag"]);
  });
  it("else the CR's status.observedKubeVirtVersion", () => {
    const v = chooseKubeVirtVersion(undefined, cr("v1.8.1"));
    assert.deepEqual([v.text, v.source], ["v1.8.1", "kubevirt"]);
    assert.match(v.note, /status\.observedKubeVirtVersion of kv\.yaml:1/);
  });
  it("else the newest supported version, saying why", () => {
    const none = chooseKubeVirtVersion(undefined, undefined);
    assert.deepEqual([none.text, none.source], ["v1.9.0", "default"]);
    assert.match(
      none.note,
      /assumed, the newest supported version: neither --kubevirt nor --kubevirt-version was given/,
    );
    const noStatus = chooseKubeVirtVersion(undefined, cr());
    assert.match(
      noStatus.note,
      /kv\.yaml:1 has no status\.observedKubeVirtVersion and no --kubevirt-version was given/,
    );
  });
  it("an unsupported version in the CR is bad input naming the file and field", () => {
    assert.throws(
      () => chooseKubeVirtVersion(undefined, cr("v2.0.0")),
      /kv\.yaml:1: KubeVirt status\.observedKubeVirtVersion: invalid KubeVirt version "v2\.0\.0"/,
    );
  });
});
