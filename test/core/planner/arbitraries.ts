import fc from "fast-check";

const VERSIONS = [
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
  "v1.6.3",
  "v1.6.4",
  "v1.7.0",
  "v1.7.1",
  "v1.8.0",
  "v1.9.0",
];
const QUANTITIES = ["512Mi", "1Gi", "1536Mi", "2Gi", "2048Mi", "3073Mi", "4Gi", "8Gi", "123", "1G", 2147483648];

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
/** mostly absent: fields that KubeVirt's admission only accepts in particular combinations */
const rare = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 12 }, { arbitrary: a, weight: 1 });
const strip = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const cpuArb = fc
  .record({
    sockets: opt(fc.integer({ min: 0, max: 12 })),
    cores: opt(fc.integer({ min: 0, max: 4 })),
    threads: opt(fc.integer({ min: 0, max: 2 })),
    maxSockets: rare(fc.integer({ min: 0, max: 24 })),
    dedicatedCpuPlacement: rare(fc.boolean()),
    isolateEmulatorThread: rare(fc.boolean()),
    model: opt(fc.constantFrom("host-passthrough", "host-model")),
    realtime: rare(fc.constant({})),
    numa: rare(fc.constant({ guestMappingPassthrough: {} })),
  })
  .map(strip);
const memoryArb = fc
  .record({
    guest: opt(fc.constantFrom(...QUANTITIES)),
    maxGuest: rare(fc.constantFrom(...QUANTITIES)),
    hugepages: rare(fc.constantFrom({ pageSize: "2Mi" }, { pageSize: "1Gi" })),
  })
  .map(strip);
const resourcesArb = fc
  .record({
    requests: opt(
      fc.record({ cpu: opt(fc.constantFrom("500m", "2", 4)), memory: opt(fc.constantFrom(...QUANTITIES)) }).map(strip),
    ),
    limits: opt(
      fc.record({ cpu: opt(fc.constantFrom("1", "2")), memory: opt(fc.constantFrom(...QUANTITIES)) }).map(strip),
    ),
  })
  .map(strip);
const volumeArb = fc.constantFrom(
  { name: "root", containerDisk: { image: "fedora" } },
  { name: "root", containerDisk: { image: "fedora:41" } },
  { name: "data", persistentVolumeClaim: { claimName: "a", hotpluggable: true } },
  { name: "data", persistentVolumeClaim: { claimName: "b" } },
  { name: "cd", dataVolume: { name: "iso", hotpluggable: true } },
);
const ifaceArb = fc.constantFrom(
  { name: "default", masquerade: {} },
  { name: "default", bridge: {} },
  { name: "sec", bridge: {} },
  { name: "sec", bridge: {}, state: "down" as const },
  { name: "sec", bridge: {}, state: "absent" as const },
);
const templateArb = fc
  .record({
    architecture: rare(fc.constantFrom("amd64", "arm64", "s390x")),
    hostname: opt(fc.constantFrom("a", "b")),
    nodeSelector: opt(fc.dictionary(fc.constantFrom("zone", "rack"), fc.constantFrom("1", "2"), { maxKeys: 2 })),
    tolerations: opt(
      fc.array(fc.record({ key: fc.constantFrom("k1", "k2"), operator: fc.constant("Exists") }), { maxLength: 2 }),
    ),
    affinity: opt(fc.constant({ nodeAffinity: {} })),
    volumes: opt(fc.uniqueArray(volumeArb, { selector: (v) => v.name, maxLength: 3 })),
    disks: opt(
      fc.uniqueArray(
        fc.constantFrom({ name: "root", disk: {} }, { name: "data", disk: {} }, { name: "cd", cdrom: {} }),
        { selector: (d) => d.name, maxLength: 3 },
      ),
    ),
    interfaces: opt(fc.uniqueArray(ifaceArb, { selector: (i) => i.name, maxLength: 2 })),
    networks: opt(
      fc.uniqueArray(
        fc.constantFrom(
          { name: "default", pod: {} },
          { name: "sec", multus: { networkName: "nad-a" } },
          { name: "sec", multus: { networkName: "nad-b" } },
        ),
        { selector: (n) => n.name, maxLength: 2 },
      ),
    ),
    cpu: opt(cpuArb),
    memory: opt(memoryArb),
    resources: rare(resourcesArb),
    multiqueue: rare(fc.boolean()),
    uuid: opt(fc.constantFrom("u-1", "u-2")),
    launchSecurity: rare(fc.constant({ sev: {} })),
    evictionStrategy: opt(fc.constantFrom("None", "LiveMigrate", "LiveMigrateIfPossible")),
  })
  .map((t) =>
    strip({
      architecture: t.architecture,
      hostname: t.hostname,
      nodeSelector: t.nodeSelector,
      tolerations: t.tolerations,
      affinity: t.affinity,
      volumes: t.volumes,
      networks: t.networks,
      evictionStrategy: t.evictionStrategy,
      domain: strip({
        cpu: t.cpu,
        memory: t.memory,
        resources: t.resources,
        firmware: t.uuid ? { uuid: t.uuid } : undefined,
        launchSecurity: t.launchSecurity,
        devices: strip({ disks: t.disks, interfaces: t.interfaces, networkInterfaceMultiqueue: t.multiqueue }),
      }),
    }),
  );

