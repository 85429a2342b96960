/**
 * The guest-side program that onlines hot-plugged CPUs and memory. udev runs it for every CPU or
 * memory `add` event (see udevRule.ts), with the event's ACTION, SUBSYSTEM and DEVPATH in the
 * environment; without DEVPATH it sweeps every offline CPU and memory block once (at boot, for
 * resources that arrived before udev had the rule). POSIX sh only, so it also runs under busybox.
 *
 * Memory is onlined as `online_movable` (ZONE_MOVABLE), so it can be unplugged again: with plain
 * `online` (ZONE_NORMAL) a DIMM unplug is refused (ACPI _OST 0x82) and a virtio-mem shrink stalls.
 * If the kernel refuses `online_movable` for a block, it falls back to `online`, so the memory is
 * at least usable, and says so on stderr.
 */

export const ONLINING_SCRIPT_PATH = "/usr/local/sbin/livevm-online-hotplugged";

/** Which hot-plugged resources the guest configuration onlines (at least one). */
export interface OnliningParts {
  readonly cpu: boolean;
  readonly memory: boolean;
}

const CPU = `online_cpu() {
  [ -f "$1/online" ] || return 0
  [ "$(cat "$1/online")" = 0 ] || return 0
  echo 1 > "$1/online" || echo "livevm: could not online $1" >&2
}`;

const MEMORY = `online_memory() {
  [ -f "$1/state" ] || return 0
  [ "$(cat "$1/state")" = offline ] || return 0
  echo online_movable > "$1/state" 2>/dev/null && return 0
  echo "livevm: $1 refused online_movable; onlining it as online (it cannot be unplugged again)" >&2
  echo online > "$1/state" || echo "livevm: could not online $1" >&2
}`;

export function onliningScript(parts: OnliningParts): string {
  if (!parts.cpu && !parts.memory) throw new Error("onliningScript: nothing to online (cpu and memory both false)");
  const what = [parts.cpu ? "CPUs" : "", parts.memory ? "memory (as online_movable)" : ""]
    .filter(Boolean)
    .join(" and ");
  return [
    "#!/bin/sh",
    `# Written by livevm: onlines hot-plugged ${what}.`,
    "# udev runs it per add event (ACTION, SUBSYSTEM, DEVPATH set); without DEVPATH it sweeps everything.",
    ...(parts.cpu ? [CPU] : []),
    ...(parts.memory ? [MEMORY] : []),
    'if [ -n "${DEVPATH:-}" ]; then',
    '  [ "${ACTION:-add}" = add ] || exit 0',
    '  case "${SUBSYSTEM:-}" in',
    ...(parts.cpu ? ['    cpu) online_cpu "/sys$DEVPATH" ;;'] : []),
    ...(parts.memory ? ['    memory) online_memory "/sys$DEVPATH" ;;'] : []),
    "  esac",
    "  exit 0",
    "fi",
    ...(parts.cpu ? ['for c in /sys/devices/system/cpu/cpu[0-9]*; do online_cpu "$c"; done'] : []),
    ...(parts.memory ? ['for m in /sys/devices/system/memory/memory[0-9]*; do online_memory "$m"; done'] : []),
    "exit 0",
    "",
  ].join("\n");
}
