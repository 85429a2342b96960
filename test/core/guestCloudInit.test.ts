import * as assert from "node:assert/strict";
import { parse } from "yaml";
import {
  HOTPLUG_UDEV_RULES_PATH,
  hotplugOnliningCloudConfig,
  VIRTIO_MEM_MODULES_LOAD_PATH,
} from "../../core/guest/hotplugOnliningCloudConfig";
import {
  CloudInitMergeError,
  mergeCloudInitUserData,
  MULTIPART_BOUNDARY,
} from "../../core/guest/mergeCloudInitUserData";

const WHERE = "spec.template.spec.volumes[0].cloudInitNoCloud.userData";

describe("core/guest: cloud-init that onlines hot-plugged CPUs and memory", () => {
  it("writes udev rules for CPUs and memory (online_movable), loads virtio_mem, and onlines what is present", () => {
    const config = hotplugOnliningCloudConfig({ cpu: true, memory: true });
    const files = config["write_files"] as { path: string; content: string }[];
    const rules = files.find((f) => f.path === HOTPLUG_UDEV_RULES_PATH)!.content;
    assert.match(rules, /SUBSYSTEM=="cpu", ACTION=="add".*ATTR\{online\}="1"/);
    assert.match(rules, /SUBSYSTEM=="memory", ACTION=="add".*ATTR\{state\}="online_movable"/);
    assert.equal(files.find((f) => f.path === VIRTIO_MEM_MODULES_LOAD_PATH)!.content, "virtio_mem\n");
    const runcmd = config["runcmd"] as string[];
    assert.ok(runcmd.some((c) => c.startsWith("modprobe virtio_mem")));
    assert.ok(runcmd.includes("udevadm control --reload-rules"));
    assert.ok(runcmd.some((c) => c.includes("/sys/devices/system/cpu/cpu[0-9]*/online")));
    assert.ok(runcmd.some((c) => c.includes("echo online_movable")));
  });

  it("CPU only: no memory rule and no virtio_mem", () => {
    const config = hotplugOnliningCloudConfig({ cpu: true, memory: false });
    const text = JSON.stringify(config);
    assert.doesNotMatch(text, /memory|virtio_mem/);
    assert.throws(() => hotplugOnliningCloudConfig({ cpu: false, memory: false }), /nothing to configure/);
  });

  const ours = hotplugOnliningCloudConfig({ cpu: true, memory: true });

  it("no user data: our #cloud-config alone", () => {
    const merged = mergeCloudInitUserData(undefined, ours, WHERE);
    assert.ok(merged.startsWith("#cloud-config\n"));
    assert.deepEqual(parse(merged), ours);
  });

  it("a #cloud-config: one document, the user's keys kept, lists appended", () => {
    const user = [
      "#cloud-config",
      "password: fedora",
      "chpasswd: { expire: False }",
      "runcmd:",
      "  - echo hello",
      "write_files:",
      "  - path: /etc/motd",
      "    content: hi",
    ].join("\n");
    const merged = parse(mergeCloudInitUserData(user, ours, WHERE)) as Record<string, unknown>;
    assert.equal(merged["password"], "fedora");
    assert.deepEqual(merged["chpasswd"], { expire: false });
    const runcmd = merged["runcmd"] as string[];
    assert.equal(runcmd[0], "echo hello");
    assert.equal(runcmd.length, 1 + (ours["runcmd"] as string[]).length);
    const paths = (merged["write_files"] as { path: string }[]).map((f) => f.path);
    assert.deepEqual(paths, ["/etc/motd", HOTPLUG_UDEV_RULES_PATH, VIRTIO_MEM_MODULES_LOAD_PATH]);
  });

  it("a shell script: MIME multipart with the script first, unchanged, and ours second", () => {
    const script = "#!/bin/sh\necho booted > /root/booted\n";
    const merged = mergeCloudInitUserData(script, ours, WHERE);
    assert.match(merged, new RegExp(`^Content-Type: multipart/mixed; boundary="${MULTIPART_BOUNDARY}"`));
    const parts = merged.split(`--${MULTIPART_BOUNDARY}`);
    assert.equal(parts.length, 4, "preamble, two parts, closing");
    assert.match(parts[1]!, /Content-Type: text\/x-shellscript/);
    assert.ok(parts[1]!.includes("#!/bin/sh\necho booted > /root/booted"));
    assert.match(parts[2]!, /Content-Type: text\/cloud-config/);
    assert.match(parts[2]!, /#cloud-config\n/);
    assert.equal(parts[3]!.trim(), "--");
  });

  it("errors name where the user data came from", () => {
    assert.throws(
      () => mergeCloudInitUserData("#cloud-config\nruncmd: echo\n", ours, WHERE),
      (e: Error) =>
        e instanceof CloudInitMergeError && e.message.startsWith(WHERE) && /runcmd must be a list/.test(e.message),
    );
    assert.throws(
      () =>
        mergeCloudInitUserData(
          `#cloud-config\nwrite_files:\n  - path: ${HOTPLUG_UDEV_RULES_PATH}\n    content: x\n`,
          ours,
          WHERE,
        ),
      /already writes \/etc\/udev\/rules.d\/80-livevm-hotplug.rules/,
    );
    assert.throws(() => mergeCloudInitUserData("#cloud-config\n- a\n", ours, WHERE), /must be a YAML mapping/);
    assert.throws(() => mergeCloudInitUserData("hello world", ours, WHERE), /unrecognised user data/);
    assert.throws(() => mergeCloudInitUserData("#cloud-config\nkey: [unclosed\n", ours, WHERE), /not valid YAML/);
  });
});
