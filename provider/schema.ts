import { CONFIG_SCHEMA } from "./config";
import type { AnyResourceHandler } from "./resources/resource";

/**
 * The Pulumi package schema served by GetSchema (and checked in as provider/schema.json): package
 * metadata, the provider configuration, and each registered resource type's entry.
 */
export function buildSchema(handlers: readonly AnyResourceHandler[], version: string): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const types: Record<string, unknown> = {
    "livevm:index:Timeouts": {
      type: "object",
      description: "Seconds to wait for operations on livevm resources.",
      properties: {
        create: { type: "number", description: "Seconds to wait for a created VM to run (default 600)." },
        update: { type: "number", description: "Seconds to wait for a live update or restart (default 900)." },
        delete: { type: "number", description: "Seconds to wait for a VM to be gone (default 600)." },
      },
    },
  };
  for (const h of [...handlers].sort((a, b) => a.token.localeCompare(b.token))) {
    resources[h.token] = h.schema;
    for (const [name, t] of Object.entries(h.types ?? {})) types[name] = t;
  }
  return {
    name: "livevm",
    displayName: "livevm",
    version,
    description:
      "Change running KubeVirt and Cloud Hypervisor VMs in place (CPU and memory hotplug) instead of replacing them.",
    keywords: ["pulumi", "kubevirt", "kubernetes", "cloud-hypervisor", "category/infrastructure", "kind/native"],
    license: "Apache-2.0",
    config: { variables: CONFIG_SCHEMA },
    provider: {
      description: "The livevm provider: where the cluster is, and how long to wait.",
      inputProperties: CONFIG_SCHEMA,
    },
    types,
    resources,
    language: {
      nodejs: { packageName: "pulumi-livevm", dependencies: { "@pulumi/pulumi": "^3.0.0" } },
    },
  };
}
