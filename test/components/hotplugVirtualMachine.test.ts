import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { HotplugVirtualMachine, KubeVirtLiveUpdates, type HotplugVirtualMachineArgs } from "../../components";
import { byType, installMocks, kubevirtCr, one, reset, uninstallMocks, valueOf } from "./mockCluster";

const VM = "livevm:kubevirt:VirtualMachine";

type Spec = Record<string, unknown> & {
  liveUpdateFeatures?: Record<string, unknown>;
  template: {
    spec: {
      domain: Record<string, unknown> & {
        cpu: Record<string, unknown>;
        memory?: Record<string, unknown>;
        devices?: { disks?: { name: string; disk?: unknown }[] };
      };
      volumes?: Record<string, unknown>[];
    };
  };
};

function vmSpec(
  domain: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  template: Record<string, unknown> = {},
) {
  return {
    runStrategy: "Always",
    ...extra,
    template: { spec: { domain, ...template } },
  } as HotplugVirtualMachineArgs["spec"];
}

async function deploy(args: Record<string, unknown>) {
  reset(kubevirtCr(String(args["version"])));
  const vm = new HotplugVirtualMachine("db", { metadata: { name: "db", namespace: "vms" }, ...args } as never);
  await valueOf(vm.vm.urn);
  const reg = one(VM);
  return { vm, reg, spec: reg.inputs["spec"] as Spec };
}

