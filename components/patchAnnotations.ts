/**
 * Annotations of `@pulumi/kubernetes` Patch resources: a fixed field manager (instead of a random one
 * per resource, so ownership survives replacing the Pulumi resource and reads well in managedFields),
 * and whether conflicts with other managers are forced.
 */
export function patchAnnotations(fieldManager: string, force: boolean): Record<string, string> {
  return {
    "pulumi.com/patchFieldManager": fieldManager,
    ...(force ? { "pulumi.com/patchForce": "true" } : {}),
  };
}
