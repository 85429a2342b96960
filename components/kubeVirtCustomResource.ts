import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { kubeVirt as kubeVirtSchema, parseWith, type KubeVirt } from "../core/kubevirt/schema";

/** Where the KubeVirt custom resource is, and its API version. */
export const KUBEVIRT_API_VERSION = "kubevirt.io/v1";
export const KUBEVIRT_KIND = "KubeVirt";
export const DEFAULT_KUBEVIRT_NAME = "kubevirt";
export const DEFAULT_KUBEVIRT_NAMESPACE = "kubevirt";

export interface KubeVirtLocation {
  readonly name: string;
  readonly namespace: string;
}

/**
 * Reads the cluster's KubeVirt CR (during preview too) with `@pulumi/kubernetes`' CustomResource
 * lookup. `CustomResource.get` only exposes apiVersion, kind and metadata, so the resource is declared
 * with `spec` and `status` as its output properties. The result is validated against core's schema, so a
 * CR that is not what livevm expects is reported with the exact path.
 */
export function readKubeVirt(
  resourceName: string,
  where: KubeVirtLocation,
  opts: pulumi.CustomResourceOptions,
): pulumi.Output<KubeVirt> {
  const current = new apiextensions.CustomResource(
    resourceName,
    { apiVersion: KUBEVIRT_API_VERSION, kind: KUBEVIRT_KIND, spec: undefined, status: undefined },
    { ...opts, id: `${where.namespace}/${where.name}` },
  );
  const fields = current as unknown as { spec: pulumi.Output<unknown>; status: pulumi.Output<unknown> };
  return pulumi
    .all([fields.spec, fields.status])
    .apply(([spec, status]) =>
      parseWith(
        kubeVirtSchema,
        { apiVersion: KUBEVIRT_API_VERSION, kind: KUBEVIRT_KIND, spec: spec ?? {}, status: status ?? undefined },
        `KubeVirt ${where.namespace}/${where.name}`,
      ),
    );
}
