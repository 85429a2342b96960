/** Bounds that keep hostile or accidental huge input from hanging livevm or exhausting its memory. */
export interface InputLimits {
  /** largest single input (file, blob or standard input), in bytes */
  readonly maxFileBytes: number;
  /** all inputs of one run together, in bytes */
  readonly maxTotalBytes: number;
  /** deepest nesting of objects and arrays in one document */
  readonly maxDepth: number;
  /** YAML alias expansions per document (billion-laughs protection, passed to the yaml package) */
  readonly maxAliasCount: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxDepth: 100,
  maxAliasCount: 100,
};
