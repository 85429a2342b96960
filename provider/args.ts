/**
 * The engine's gRPC address from the plugin's arguments: the engine starts a plugin with flags such as
 * --logtostderr, -v=N and --tracing X, followed by its own address.
 */
export function engineAddressFromArgs(args: readonly string[]): string | undefined {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--logtostderr" || /^-v=\d+$/.test(a) || a.startsWith("--logflow")) continue;
    if (a === "--tracing") {
      i++;
      continue;
    }
    if (a.startsWith("--tracing=")) continue;
    rest.push(a);
  }
  return rest[0];
}
