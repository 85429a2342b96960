import assert from "node:assert/strict";
import fc from "fast-check";
import { virtualMachine } from "../../../core/kubevirt/schema/virtualMachine";
import { admit, kubevirtFor, VERSIONS, vmWith } from "./admissionHarness";

const quantity = fc.constantFrom(
  "0",
  "1",
  "2",
  "500m",
  "1500m",
  "512k",
  "512Mi",
  "1Gi",
  "1536Mi",
  "2Gi",
  "4097Mi",
  "8Gi",
  "-1",
  "1e9",
);
const pageSize = fc.constantFrom("2Mi", "1Gi", "huge", "0");
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const count = fc.integer({ min: 0, max: 6 });

const spec = fc.record(
  {
    architecture: maybe(fc.constantFrom("amd64", "arm64", "s390x")),
    domain: fc.record(
      {
        cpu: maybe(
          fc.record(
            {
              sockets: maybe(count),
              cores: maybe(count),
              threads: maybe(count),
              maxSockets: maybe(count),
              dedicatedCpuPlacement: maybe(fc.boolean()),
              isolateEmulatorThread: maybe(fc.boolean()),
              realtime: maybe(fc.constant({})),
              numa: maybe(fc.constant({ guestMappingPassthrough: {} })),
            },
            { requiredKeys: [] },
          ),
        ),
        memory: maybe(
          fc.record(
            { guest: maybe(quantity), maxGuest: maybe(quantity), hugepages: maybe(fc.record({ pageSize })) },
            { requiredKeys: [] },
          ),
        ),
        resources: maybe(
          fc.record(
            {
              requests: maybe(fc.record({ cpu: maybe(quantity), memory: maybe(quantity) }, { requiredKeys: [] })),
              limits: maybe(fc.record({ cpu: maybe(quantity), memory: maybe(quantity) }, { requiredKeys: [] })),
            },
            { requiredKeys: [] },
          ),
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** drops the undefined values fast-check leaves in optional keys, as JSON would */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe("admission: properties", () => {
  it("never throws on a schema-valid VM, in any version and rollout, and answers the same twice", () => {
    fc.assert(
      fc.property(
        spec,
        fc.constantFrom(...VERSIONS, "v1.6.2", "v1.6.4", "v1.7.0", "v1.8.0"),
        fc.constantFrom("Stage", "LiveUpdate") as fc.Arbitrary<"Stage" | "LiveUpdate">,
        fc.boolean(),
        (template, version, rollout, features) => {
          const vm = virtualMachine.parse(
            plain(
              vmWith(
                template,
                features ? { liveUpdateFeatures: { cpu: { maxSockets: 4 }, memory: { maxGuest: "8Gi" } } } : {},
              ),
            ),
          );
          const kubevirt = kubevirtFor(version, rollout, { gates: ["VMLiveUpdateFeatures"] });
          const first = admit(version, vm, { kubevirt });
          assert.deepEqual(admit(version, structuredClone(vm), { kubevirt }), first);
          for (const cause of first) {
            assert.match(cause.type, /^FieldValue(Invalid|Required|NotSupported)$/);
            assert.ok(cause.message.length > 0);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
