/**
 * A component argument that cannot work, found while the program runs (before anything reaches the
 * cluster). The message names the component, the resource and the argument, and says what was expected.
 */
export class ArgumentError extends Error {
  constructor(
    /** the component's type, e.g. "livevm:index:KubeVirtLiveUpdates" */
    readonly component: string,
    /** the Pulumi name of the resource */
    readonly resourceName: string,
    /** the argument, as a dotted path into the args, e.g. "maxHotplugRatio" or "spec.template.spec.domain.cpu.threads" */
    readonly argument: string,
    readonly why: string,
  ) {
    super(`${component} ${JSON.stringify(resourceName)}: argument '${argument}': ${why}`);
    this.name = "ArgumentError";
  }
}

/** Binds the component and resource name, so checks only say which argument and why. */
export function argumentErrors(component: string, resourceName: string) {
  return (argument: string, why: string) => new ArgumentError(component, resourceName, argument, why);
}

export type ArgumentErrorFactory = ReturnType<typeof argumentErrors>;
