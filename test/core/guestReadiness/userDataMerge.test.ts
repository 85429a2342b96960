import assert from "node:assert/strict";
import { parse } from "yaml";
import { guestConfiguration, renderCloudConfig } from "../../../core/guestReadiness/guestCloudConfig";
import { ONLINING_SCRIPT_PATH } from "../../../core/guestReadiness/onliningScript";
import { mergeUserData, userDataKind } from "../../../core/guestReadiness/userDataMerge";

const generated = guestConfiguration({
  maxVcpus: 8,
  maxMemoryBytes: 8n << 30n,
  memoryHotplug: "virtio-mem",
}).cloudConfig;

describe("core/guestReadiness/userDataMerge", () => {
  it("classifies user data by its first line", () => {
    assert.deepEqual(
      [
        undefined,
        "  \n",
        "#cloud-config\nusers: []",
        "#!/bin/bash\necho hi",
        "#cloud-boothook\n",
        "#include\nhttp://x",
        "#cloud-config-archive\n- a",
        'Content-Type: multipart/mixed; boundary="b"\n\n--b--\n',
        "## template: jinja\n#cloud-config\n",
        "hello",
      ].map(userDataKind),
      [
        "empty",
        "empty",
        "cloud-config",
        "shell-script",
        "boothook",
        "include",
        "unsupported",
        "multipart",
        "jinja",
        "unsupported",
      ],
    );
  });

  it("without user data gives livevm's cloud-config alone", () => {
    assert.equal(mergeUserData(undefined, generated), renderCloudConfig(generated));
  });

  it("merges into a #cloud-config: keeps the user's keys and comments, appends write_files/runcmd, prepends bootcmd", () => {
    const user = [
      "#cloud-config",
      "# my comment",
      "hostname: db1",
      "write_files:",
      "  - path: /etc/motd",
      "    content: hello",
      "bootcmd:",
      "  - echo user-boot",
      "runcmd:",
      "  - [systemctl, restart, postgresql]",
      "",
    ].join("\n");
    const merged = mergeUserData(user, generated);
    assert.ok(merged.startsWith("#cloud-config\n"));
    assert.match(merged, /# my comment/);
    const data = parse(merged);
    assert.equal(data.hostname, "db1");
    assert.deepEqual(
      data.write_files.map((f: { path: string }) => f.path),
      ["/etc/motd", ...generated.write_files.map((f) => f.path)],
    );
    assert.deepEqual(data.bootcmd, [...generated.bootcmd, "echo user-boot"]);
    assert.deepEqual(data.runcmd, [["systemctl", "restart", "postgresql"], ...generated.runcmd]);
  });

  it("is idempotent: merging twice adds nothing the second time", () => {
    const once = mergeUserData("#cloud-config\nhostname: a\n", generated);
    assert.equal(mergeUserData(once, generated), once);
  });

  it("an empty #cloud-config body gets livevm's lists", () => {
    assert.deepEqual(parse(mergeUserData("#cloud-config\n", generated)).runcmd, generated.runcmd);
  });

  it("refuses a write_files entry that clashes with livevm's, naming it", () => {
    const user = `#cloud-config\nwrite_files:\n  - path: /etc/motd\n  - path: ${ONLINING_SCRIPT_PATH}\n    content: other\n`;
    assert.throws(
      () => mergeUserData(user, generated, "vm.cloudInit"),
      /vm\.cloudInit: write_files\[1\] writes \/usr\/local\/sbin\/livevm-online-hotplugged/,
    );
  });

  it("refuses malformed cloud-config with the field or line", () => {
    assert.throws(
      () => mergeUserData("#cloud-config\nruncmd: echo hi\n", generated),
      /runcmd: expected a list, got "echo hi"/,
    );
    assert.throws(() => mergeUserData("#cloud-config\n- a\n- b\n", generated), /expected a mapping/);
    assert.throws(() => mergeUserData("#cloud-config\nfoo: [\n", generated), /invalid YAML at line \d/);
  });

  it("wraps a shell script with livevm's cloud-config in a multipart MIME document", () => {
    const script = "#!/bin/sh\necho started > /tmp/started\n";
    const mime = mergeUserData(script, generated);
    const boundary = /boundary="([^"]+)"/.exec(mime)![1]!;
    const parts = mime.split(`--${boundary}`);
    assert.equal(parts.length, 4); // header, 2 parts, closing "--"
    assert.match(parts[1]!, /Content-Type: text\/cloud-config/);
    assert.ok(parts[1]!.includes(renderCloudConfig(generated)));
    assert.match(parts[2]!, /Content-Type: text\/x-shellscript/);
    // the line break before a boundary belongs to the boundary (RFC 2046), so the payload is the script exactly
    assert.ok(parts[2]!.endsWith("\n\n" + script + "\n"));
    assert.equal(parts[3], "--\n");
  });

  it("picks a boundary that occurs in neither part and base64-encodes non-ASCII scripts", () => {
    const script = "#!/bin/sh\n# ==livevm-user-data== — ünïcode\n";
    const mime = mergeUserData(script, generated);
    assert.match(mime, /boundary="==livevm-user-data-1=="/);
    assert.match(mime, /Content-Transfer-Encoding: base64/);
    const b64 = mime.split("--==livevm-user-data-1==")[2]!.split("\n\n")[1]!.replace(/\n/g, "");
    assert.equal(Buffer.from(b64, "base64").toString("utf8"), script);
  });

  it("nests an existing MIME multipart document unchanged, and leaves one that already has livevm's part alone", () => {
    const user = [
      'Content-Type: multipart/mixed; boundary="inner"',
      "MIME-Version: 1.0",
      "",
      "--inner",
      "Content-Type: text/x-shellscript",
      "",
      "#!/bin/sh",
      "echo hi",
      "--inner--",
      "",
    ].join("\n");
    assert.equal(userDataKind(user), "multipart");
    const mime = mergeUserData(user, generated);
    const boundary = /boundary="([^"]+)"/.exec(mime)![1]!;
    assert.equal(boundary, "==livevm-user-data==");
    const parts = mime.split(`--${boundary}`);
    assert.ok(parts[1]!.includes(renderCloudConfig(generated)));
    assert.equal(parts[2], "\n" + user + "\n"); // the line break before a boundary belongs to the boundary
    assert.equal(mergeUserData(mime, generated), mime, "merging again changes nothing");
    const script = mergeUserData("#!/bin/sh\necho hi\n", generated);
    assert.equal(mergeUserData(script, generated), script);
  });

  it("wraps a Jinja template as a text/jinja2 part", () => {
    const mime = mergeUserData("## template: jinja\n#cloud-config\nhostname: {{ v1.local_hostname }}\n", generated);
    assert.match(mime, /Content-Type: text\/jinja2/);
    assert.match(mime, /hostname: \{\{ v1\.local_hostname \}\}/);
  });

  it("refuses archive, JSON and unknown user data with a clear reason", () => {
    assert.throws(
      () => mergeUserData("#cloud-config-archive\n- type: text/x-shellscript\n", generated),
      /unrecognised user data starting with "#cloud-config-archive", which livevm cannot merge/,
    );
    assert.throws(
      () => mergeUserData("MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n", generated),
      /cannot merge/,
    );
    assert.throws(
      () => mergeUserData("hostname: x\n", generated),
      /starting with "hostname: x".*expected "#cloud-config"/,
    );
  });
});
