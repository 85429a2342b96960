import { engineAddressFromArgs } from "./args";
import { RESOURCE_HANDLERS } from "./resources/index";
import { startProviderServer } from "./server";
import { PROVIDER_VERSION } from "./version";

/**
 * Entry point of `pulumi-resource-livevm`: serves the ResourceProvider on 127.0.0.1 and prints the port
 * as the first stdout line, which the engine reads. Nothing else is written to stdout.
 */
async function main(): Promise<void> {
  const engineAddress = engineAddressFromArgs(process.argv.slice(2));
  const server = await startProviderServer({
    handlers: RESOURCE_HANDLERS,
    version: PROVIDER_VERSION,
    ...(engineAddress ? { engineAddress } : {}),
  });
  process.stdout.write(`${server.port}\n`);
  const shutdown = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`pulumi-resource-livevm: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
