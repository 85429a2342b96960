import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { LiveVmProviderRbac } from "../../components";
import { KUBEVIRT_CR_RULES, VIRTUAL_MACHINE_RULES } from "../../components/providerRbacRules";
import { byType, declared, installMocks, one, reset, settle, uninstallMocks, valueOf } from "./mockCluster";

const SA = "kubernetes:core/v1:ServiceAccount";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const CLUSTER_ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const MANIFEST = join(__dirname, "../../deploy/rbac/livevm-provider.yaml");

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[] };
type Doc = {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  subjects?: unknown[];
  roleRef?: { kind: string; name: string };
};

function manifest(): Doc[] {
  return parseAllDocuments(readFileSync(MANIFEST, "utf8")).map((d) => {
    if (d.errors.length) throw new Error(`${MANIFEST}: ${d.errors[0]!.message}`);
    return d.toJS() as Doc;
  });
}

/** Rules as a set of "group resource verb" grants, so equal grants compare equal whatever their grouping. */
function grants(
  rules:
    | readonly Rule[]
    | readonly { apiGroups: readonly string[]; resources: readonly string[]; verbs: readonly string[] }[],
): string[] {
  const out = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.add(`${g} ${res} ${v}`);
  return [...out].sort();
}

describe("components: LiveVmProviderRbac", () => {
  before(installMocks);
  after(uninstallMocks);

  it("grants the same rules as deploy/rbac/livevm-provider.yaml, to the same ServiceAccount, bound the same way", async () => {
    reset();
    const rbac = new LiveVmProviderRbac("livevm");
    await valueOf(rbac.kubevirtBinding.urn);
    await settle();
    const docs = manifest();
    const find = (kind: string): Doc => {
      const found = docs.filter((d) => d.kind === kind);
      assert.equal(found.length, 1, `one ${kind} in the manifest`);
      return found[0]!;
    };
    const clusterRole = one(CLUSTER_ROLE).inputs as { rules: Rule[] };
    assert.deepEqual(grants(clusterRole.rules), grants(find("ClusterRole").rules!));
    const role = one(ROLE).inputs as { rules: Rule[]; metadata: { namespace: string } };
    assert.deepEqual(grants(role.rules), grants(find("Role").rules!));
    assert.equal(role.metadata.namespace, find("Role").metadata.namespace);
    // exactly the rules, rule by rule (same grouping, so the manifest's comments line up)
    assert.deepEqual(clusterRole.rules, find("ClusterRole").rules);
    assert.deepEqual(role.rules, find("Role").rules);

    const sa = one(SA).inputs as { metadata: { name: string; namespace: string } };
    assert.deepEqual(sa.metadata, find("ServiceAccount").metadata);
    const subject = { kind: "ServiceAccount", name: sa.metadata.name, namespace: sa.metadata.namespace };
    const crb = one(CLUSTER_ROLE_BINDING).inputs as { subjects: unknown[]; roleRef: { kind: string } };
    assert.deepEqual(crb.subjects, [subject]);
    assert.deepEqual(find("ClusterRoleBinding").subjects, [subject]);
    assert.equal(crb.roleRef.kind, "ClusterRole");
    const rb = one(ROLE_BINDING).inputs as {
      subjects: unknown[];
      roleRef: { kind: string };
      metadata: { namespace: string };
    };
    assert.deepEqual(rb.subjects, [subject]);
    assert.equal(rb.roleRef.kind, "Role");
    assert.equal(rb.metadata.namespace, find("RoleBinding").metadata.namespace);
    assert.deepEqual(find("RoleBinding").roleRef, {
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: find("Role").metadata.name,
    });
    assert.equal(find("ClusterRoleBinding").roleRef!.name, find("ClusterRole").metadata.name);
  });

  it("every rule says which provider calls need it, and the manifest comments each rule", () => {
    for (const r of [...VIRTUAL_MACHINE_RULES, ...KUBEVIRT_CR_RULES]) {
      for (const v of r.verbs) assert.match(r.usedBy, new RegExp(`\\b${v}\\b`), `${r.resources[0]} ${v} is explained`);
    }
    const lines = readFileSync(MANIFEST, "utf8").split("\n");
    lines.forEach((line, i) => {
      if (/^\s*- apiGroups:/.test(line))
        assert.match(lines[i - 1]!, /^\s*#/, `line ${i + 1}: a comment says which call needs the rule`);
    });
  });

  it("grants nothing beyond reading, writing and restarting VMs (no secrets, no wildcards, no escalation)", () => {
    for (const g of grants([...VIRTUAL_MACHINE_RULES, ...KUBEVIRT_CR_RULES])) {
      assert.doesNotMatch(g, /\*/);
      assert.match(g, /^(kubevirt\.io|subresources\.kubevirt\.io) /);
      assert.doesNotMatch(g, / (escalate|bind|impersonate|deletecollection)$/);
    }
    assert.deepEqual(grants(KUBEVIRT_CR_RULES), ["kubevirt.io kubevirts list"]);
  });

  it("binds per namespace with vmNamespaces, binds an existing ServiceAccount, and places the CR role in kubevirtNamespace", async () => {
    reset();
    const rbac = new LiveVmProviderRbac("fleet", {
      vmNamespaces: ["team-a", "team-b"],
      createServiceAccount: false,
      serviceAccountName: "ci",
      serviceAccountNamespace: "pulumi",
      kubevirtNamespace: "virt",
    });
    await Promise.all(rbac.vmBindings.map((b) => valueOf(b.urn)));
    await valueOf(rbac.kubevirtBinding.urn);
    await settle();
    assert.equal(byType(SA).length, 0);
    assert.equal(byType(CLUSTER_ROLE_BINDING).length, 0);
    const bindings = byType(ROLE_BINDING).map(
      (d) => d.inputs as { metadata: { namespace: string }; roleRef: { kind: string }; subjects: unknown[] },
    );
    assert.deepEqual(bindings.map((b) => [b.metadata.namespace, b.roleRef.kind]).sort(), [
      ["team-a", "ClusterRole"],
      ["team-b", "ClusterRole"],
      ["virt", "Role"],
    ]);
    for (const b of bindings)
      assert.deepEqual(b.subjects, [{ kind: "ServiceAccount", name: "ci", namespace: "pulumi" }]);
    assert.equal((one(ROLE).inputs as { metadata: { namespace: string } }).metadata.namespace, "virt");
    assert.equal(one("livevm:index:LiveVmProviderRbac").custom, false);
    assert.ok(declared.filter((d) => d.type !== "livevm:index:LiveVmProviderRbac").every((d) => d.custom));
  });

  it("rejects bad names and namespace lists, naming the argument", () => {
    reset();
    assert.throws(
      () => new LiveVmProviderRbac("x", { vmNamespaces: ["ok", "Bad_NS"] }),
      /LiveVmProviderRbac "x": argument 'vmNamespaces\[1\]': expected a Kubernetes name .*"Bad_NS"/,
    );
    assert.throws(
      () => new LiveVmProviderRbac("x", { vmNamespaces: [] }),
      /argument 'vmNamespaces': expected at least one namespace/,
    );
    assert.throws(
      () => new LiveVmProviderRbac("x", { vmNamespaces: ["a", "a"] }),
      /argument 'vmNamespaces\[1\]': "a" is listed twice/,
    );
    assert.throws(() => new LiveVmProviderRbac("x", { serviceAccountName: "" }), /argument 'serviceAccountName'/);
    assert.throws(
      () => new LiveVmProviderRbac("x", { kubevirtNamespace: "kube virt" }),
      /argument 'kubevirtNamespace'/,
    );
  });
});
