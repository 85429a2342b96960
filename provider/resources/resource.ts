import type { ProviderConfig } from "../config";

/**
 * The contract every resource type of the livevm provider implements. The gRPC server
 * (provider/server.ts) decodes the engine's requests, finds the handler by type token and calls it;
 * handlers never see protobuf, secrets wrappers or gRPC.
 *
 * Property values handed to a handler are plain JSON-like data:
 * - secrets arrive unwrapped; the server remembers which paths were secret in the inputs and marks the
 *   same paths (and anything the handler returns in `secretOutputs`) secret again in outputs and state;
 * - unknown values (preview only) arrive as the `UNKNOWN` sentinel (provider/properties.ts); handlers
 *   may return `UNKNOWN` in outputs during preview for values only the cluster can tell.
 *
 * Errors: throw an Error with a message a user can act on (KubeVirt's own message verbatim where
 * there is one). When the cluster was changed before the failure (object created, patch applied) throw
 * `PartialFailure` so the engine records what exists and nothing is done twice.
 */

export type Severity = "debug" | "info" | "warning" | "error";

/** Plain JSON-like property bag, as handlers see inputs, outputs and state. */
export type PropertyMap = Record<string, unknown>;

export interface ResourceContext {
  /** the resource's URN; every log goes to the engine attached to it */
  readonly urn: string;
  /** the type token, e.g. livevm:kubevirt:VirtualMachine */
  readonly type: string;
  /** the resource's logical name (the last URN segment) */
  readonly name: string;
  /** true for Create/Update during `pulumi preview`: compute outputs, change nothing */
  readonly preview: boolean;
  /** the provider configuration after Configure (defaults and fallbacks applied) */
  readonly config: ProviderConfig;
  /** aborted when the engine calls Cancel (or the operation's timeout passes) */
  readonly signal: AbortSignal;
  /**
   * the operation's timeout in seconds from the resource's `customTimeouts` (0 or absent: none given,
   * use the provider configuration's timeouts)
   */
  readonly timeoutSeconds?: number;
  /** a diagnostic attached to the resource (shown in preview/up output); never put credentials in it */
  log(severity: Severity, message: string): void;
  /** a transient progress line ("waiting for CPU hotplug: 4/5 sockets") shown while the step runs */
  status(message: string): void;
}

export interface CheckFailure {
  /** dotted property path into the inputs, e.g. spec.template.spec.domain.cpu.sockets */
  readonly property: string;
  readonly reason: string;
}

export interface CheckResult<Inputs> {
  /** the validated inputs with defaults applied (these are what Diff/Create/Update receive) */
  readonly inputs: Inputs;
  readonly failures: readonly CheckFailure[];
}

/** How one property differs, in Pulumi's detailed-diff vocabulary. */
export type PropertyDiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

export interface PropertyDiff {
  readonly kind: PropertyDiffKind;
  /** true when the difference is between old and new inputs (false: between state and inputs, i.e. drift) */
  readonly inputDiff: boolean;
}

export interface DiffResult {
  /** undefined: unknown (the engine then diffs itself) */
  readonly changes: boolean | undefined;
  /** top-level or dotted property paths whose change forces replacement */
  readonly replaces: readonly string[];
  /**
   * per property path (Pulumi's property-path syntax: `spec.template.spec.domain.cpu.sockets`,
   * `spec.template.spec.volumes[0]`)
   */
  readonly detailedDiff: Readonly<Record<string, PropertyDiff>>;
  readonly deleteBeforeReplace?: boolean;
  /** outputs that will not change (lets the engine keep them known in preview) */
  readonly stables?: readonly string[];
}

export interface CreateResult<Outputs> {
  readonly id: string;
  readonly outputs: Outputs;
}

export interface ReadResult<Inputs, Outputs> {
  readonly id: string;
  readonly outputs: Outputs;
  /** the inputs that would produce `outputs` (for import, and to keep refresh free of perpetual diffs) */
  readonly inputs: Inputs;
}

export interface UpdateResult<Outputs> {
  readonly outputs: Outputs;
}

export interface DiffRequestExtras<Inputs> {
  /** the inputs recorded with the old state (absent for very old state) */
  readonly oldInputs?: Inputs;
  /** property paths the program asked to ignore */
  readonly ignoreChanges: readonly string[];
}

/** A Pulumi package-schema resource entry (properties, inputProperties, requiredInputs, description). */
export interface ResourceSchema {
  readonly description: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly inputProperties: Readonly<Record<string, unknown>>;
  readonly requiredInputs?: readonly string[];
}

export interface ResourceHandler<Inputs extends PropertyMap = PropertyMap, Outputs extends PropertyMap = PropertyMap> {
  /** the type token, e.g. "livevm:kubevirt:VirtualMachine" */
  readonly token: string;
  /** this resource's entry in the package schema (GetSchema) */
  readonly schema: ResourceSchema;
  /** extra schema types the resource refers to ("livevm:kubevirt:Plan" ...) */
  readonly types?: Readonly<Record<string, unknown>>;

  /** validate and default the new inputs; `olds` are the previous inputs (undefined on create) */
  check(olds: Inputs | undefined, news: PropertyMap, ctx: ResourceContext): Promise<CheckResult<Inputs>>;
  /** `olds` is the recorded state (outputs); `news` the checked inputs */
  diff(
    id: string,
    olds: Outputs,
    news: Inputs,
    ctx: ResourceContext,
    extras: DiffRequestExtras<Inputs>,
  ): Promise<DiffResult>;
  create(inputs: Inputs, ctx: ResourceContext): Promise<CreateResult<Outputs>>;
  /** refresh (state given) or import (state undefined); undefined when the resource no longer exists */
  read(
    id: string,
    state: Outputs | undefined,
    inputs: Inputs | undefined,
    ctx: ResourceContext,
  ): Promise<ReadResult<Inputs, Outputs> | undefined>;
  update(
    id: string,
    olds: Outputs,
    news: Inputs,
    ctx: ResourceContext,
    oldInputs?: Inputs,
  ): Promise<UpdateResult<Outputs>>;
  delete(id: string, state: Outputs, ctx: ResourceContext): Promise<void>;
}

/**
 * The operation failed after changing the cluster: the engine records `id`/`outputs` (and `inputs`)
 * as the resource's state, so the next `pulumi up` resumes from what really exists.
 */
export class PartialFailure extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly outputs: PropertyMap,
    readonly inputs?: PropertyMap,
  ) {
    super(message);
    this.name = "PartialFailure";
  }
}

/** Thrown by handlers for bad input found outside Check (e.g. in Diff): the server reports it as InvalidArgument. */
export class InputError extends Error {
  constructor(
    readonly property: string,
    readonly reason: string,
  ) {
    super(`${property}: ${reason}`);
    this.name = "InputError";
  }
}

/** A handler with its generic types erased, as the server's registry holds it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyResourceHandler = ResourceHandler<any, any>;