const vmArb = fc
  .record({
    template: templateArb,
    runStrategy: opt(fc.constantFrom("Always", "RerunOnFailure", "Manual", "Halted", "Once")),
    running: rare(fc.boolean()),
    instancetype: rare(fc.constantFrom({ name: "u1.small" }, { name: "u1.large" })),
    liveUpdateFeatures: rare(
      fc.constantFrom({ cpu: {} }, { cpu: { maxSockets: 8 } }, { memory: {} }, { affinity: {} }),
    ),
    updateVolumesStrategy: rare(fc.constant("Migration")),
    labels: opt(fc.dictionary(fc.constantFrom("a", "b"), fc.constantFrom("1", "2"), { maxKeys: 2 })),
    status: opt(
      fc
        .record({
          printableStatus: opt(fc.constantFrom("Running", "Stopped", "Migrating")),
          ready: opt(fc.boolean()),
          conditions: opt(
            fc.constantFrom([
              {
                type: "RestartRequired",
                status: "True" as const,
                message: "a non-live-updatable field was changed in the template spec",
              },
            ]),
          ),
        })
        .map(strip),
    ),
  })
  .map((v) => ({
    apiVersion: "kubevirt.io/v1",
    kind: "VirtualMachine" as const,
    metadata: strip({ name: "vm", namespace: "ns", labels: v.labels }),
    spec: strip({
      runStrategy: v.runStrategy,
      running: v.running,
      instancetype: v.instancetype,
      liveUpdateFeatures: v.liveUpdateFeatures,
      updateVolumesStrategy: v.updateVolumesStrategy,
      template: { spec: v.template },
    }),
    ...(v.status ? { status: v.status } : {}),
  }));

const kvArb = fc
  .record({
    rollout: opt(fc.constantFrom("Stage", "LiveUpdate")),
    gates: fc.subarray([
      "VMLiveUpdateFeatures",
      "DeclarativeHotplugVolumes",
      "HotplugVolumes",
      "LiveUpdateNADRef",
      "MultiArchitecture",
    ]),
    methods: fc.subarray(["LiveMigrate", "Evict"] as const),
    maxCpuSockets: opt(fc.integer({ min: 0, max: 16 })),
    maxGuest: rare(fc.constantFrom("4Gi", "16Gi", "3073Mi")),
    ratio: opt(fc.integer({ min: 0, max: 8 })),
    evictionStrategy: opt(fc.constantFrom("None", "LiveMigrate", "External")),
    arch: opt(fc.constantFrom("amd64", "arm64")),
  })
  .map((k) => ({
    spec: {
      configuration: strip({
        vmRolloutStrategy: k.rollout,
        developerConfiguration: { featureGates: k.gates },
        liveUpdateConfiguration: strip({
          maxCpuSockets: k.maxCpuSockets,
          maxGuest: k.maxGuest,
          maxHotplugRatio: k.ratio,
        }),
        evictionStrategy: k.evictionStrategy,
      }),
      workloadUpdateStrategy: { workloadUpdateMethods: k.methods },
    },
    ...(k.arch ? { status: { defaultArchitecture: k.arch } } : {}),
  }));

