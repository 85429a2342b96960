import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { VmState } from "../../../core/cloudhypervisor/plan";
import { dropNulls } from "../../../core/cloudhypervisor/configValue";
import { parseVmConfig, type VmConfig } from "../../../core/cloudhypervisor/schema/vmConfig";
import { SchemaError } from "../../../core/kubevirt/schema/parse";

/** Bad input: the message names the file and, where there is one, the path or line. */
export class CloudHypervisorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CloudHypervisorInputError";
  }
}

export interface ConfigSide {
  readonly config: VmConfig;
  /** the state when the file was vm.info output */
  readonly state?: VmState;
}

/**
 * Reads one side: a VmConfig, or vm.info output ({config, state, ...}) whose config is used. JSON or YAML;
 * `-` is standard input. Integers beyond 2^53 are read exactly (as YAML/JSON integer text).
 */
export async function readConfigSide(
  source: string,
  side: "before" | "after",
  readStdin: () => Promise<string>,
): Promise<ConfigSide> {
  const name = source === "-" ? "<stdin>" : source;
  let text: string;
  try {
    text = source === "-" ? await readStdin() : await readFile(source, "utf8");
  } catch (error) {
    throw new CloudHypervisorInputError(
      `--${side} ${name}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let document: unknown;
  try {
    document = parseYaml(text, { intAsBigInt: true, uniqueKeys: true });
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos
        ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
        : "";
    throw new CloudHypervisorInputError(
      `--${side} ${name}${where}: not valid JSON or YAML: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  document = smallIntegersAsNumbers(document);
  if (document === null || typeof document !== "object" || Array.isArray(document)) {
    throw new CloudHypervisorInputError(
      `--${side} ${name}: expected a VmConfig object (or vm.info output), got ${Array.isArray(document) ? "a list" : typeof document}`,
    );
  }
  const record = document as Record<string, unknown>;
  const isInfo = "config" in record && "state" in record && !("payload" in record);
  const raw = isInfo ? dropNulls(record.config) : dropNulls(record);
  try {
    // the before side may be Cloud Hypervisor's own config, whose devices can have generated ids only after boot
    const config = parseVmConfig(raw, `--${side} ${name}${isInfo ? " (vm.info config)" : ""}`, {
      requireDeviceIds: side === "after",
    });
    return { config, ...(isInfo && typeof record.state === "string" ? { state: record.state as VmState } : {}) };
  } catch (error) {
    if (error instanceof SchemaError) throw new CloudHypervisorInputError(error.message);
    throw error;
  }
}

/** YAML read with intAsBigInt: counts (vCPUs, cids) go back to numbers; only sizes need bigints. */
function smallIntegersAsNumbers(value: unknown): unknown {
  if (typeof value === "bigint")
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(smallIntegersAsNumbers);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, smallIntegersAsNumbers(v)]));
  }
  return value;
}
