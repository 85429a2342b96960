/**
 * Input that cannot be planned: a YAML syntax error, a schema violation, a duplicate VM, an oversized
 * file. The message always names the file (and line, VM and field where known). Exit code 1.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
