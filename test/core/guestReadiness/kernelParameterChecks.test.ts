import assert from "node:assert/strict";
import { checkKernelCommandLine, checkPossibleCpus } from "../../../core/guestReadiness/kernelParameterChecks";
import { kernelParameter, parseKernelCommandLine } from "../../../core/guestReadiness/kernelCommandLine";
import { parseCpuList } from "../../../core/guestReadiness/cpuList";
import { isBlocking, worstSeverity } from "../../../core/guestReadiness/finding";
import { type GuestHotplugLimits } from "../../../core/guestReadiness/hotplugLimits";

const limits: GuestHotplugLimits = { maxVcpus: 8, maxMemoryBytes: 16n << 30n, memoryHotplug: "virtio-mem" };
const codes = (cmdline: string, l = limits) => checkKernelCommandLine(cmdline, l).map((f) => `${f.severity}:${f.code}`);

describe("core/guestReadiness/kernelParameterChecks", () => {
  it("parses /proc/cmdline like the kernel: quotes, flags, dashes, and stops at --", () => {
    const params = parseKernelCommandLine(
      'BOOT_IMAGE=/vmlinuz root=UUID=ab ro quiet "dyndbg=file x +p" nr-cpus=4 nosmp -- nr_cpus=1\n',
    );
    assert.deepEqual(kernelParameter(params, "root"), { key: "root", value: "UUID=ab" });
    assert.deepEqual(kernelParameter(params, "dyndbg"), { key: "dyndbg", value: "file x +p" });
    assert.deepEqual(kernelParameter(params, "nr_cpus"), { key: "nr_cpus", value: "4" });
    assert.deepEqual(kernelParameter(params, "nosmp"), { key: "nosmp", value: undefined });
  });

  it("reports nr_cpus below the VM's maximum as blocking, with the NR_CPUS explanation", () => {
    const [f] = checkKernelCommandLine("console=ttyS0 nr_cpus=2", limits);
    assert.equal(f!.severity, "blocking");
    assert.equal(
      f!.message,
      "nr_cpus=2 is below the VM's maximum of 8 vCPUs: hot-plugged CPUs beyond 2 cannot be used (NR_CPUS/possible_cpus limit reached)",
    );
    assert.match(f!.fix!, /raise it to at least 8/);
  });

  it("the last occurrence wins, as in the kernel", () => {
    assert.ok(codes("nr_cpus=2 nr_cpus=8").includes("ok:cpu-parameters-ok"));
    assert.ok(codes("nr_cpus=8 nr_cpus=2").includes("blocking:nr_cpus-below-max"));
  });

  it("possible_cpus, maxcpus=0, nosmp and acpi=off block; maxcpus>0 only informs", () => {
    assert.ok(codes("possible_cpus=4").includes("blocking:possible_cpus-below-max"));
    assert.ok(codes("maxcpus=0").includes("blocking:maxcpus-zero"));
    assert.ok(codes("maxcpus=2").includes("info:maxcpus-below-max"));
    assert.ok(codes("maxcpus=2").includes("ok:cpu-parameters-ok"));
    assert.ok(codes("nosmp").includes("blocking:nosmp"));
    assert.ok(codes("acpi=off").includes("blocking:acpi-off"));
    assert.ok(codes("nr_cpus=8 possible_cpus=16").includes("ok:cpu-parameters-ok"));
    assert.ok(codes("nr_cpus=lots").includes("warning:nr_cpus-unparseable"));
  });

  it("memhp_default_state: online_movable ok, online warns about unplug, unset informs", () => {
    assert.ok(codes("memhp_default_state=online_movable").includes("ok:memhp-online-movable"));
    assert.ok(codes("memhp_default_state=online").includes("warning:memhp-online-kernel"));
    assert.ok(codes("memhp_default_state=offline").includes("warning:memhp-offline"));
    assert.ok(codes("memhp_default_state=sideways").includes("warning:memhp-unknown"));
    assert.ok(codes("quiet").includes("info:memhp-default"));
    assert.ok(!codes("quiet", { maxVcpus: 8, memoryHotplug: "none" }).some((c) => c.includes("memhp")));
  });

  it("a clean command line has nothing blocking", () => {
    const findings = checkKernelCommandLine("root=/dev/vda1 ro memhp_default_state=online_movable", limits);
    assert.equal(isBlocking(findings), false);
    assert.equal(worstSeverity(findings), "ok");
  });

  it("checks the guest's possible CPU list", () => {
    assert.deepEqual(parseCpuList("0-3,5,7-8\n"), [0, 1, 2, 3, 5, 7, 8]);
    assert.deepEqual(parseCpuList(""), []);
    assert.throws(() => parseCpuList("0-a"), /invalid CPU list "0-a"/);
    assert.throws(() => parseCpuList("3-1"), /runs backwards/);
    assert.equal(checkPossibleCpus("0-1", limits).severity, "blocking");
    assert.match(
      checkPossibleCpus("0-1", limits).message,
      /only ever use 2 CPUs \(possible 0-1\), below the VM's maximum of 8/,
    );
    assert.equal(checkPossibleCpus("0-7", limits).severity, "ok");
  });
});
