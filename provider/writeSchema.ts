import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { RESOURCE_HANDLERS } from "./resources/index";
import { buildSchema } from "./schema";
import { PROVIDER_VERSION } from "./version";

/**
 * Writes provider/schema.json, the package schema GetSchema serves (a test checks they are equal).
 * Run after adding or changing a resource type: ./scripts/run node --import tsx provider/writeSchema.ts
 */
export const SCHEMA_PATH = join(__dirname, "schema.json");

export function schemaText(): string {
  return `${JSON.stringify(buildSchema(RESOURCE_HANDLERS, PROVIDER_VERSION), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, schemaText());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
