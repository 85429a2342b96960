/**
 * The udev rule that hands CPU and memory `add` events to the onlining script. Distros differ
 * (RHEL ships a CPU rule in 40-redhat.rules, Debian and upstream systemd ship none), so livevm
 * installs its own. Memory is only listed when the VM can hot-plug memory.
 */

import { ONLINING_SCRIPT_PATH } from "./onliningScript";

export const UDEV_RULE_PATH = "/etc/udev/rules.d/80-livevm-hotplug.rules";

export function hotplugUdevRule(options: { readonly memory: boolean }): string {
  const lines = [
    options.memory
      ? "# Written by livevm: online hot-plugged CPUs and memory (as online_movable) as soon as they appear."
      : "# Written by livevm: online hot-plugged CPUs as soon as they appear.",
    `SUBSYSTEM=="cpu", ACTION=="add", RUN+="/bin/sh ${ONLINING_SCRIPT_PATH}"`,
  ];
  if (options.memory) lines.push(`SUBSYSTEM=="memory", ACTION=="add", RUN+="/bin/sh ${ONLINING_SCRIPT_PATH}"`);
  return lines.join("\n") + "\n";
}