/** Schema-valid plan inputs over every version: VMs, VMIs, KubeVirt CRs (used by the property tests and the benchmark). */
export const inputArb = fc
  .record({
    before: vmArb,
    after: vmArb,
    mix: fc.constantFrom("independent", "merge", "edit", "edit"),
    edit: fc.constantFrom<Record<string, unknown>>(
      { domain: { cpu: { sockets: 4, cores: 1, threads: 1 } } },
      { domain: { cpu: { sockets: 1, cores: 1, threads: 1 } } },
      { domain: { memory: { guest: "4Gi" } } },
      { domain: { memory: { guest: "1536Mi" } } },
      { nodeSelector: { zone: "2" } },
      { tolerations: [{ key: "k9", operator: "Exists" }] },
      { hostname: "edited" },
    ),
    kubevirt: opt(kvArb),
    version: fc.constantFrom(...VERSIONS),
    vmi: opt(
      fc.record({
        migratable: fc.boolean(),
        hotVcpu: fc.boolean(),
        hotMemory: opt(fc.constantFrom("True", "False") as fc.Arbitrary<"True" | "False">),
        migrating: fc.boolean(),
        maxSockets: rare(fc.integer({ min: 0, max: 16 })),
        maxGuest: rare(fc.constantFrom("4Gi", "8Gi")),
      }),
    ),
  })
  .map((r) => {
    // half of the cases: `after` is `before` with part of its template changed
    const edited = (): typeof r.before => {
      const t = r.before.spec.template.spec as Record<string, unknown>;
      const d = (t.domain as Record<string, unknown>) ?? {};
      const e = r.edit as Record<string, unknown>;
      const ed = (e.domain as Record<string, unknown>) ?? {};
      const domain = {
        ...d,
        ...Object.fromEntries(
          Object.entries(ed).map(([k, v]) => [k, { ...((d[k] as object) ?? {}), ...(v as object) }]),
        ),
      };
      const spec = { ...t, ...e, domain } as unknown as typeof r.before.spec.template.spec;
      return { ...r.before, spec: { ...r.before.spec, template: { spec } } };
    };
    const after =
      r.mix === "edit"
        ? edited()
        : r.mix === "merge"
          ? {
              ...r.before,
              spec: {
                ...r.before.spec,
                template: { spec: { ...r.before.spec.template.spec, ...r.after.spec.template.spec } },
              },
            }
          : r.after;
    const tpl = r.before.spec.template.spec as Record<string, unknown>;
    const vmi = r.vmi
      ? {
          spec: {
            ...tpl,
            domain: {
              ...((tpl.domain as object) ?? {}),
              ...(r.vmi.maxSockets !== undefined
                ? { cpu: { ...((tpl.domain as Record<string, object>)?.cpu ?? {}), maxSockets: r.vmi.maxSockets } }
                : {}),
            },
          },
          status: strip({
            phase: "Running",
            conditions: [
              { type: "LiveMigratable", status: r.vmi.migratable ? "True" : "False" },
              ...(r.vmi.hotVcpu ? [{ type: "HotVCPUChange", status: "True" }] : []),
              ...(r.vmi.hotMemory ? [{ type: "HotMemoryChange", status: r.vmi.hotMemory }] : []),
            ],
            memory: { guestAtBoot: "2Gi", guestCurrent: "2Gi", guestRequested: "2Gi" },
            migrationState: r.vmi.migrating ? { startTimestamp: "2026-01-01T00:00:00Z" } : undefined,
          }),
        }
      : undefined;
    return { before: r.before, after, kubevirt: r.kubevirt, version: r.version, vmi };
  });