describe("components: HotplugVirtualMachine", () => {
  before(installMocks);
  after(uninstallMocks);

  it("declares the component and a livevm:kubevirt:VirtualMachine child with explicit headroom (v1.9 defaults: ratio 4)", async () => {
    const { vm, reg, spec } = await deploy({
      version: "v1.9.0",
      spec: vmSpec({ cpu: { sockets: 2, cores: 2 }, memory: { guest: "2Gi" } }),
      onRestartRequired: "fail",
    });
    const component = one("livevm:index:HotplugVirtualMachine");
    assert.equal(component.custom, false);
    assert.equal(reg.name, "db");
    assert.equal(reg.custom, true);
    assert.deepEqual(reg.inputs["metadata"], { name: "db", namespace: "vms" });
    assert.equal(reg.inputs["onRestartRequired"], "fail");
    assert.deepEqual(spec.template.spec.domain.cpu, { sockets: 2, cores: 2, threads: 1, maxSockets: 8 });
    assert.deepEqual(spec.template.spec.domain.memory, { guest: "2Gi", maxGuest: "8Gi" });
    assert.equal(await valueOf(vm.maxSockets), 8);
    assert.equal(await valueOf(vm.maxGuest), "8Gi");
    assert.deepEqual(await valueOf(vm.vcpus), { boot: 4, max: 16 });
    const urn = await valueOf(vm.vm.urn);
    assert.match(
      urn,
      /livevm:index:HotplugVirtualMachine\$livevm:kubevirt:VirtualMachine::db$/,
      "parented to the component",
    );
  });

  const perVersion: {
    version: string;
    guest: string;
    cluster?: Record<string, unknown>;
    cpu: number;
    mem?: string;
    luf?: boolean;
  }[] = [
    { version: "v1.0.0", guest: "1Gi", cpu: 4, luf: true },
    { version: "v1.1.0", guest: "1Gi", cpu: 4, mem: "4Gi", luf: true },
    { version: "v1.3.0", guest: "512Mi", cpu: 4, mem: "2Gi" },
    { version: "v1.4.0", guest: "4Gi", cluster: { maxCpuSockets: 12 }, cpu: 12, mem: "16Gi" },
    { version: "v1.5.0", guest: "4Gi", cluster: { maxGuest: "64Gi" }, cpu: 4, mem: "64Gi" },
    { version: "v1.6.0", guest: "2Gi", cluster: { maxHotplugRatio: 2 }, cpu: 2, mem: "4Gi" },
    {
      version: "v1.8.0",
      guest: "8Gi",
      cluster: { maxCpuSockets: 6, maxGuest: "32Gi", maxHotplugRatio: 8 },
      cpu: 6,
      mem: "32Gi",
    },
    { version: "v1.9.0", guest: "1Gi", cpu: 4, mem: "4Gi" },
  ];
  for (const c of perVersion) {
    it(`${c.version}: headroom ${c.cpu} sockets${c.mem ? `, ${c.mem}` : ", no memory hotplug"}${c.luf ? " in spec.liveUpdateFeatures" : " in the template"}`, async () => {
      const { spec } = await deploy({
        version: c.version,
        spec: vmSpec({ cpu: { sockets: 1 }, memory: { guest: c.guest } }),
        cluster: c.cluster ? { version: c.version, ...c.cluster } : undefined,
      });
      const cpu = spec.template.spec.domain.cpu;
      const memory = spec.template.spec.domain.memory!;
      if (c.luf) {
        assert.deepEqual(spec.liveUpdateFeatures, {
          cpu: { maxSockets: c.cpu },
          ...(c.mem ? { memory: { maxGuest: c.mem } } : {}),
        });
        assert.equal(cpu["maxSockets"], undefined, "v1.0/v1.1 reject a template maxSockets");
        assert.equal(memory["maxGuest"], undefined);
      } else {
        assert.equal(spec.liveUpdateFeatures, undefined);
        assert.equal(cpu["maxSockets"], c.cpu);
        assert.equal(memory["maxGuest"], c.mem);
      }
    });
  }

  it("takes the cluster settings from KubeVirtLiveUpdates.settings once they resolve", async () => {
    reset(kubevirtCr("v1.6.1", { configuration: { liveUpdateConfiguration: { maxGuest: "24Gi" } } }));
    const live = new KubeVirtLiveUpdates("live", { version: "v1.6.1", maxCpuSockets: 10 });
    const vm = new HotplugVirtualMachine("app", {
      version: "v1.6.1",
      spec: vmSpec({ cpu: { sockets: 2 }, memory: { guest: "4Gi" } }),
      cluster: live.settings,
    });
    await valueOf(vm.vm.urn);
    assert.equal(await valueOf(vm.maxSockets), 10);
    assert.equal(await valueOf(vm.maxGuest), "24Gi");
  });

  it("caps computed headroom at 512 vCPUs (sockets 32, cores 2, threads 3 -> 85)", async () => {
    const { vm } = await deploy({
      version: "v1.9.0",
      spec: vmSpec({ cpu: { sockets: 32, cores: 2, threads: 3 }, memory: { guest: "64Gi" } }),
    });
    assert.equal(await valueOf(vm.maxSockets), 85);
  });

  it("the template's own maxSockets/maxGuest are kept as the headroom (v1.2+)", async () => {
    const { vm } = await deploy({
      version: "v1.5.0",
      spec: vmSpec({ cpu: { sockets: 2, maxSockets: 6 }, memory: { guest: "2Gi", maxGuest: "6Gi" } }),
    });
    assert.equal(await valueOf(vm.maxSockets), 6);
    assert.equal(await valueOf(vm.maxGuest), "6Gi");
  });

  it("explicit maxSockets/maxGuest win, and dedicated CPUs sized through the topology pass", async () => {
    const { spec } = await deploy({
      version: "v1.8.0",
      spec: vmSpec({
        cpu: { sockets: 1, cores: 2, dedicatedCpuPlacement: true, isolateEmulatorThread: true },
        memory: { guest: "4Gi", hugepages: { pageSize: "1Gi" } },
      }),
      maxSockets: 3,
      maxGuest: "16Gi",
    });
    assert.equal(spec.template.spec.domain.cpu["maxSockets"], 3);
    assert.equal(spec.template.spec.domain.memory!["maxGuest"], "16Gi");
  });

  it("memoryHotplug false leaves maxGuest out (v1.1 with dedicated CPUs)", async () => {
    const { spec, vm } = await deploy({
      version: "v1.1.0",
      spec: vmSpec({ cpu: { sockets: 1, cores: 2, dedicatedCpuPlacement: true }, memory: { guest: "2Gi" } }),
      memoryHotplug: false,
    });
    assert.deepEqual(spec.liveUpdateFeatures, { cpu: { maxSockets: 4 } });
    assert.equal(await valueOf(vm.maxGuest), undefined);
  });

  describe("guest readiness", () => {
    it("adds a NoCloud volume and disk when the VM has no cloud-init", async () => {
      const { spec } = await deploy({
        version: "v1.9.0",
        spec: vmSpec({ cpu: { sockets: 1 }, memory: { guest: "2Gi" } }),
        guestReadiness: true,
      });
      const volume = spec.template.spec.volumes!.find((v) => v["name"] === "livevm-cloudinit")!;
      const userData = (volume["cloudInitNoCloud"] as { userData: string }).userData;
      assert.ok(userData.startsWith("#cloud-config\n"));
      const config = parse(userData) as { write_files: { content: string }[] };
      assert.match(config.write_files[0]!.content, /online_movable/);
      assert.deepEqual(spec.template.spec.domain.devices!.disks, [
        { name: "livevm-cloudinit", disk: { bus: "virtio" } },
      ]);
    });

    it("merges into the user's cloud-config (userData) and base64 user data, CPU only when asked", async () => {
      const { spec } = await deploy({
        version: "v1.9.0",
        spec: vmSpec(
          { cpu: { sockets: 1 }, memory: { guest: "2Gi" }, devices: { disks: [{ name: "ci", disk: {} }] } },
          {},
          { volumes: [{ name: "ci", cloudInitNoCloud: { userData: "#cloud-config\nuser: ops\nruncmd: [date]\n" } }] },
        ),
        guestReadiness: { cpu: true, memory: false },
      });
      const userData = (spec.template.spec.volumes![0]!["cloudInitNoCloud"] as { userData: string }).userData;
      const config = parse(userData) as { user: string; runcmd: string[]; write_files: { content: string }[] };
      assert.equal(config.user, "ops");
      assert.equal(config.runcmd[0], "date");
      assert.doesNotMatch(config.write_files[0]!.content, /memory/);
      assert.equal(spec.template.spec.volumes!.length, 1, "no extra volume");

      const script = Buffer.from("#!/bin/sh\necho hi\n").toString("base64");
      const b64 = await deploy({
        version: "v1.9.0",
        spec: vmSpec(
          { cpu: { sockets: 1 }, memory: { guest: "2Gi" } },
          {},
          { volumes: [{ name: "ci", cloudInitConfigDrive: { userDataBase64: script } }] },
        ),
        guestReadiness: true,
      });
      const merged = (b64.spec.template.spec.volumes![0]!["cloudInitConfigDrive"] as { userDataBase64: string })
        .userDataBase64;
      const text = Buffer.from(merged, "base64").toString("utf8");
      assert.match(text, /^Content-Type: multipart\/mixed/);
      assert.match(text, /#!\/bin\/sh\necho hi/);
      assert.match(text, /online_movable/);
    });
  });

  describe("errors name the argument", () => {
    const base = (domain: Record<string, unknown>, extra: Record<string, unknown> = {}) => vmSpec(domain, extra);
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["unsupported version", { version: "v0.58.0", spec: base({ memory: { guest: "1Gi" } }) }, /argument 'version'/],
      ["no spec.template", { version: "v1.9.0", spec: {} }, /argument 'spec\.template'/],
      [
        "sockets not a number",
        { version: "v1.9.0", spec: base({ cpu: { sockets: "2" }, memory: { guest: "1Gi" } }) },
        /argument 'spec\.template\.spec\.domain\.cpu\.sockets'/,
      ],
      [
        "no guest memory",
        { version: "v1.9.0", spec: base({ cpu: { sockets: 1 } }) },
        /argument 'spec\.template\.spec\.domain\.memory\.guest'/,
      ],
      [
        "guest below 1Gi on v1.4",
        { version: "v1.4.0", spec: base({ memory: { guest: "512Mi" } }) },
        /argument 'spec\.template\.spec\.domain\.memory\.guest'.*at least 1Gi/,
      ],
      [
        "guest not 2Mi aligned",
        { version: "v1.9.0", spec: base({ memory: { guest: "1025Mi" } }) },
        /argument 'spec\.template\.spec\.domain\.memory\.guest'.*2Mi aligned/,
      ],
      [
        "guest not 1Gi aligned with 1Gi pages",
        { version: "v1.9.0", spec: base({ memory: { guest: "1536Mi", hugepages: { pageSize: "1Gi" } } }) },
        /1Gi aligned/,
      ],
      [
        "maxGuest below guest",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }), maxGuest: "2Gi" },
        /argument 'maxGuest'.*greater than the configured maxGuest/,
      ],
      [
        "malformed maxGuest",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }), maxGuest: "8 GiB" },
        /argument 'maxGuest'/,
      ],
      [
        "maxGuest on v1.0",
        { version: "v1.0.0", spec: base({ memory: { guest: "4Gi" } }), maxGuest: "8Gi" },
        /argument 'maxGuest'.*no memory hotplug/,
      ],
      [
        "maxSockets below sockets",
        { version: "v1.9.0", spec: base({ cpu: { sockets: 4 }, memory: { guest: "4Gi" } }), maxSockets: 2 },
        /argument 'maxSockets'.*below the VM's 4 sockets/,
      ],
      [
        "fractional maxSockets",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }), maxSockets: 2.5 },
        /argument 'maxSockets'/,
      ],
      [
        "dedicated CPUs sized with a CPU request",
        {
          version: "v1.9.0",
          spec: base({
            cpu: { sockets: 2, dedicatedCpuPlacement: true },
            memory: { guest: "4Gi" },
            resources: { requests: { cpu: "2" } },
          }),
        },
        /argument 'spec\.template\.spec\.domain\.resources\.requests\.cpu'.*sockets, cores and threads only/,
      ],
      [
        "dedicated CPUs with a CPU limit",
        {
          version: "v1.5.0",
          spec: base({
            cpu: { cores: 2, dedicatedCpuPlacement: true },
            memory: { guest: "4Gi" },
            resources: { limits: { cpu: 2 } },
          }),
        },
        /argument 'spec\.template\.spec\.domain\.resources\.limits\.cpu'/,
      ],
      [
        "dedicated CPUs with 3 threads",
        {
          version: "v1.9.0",
          spec: base({ cpu: { threads: 3, dedicatedCpuPlacement: true }, memory: { guest: "4Gi" } }),
        },
        /argument 'spec\.template\.spec\.domain\.cpu\.threads'.*Not more than two threads/,
      ],
      [
        "isolateEmulatorThread without dedicated CPUs",
        { version: "v1.9.0", spec: base({ cpu: { isolateEmulatorThread: true }, memory: { guest: "4Gi" } }) },
        /argument 'spec\.template\.spec\.domain\.cpu\.isolateEmulatorThread'/,
      ],
      [
        "memory hotplug with dedicated CPUs on v1.1",
        { version: "v1.1.0", spec: base({ cpu: { dedicatedCpuPlacement: true, cores: 2 }, memory: { guest: "4Gi" } }) },
        /argument 'spec\.template\.spec\.domain\.cpu\.dedicatedCpuPlacement'.*not compatible with dedicated CPUs/,
      ],
      [
        "CPU requests on v1.0",
        {
          version: "v1.0.0",
          spec: base({ cpu: { sockets: 1 }, memory: { guest: "4Gi" }, resources: { requests: { cpu: "1" } } }),
        },
        /argument 'spec\.template\.spec\.domain\.resources\.requests\.cpu'.*CPU live update/,
      ],
      [
        "template maxSockets on v1.1",
        { version: "v1.1.0", spec: base({ cpu: { sockets: 1, maxSockets: 4 }, memory: { guest: "4Gi" } }) },
        /argument 'spec\.template\.spec\.domain\.cpu\.maxSockets'.*directy/,
      ],
      [
        "realtime VM",
        {
          version: "v1.9.0",
          spec: base({
            cpu: { dedicatedCpuPlacement: true, cores: 2, realtime: {}, numa: { guestMappingPassthrough: {} } },
            memory: { guest: "4Gi" },
          }),
        },
        /argument 'spec\.template\.spec\.domain\.cpu\.realtime'/,
      ],
      ["arm64", { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }, {}), architecture: "x" }, /never/],
      [
        "instance type",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }, { instancetype: { name: "u1.medium" } }) },
        /argument 'spec\.instancetype'/,
      ],
      [
        "template maxSockets below sockets",
        { version: "v1.9.0", spec: base({ cpu: { sockets: 4, maxSockets: 2 }, memory: { guest: "4Gi" } }) },
        /argument 'spec\.template\.spec\.domain\.cpu\.maxSockets': 2 is below the VM's 4 sockets/,
      ],
      [
        "template maxGuest not aligned",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi", maxGuest: "5001Mi" } }) },
        /argument 'spec\.template\.spec\.domain\.memory\.maxGuest'.*MaxGuest must be 2Mi aligned/,
      ],
      [
        "no CPU headroom from the cluster",
        {
          version: "v1.9.0",
          spec: base({ cpu: { sockets: 4 }, memory: { guest: "4Gi" } }),
          cluster: { maxCpuSockets: 2 },
        },
        /argument 'maxSockets'.*no CPU headroom/,
      ],
      [
        "cluster version mismatch",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }), cluster: { version: "v1.4.0" } },
        /argument 'version'.*does not match the cluster's KubeVirt v1\.4\.0/,
      ],
      [
        "bad guestReadiness option",
        { version: "v1.9.0", spec: base({ memory: { guest: "4Gi" } }), guestReadiness: { disk: true } },
        /argument 'guestReadiness\.disk'/,
      ],
      [
        "user data in a Secret",
        {
          version: "v1.9.0",
          spec: vmSpec(
            { memory: { guest: "4Gi" } },
            {},
            { volumes: [{ name: "ci", cloudInitNoCloud: { secretRef: { name: "s" } } }] },
          ),
          guestReadiness: true,
        },
        /argument 'spec\.template\.spec\.volumes\[0\]\.cloudInitNoCloud\.secretRef'/,
      ],
      [
        "unrecognised user data",
        {
          version: "v1.9.0",
          spec: vmSpec(
            { memory: { guest: "4Gi" } },
            {},
            { volumes: [{ name: "ci", cloudInitNoCloud: { userData: "hello" } }] },
          ),
          guestReadiness: true,
        },
        /argument 'spec\.template\.spec\.volumes\[0\]\.cloudInitNoCloud\.userData'.*unrecognised/,
      ],
    ];
    bad.splice(
      bad.findIndex(([what]) => what === "arm64"),
      1,
      [
        "arm64",
        { version: "v1.9.0", spec: vmSpec({ memory: { guest: "4Gi" } }, {}, { architecture: "arm64" }) },
        /argument 'spec\.template\.spec\.architecture'.*arm64/,
      ],
    );
    for (const [what, args, message] of bad) {
      it(`${what}: fails at construction`, () => {
        reset(undefined);
        assert.throws(
          () => new HotplugVirtualMachine("bad", args as never),
          (e: Error) => {
            assert.match(e.message, /^livevm:index:HotplugVirtualMachine "bad": argument '/);
            assert.match(e.message, message);
            return true;
          },
        );
        assert.equal(byType("livevm:index:HotplugVirtualMachine").length, 0, "nothing registered");
      });
    }

    it("a cluster maxGuest that arrives later and is below the guest memory fails when it resolves", async () => {
      reset(undefined);
      const vm = new HotplugVirtualMachine("late", {
        version: "v1.9.0",
        spec: vmSpec({ cpu: { sockets: 1 }, memory: { guest: "8Gi" } }),
        cluster: pulumi.output({ version: "v1.9.0", maxGuest: "4Gi" }),
      });
      await assert.rejects(
        valueOf(vm.maxGuest),
        /argument 'maxGuest'.*from the cluster's liveUpdateConfiguration\.maxGuest/,
      );
    });
  });
});
