import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The provider's version: the package's, as the engine and the SDK's `pulumi.version` expect. */
export const PROVIDER_VERSION: string =
  (JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { pulumi?: { version?: string } }).pulumi
    ?.version ?? "0.0.0";
