import assert from "node:assert/strict";
import { applyTemplateDefaults } from "../../../core/kubevirt/admission";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import { parseKubeVirtVersion } from "../../../core/kubevirt/version";

const defaults = (version: string, spec: VmiSpec, extra: { memoryOvercommit?: number; cpuRequest?: string } = {}) =>
  applyTemplateDefaults(spec, {
    version: parseKubeVirtVersion(version),
    defaultArchitecture: "amd64",
    memoryOvercommit: extra.memoryOvercommit ?? 100,
    cpuRequest: extra.cpuRequest,
  });

describe("admission: the defaults step on the template copy (§2.1 step 2)", () => {
  it("architecture from the cluster, topology from limits.cpu, requests.cpu from limits.cpu", () => {
    const input: VmiSpec = { domain: { resources: { limits: { cpu: "2500m" } } } };
    const out = defaults("v1.9.0", input);
    assert.equal(out.architecture, "amd64");
    assert.deepEqual(out.domain?.cpu, { sockets: 3, cores: 1, threads: 1 });
    assert.deepEqual(out.domain?.resources?.requests, { cpu: "2500m" });
    assert.deepEqual(input, { domain: { resources: { limits: { cpu: "2500m" } } } }, "input untouched");
  });

  it("topology from requests.cpu, else one socket; a partial topology is kept as is", () => {
    assert.deepEqual(defaults("v1.9.0", { domain: { resources: { requests: { cpu: "4" } } } }).domain?.cpu, {
      sockets: 4,
      cores: 1,
      threads: 1,
    });
    assert.deepEqual(defaults("v1.9.0", {}).domain?.cpu, { sockets: 1, cores: 1, threads: 1 });
    assert.deepEqual(defaults("v1.9.0", { domain: { cpu: { cores: 2 } } }).domain?.cpu, { cores: 2 });
  });

  it("memory.guest from requests, limits or the page size from v1.3 (not before)", () => {
    const fromRequests: VmiSpec = { domain: { resources: { requests: { memory: "3Gi" }, limits: { memory: "4Gi" } } } };
    assert.equal(defaults("v1.3.0", fromRequests).domain?.memory?.guest, "3Gi");
    assert.equal(defaults("v1.2.2", fromRequests).domain?.memory?.guest, undefined);
    assert.equal(
      defaults("v1.9.0", { domain: { resources: { limits: { memory: "4Gi" } } } }).domain?.memory?.guest,
      "4Gi",
    );
    assert.equal(
      defaults("v1.9.0", { domain: { memory: { hugepages: { pageSize: "1Gi" } } } }).domain?.memory?.guest,
      "1Gi",
    );
    assert.equal(
      defaults("v1.9.0", { domain: { memory: { guest: "5Gi" }, resources: { requests: { memory: "3Gi" } } } }).domain
        ?.memory?.guest,
      "5Gi",
    );
  });

  it("requests.memory from guest up to v1.6.3 (scaled by the overcommit, except in v1.6.2), never from v1.6.4", () => {
    const spec: VmiSpec = { domain: { memory: { guest: "3Gi" } } };
    assert.equal(defaults("v1.0.0", spec).domain?.resources?.requests?.memory, "3Gi");
    assert.equal(defaults("v1.6.3", spec, { memoryOvercommit: 150 }).domain?.resources?.requests?.memory, "2Gi");
    assert.equal(defaults("v1.6.2", spec, { memoryOvercommit: 150 }).domain?.resources?.requests?.memory, "3Gi");
    assert.equal(defaults("v1.6.4", spec).domain?.resources?.requests, undefined);
    assert.equal(defaults("v1.7.0", spec).domain?.resources?.requests, undefined);
    assert.equal(
      defaults("v1.5.0", { domain: { resources: { limits: { memory: "1Gi" } } } }).domain?.resources?.requests?.memory,
      "1Gi",
    );
  });

  it("a cluster cpuRequest fills requests.cpu, except for dedicated CPUs or the default 100m", () => {
    assert.equal(defaults("v1.9.0", {}, { cpuRequest: "250m" }).domain?.resources?.requests?.cpu, "250m");
    assert.equal(defaults("v1.9.0", {}, { cpuRequest: "100m" }).domain?.resources?.requests, undefined);
    assert.equal(
      defaults("v1.9.0", { domain: { cpu: { sockets: 2, dedicatedCpuPlacement: true } } }, { cpuRequest: "250m" })
        .domain?.resources?.requests,
      undefined,
    );
  });

  it("never computes maxSockets or maxGuest", () => {
    const out = defaults("v1.9.0", { domain: { cpu: { sockets: 2 }, memory: { guest: "2Gi" } } });
    assert.equal(out.domain?.cpu?.maxSockets, undefined);
    assert.equal(out.domain?.memory?.maxGuest, undefined);
  });
});
