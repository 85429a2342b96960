import type { z } from "zod";

/** One schema problem: the dotted path into the object and what was expected there. */
export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

export class SchemaError extends Error {
  constructor(
    readonly what: string,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(`${what}: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
    this.name = "SchemaError";
  }
}

/** Dotted JSON path, with [n] for array indices: spec.template.spec.volumes[0].name */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += (out ? "." : "") + String(key);
  }
  return out;
}

export function schemaIssues(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): SchemaIssue[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/**
 * Validates `input` against `schema`; returns the typed value (unknown fields kept) or throws a
 * SchemaError whose issues name the exact paths. `what` names the input, e.g. "VirtualMachine default/vm1".
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new SchemaError(what, schemaIssues(result.error));
  return result.data;
}
