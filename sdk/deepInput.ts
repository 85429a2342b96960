import type * as pulumi from "@pulumi/pulumi";

/**
 * A value whose every level may be a `pulumi.Input`: a whole object, or any field inside it, can come
 * from another resource's output. Used for the KubeVirt and Cloud Hypervisor objects the provider's
 * resources take as they are.
 */
export type DeepInput<T> = T extends string | number | boolean | bigint | undefined | null
  ? pulumi.Input<T>
  : T extends ReadonlyArray<infer E>
    ? pulumi.Input<ReadonlyArray<DeepInput<E>>>
    : T extends object
      ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
      : pulumi.Input<T>;
