/** Dispatches `livevm <command>`; each command lives in its own folder under cli/. */

export const EXIT = { ok: 0, error: 1, usage: 2, restart: 3, rejected: 4 } as const;

export interface Command {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  plan: async () => (await import("./plan/command.js")).planCommand,
  doctor: async () => (await import("./doctor/command.js")).doctorCommand,
  sandbox: async () => (await import("./sandbox/command.js")).command,
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name]) => `  livevm ${name}`);
  return [
    "usage: livevm <command> [options]",
    "",
    "commands:",
    ...lines,
    "",
    "livevm <command> --help for details",
  ].join("\n");
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage() + "\n");
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`livevm: unknown command ${JSON.stringify(name)}\n${usage()}\n`);
    return EXIT.usage;
  }
  return (await load()).run(rest);
}
