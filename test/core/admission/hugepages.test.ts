import assert from "node:assert/strict";
import { QUANTITY_FORMAT_WRONG, validateHugepagesMemoryRequests } from "../../../core/kubevirt/admission/hugepages";
import type { AdmissionCause } from "../../../core/kubevirt/plan";
import type { VmiSpec } from "../../../core/kubevirt/schema/common";
import { admit, VERSIONS, vmWith } from "./admissionHarness";

const P = "spec.template.spec";
const REQ_MEM = `${P}.domain.resources.requests.memory`;
const OLD_PAGE = `${P}.domain.hugepages.size`;
const NEW_PAGE = `${P}.domain.memory.hugepages.pageSize`;
const invalid = (field: string, message: string): AdmissionCause => ({ type: "FieldValueInvalid", field, message });
const notMultiple = (requests: string, pageField: string, page = "1Gi") =>
  invalid(REQ_MEM, `${REQ_MEM} '${requests}' is not a multiple of the page size ${pageField} '${page}'`);
const tooSmall = (requests: string, pageField: string, page = "1Gi") =>
  invalid(REQ_MEM, `${REQ_MEM} '${requests}' must be equal to or larger than page size ${pageField} '${page}'`);

type Domain = NonNullable<VmiSpec["domain"]>;

function hugepagesVm(memory: Domain["memory"], resources?: Domain["resources"]): ReturnType<typeof vmWith> {
  return vmWith({
    domain: {
      cpu: { sockets: 1 },
      memory: { hugepages: { pageSize: "1Gi" }, ...memory },
      ...(resources ? { resources } : {}),
    },
  });
}

describe("admission: hugepages sizing (validateHugepagesMemoryRequests, §9 addendum)", () => {
  describe("1Gi pages, guest 1536Mi, no requests: rejected in every version, worded per version", () => {
    const vm = hugepagesVm({ guest: "1536Mi" });
    const rows: Array<[string, AdmissionCause]> = [
      // up to v1.6.3 the defaults step copied guest into requests.memory, so the message quotes it
      ["v1.0.0", notMultiple("1536Mi", OLD_PAGE)],
      ["v1.2.2", notMultiple("1536Mi", OLD_PAGE)],
      ["v1.5.0", notMultiple("1536Mi", OLD_PAGE)],
      ["v1.6.3", notMultiple("1536Mi", OLD_PAGE)],
      // v1.6.4/v1.7: requests stay unset ('0'), the guest is checked
      ["v1.6.4", notMultiple("0", OLD_PAGE)],
      ["v1.7.0", notMultiple("0", OLD_PAGE)],
      // v1.8+: the page-size field is named as in the API
      ["v1.8.0", notMultiple("0", NEW_PAGE)],
      ["v1.9.0", notMultiple("0", NEW_PAGE)],
    ];
    for (const [version, cause] of rows) {
      for (const rollout of ["Stage", "LiveUpdate"] as const) {
        if (rollout === "LiveUpdate" && version < "v1.2.0") continue;
        it(`${version} ${rollout}`, () => assert.deepEqual(admit(version, vm, { rollout }), [cause]));
      }
    }
  });

  it("memory below one page", () => {
    const vm = hugepagesVm({ guest: "512Mi" });
    assert.deepEqual(admit("v1.9.0", vm), [tooSmall("0", NEW_PAGE)]);
    assert.deepEqual(admit("v1.5.0", vm), [tooSmall("512Mi", OLD_PAGE)]);
  });

  it("requests.memory set and a whole number of pages: guest is not what is checked", () => {
    // the controller's "Guest memory must be 1Gi aligned" path is reached only this way
    const vm = hugepagesVm({ guest: "1536Mi" }, { requests: { memory: "2Gi" } });
    assert.deepEqual(admit("v1.9.0", vm), []);
  });

  it("limits.memory is the last fallback (v1.6.4+), and the first default before", () => {
    const vm = hugepagesVm({}, { limits: { memory: "3Gi" } });
    for (const version of VERSIONS) assert.deepEqual(admit(version, vm), [], version);
    const odd = hugepagesVm({}, { limits: { memory: "2500Mi" } });
    assert.deepEqual(admit("v1.9.0", odd), [notMultiple("0", NEW_PAGE)]);
    assert.deepEqual(admit("v1.4.0", odd), [notMultiple("2500Mi", OLD_PAGE)]);
  });

  for (const version of VERSIONS) {
    it(`${version}: whole pages are admitted (guest 4Gi, or only the page size)`, () => {
      assert.deepEqual(admit(version, hugepagesVm({ guest: "4Gi" })), []);
      assert.deepEqual(admit(version, hugepagesVm({})), []);
      assert.deepEqual(
        admit(
          version,
          vmWith({ domain: { cpu: { sockets: 1 }, memory: { guest: "2Gi", hugepages: { pageSize: "2Mi" } } } }),
        ),
        [],
      );
    });
  }

  it("the memory overcommit scales the defaulted requests up to v1.6.3", () => {
    const vm = hugepagesVm({ guest: "2Gi" });
    const kubevirt = { spec: { configuration: { developerConfiguration: { memoryOvercommit: 150 } } } };
    // 2Gi * 100 / 150 = 1431655765 bytes, not a multiple of 1Gi
    assert.deepEqual(admit("v1.5.0", vm, { kubevirt }), [notMultiple("1431655765", OLD_PAGE)]);
    assert.deepEqual(admit("v1.9.0", vm, { kubevirt }), []);
  });

  it("an unparsable page size", () => {
    const spec: VmiSpec = { domain: { memory: { guest: "2Gi", hugepages: { pageSize: "huge" } } } };
    assert.deepEqual(
      validateHugepagesMemoryRequests("spec", spec, { fallbackToGuestAndLimits: true, pageSizePath: true }),
      [
        invalid(
          "spec.domain.memory.hugepages.pageSize",
          `spec.domain.memory.hugepages.pageSize 'huge': ${QUANTITY_FORMAT_WRONG}`,
        ),
      ],
    );
    assert.deepEqual(
      validateHugepagesMemoryRequests("spec", spec, { fallbackToGuestAndLimits: false, pageSizePath: false }),
      [invalid("spec.domain.hugepages.size", `spec.domain.hugepages.size 'huge': ${QUANTITY_FORMAT_WRONG}`)],
    );
  });

  it("before v1.6.4 a zero memory is below the page size; from v1.6.4 zero means nothing to check", () => {
    const spec: VmiSpec = { domain: { memory: { hugepages: { pageSize: "2Mi" } } } };
    assert.deepEqual(
      validateHugepagesMemoryRequests("spec", spec, { fallbackToGuestAndLimits: false, pageSizePath: false }),
      [
        invalid(
          "spec.domain.resources.requests.memory",
          "spec.domain.resources.requests.memory '0' must be equal to or larger than page size spec.domain.hugepages.size '2Mi'",
        ),
      ],
    );
    assert.deepEqual(
      validateHugepagesMemoryRequests("spec", spec, { fallbackToGuestAndLimits: true, pageSizePath: true }),
      [],
    );
  });
});
