/**
 * The udev rule that hands CPU and memory `add` events to the onlining script. Distros differ
 * (RHEL ships a CPU rule in 40-redhat.rules, Debian and upstream systemd ship none), so livevm
 * installs its own, for the parts asked for.
 */

import { type OnliningParts, ONLINING_SCRIPT_PATH } from "./onliningScript";

export const UDEV_RULE_PATH = "/etc/udev/rules.d/80-livevm-hotplug.rules";

export function hotplugUdevRule(parts: OnliningParts): string {
  const what = [parts.cpu ? "CPUs" : "", parts.memory ? "memory (as online_movable)" : ""]
    .filter(Boolean)
    .join(" and ");
  const lines = [`# Written by livevm: online hot-plugged ${what} as soon as they appear.`];
  if (parts.cpu) lines.push(`SUBSYSTEM=="cpu", ACTION=="add", RUN+="/bin/sh ${ONLINING_SCRIPT_PATH}"`);
  if (parts.memory) lines.push(`SUBSYSTEM=="memory", ACTION=="add", RUN+="/bin/sh ${ONLINING_SCRIPT_PATH}"`);
  return lines.join("\n") + "\n";
}
