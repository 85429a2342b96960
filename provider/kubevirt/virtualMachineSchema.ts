import type { ResourceSchema } from "../resources/resource";

/** The package-schema entry of livevm:kubevirt:VirtualMachine (and the types it refers to). */

const objectMeta = {
  $ref: "#/types/livevm:kubevirt:ObjectMeta",
  description:
    "Standard Kubernetes object metadata. name defaults to the resource name plus a random suffix; namespace to the provider's.",
};

const inputs: Record<string, unknown> = {
  apiVersion: { type: "string", const: "kubevirt.io/v1", description: "Always kubevirt.io/v1." },
  kind: { type: "string", const: "VirtualMachine", description: "Always VirtualMachine." },
  metadata: objectMeta,
  spec: {
    type: "object",
    additionalProperties: { $ref: "pulumi.json#/Any" },
    description:
      "The KubeVirt VirtualMachine spec, exactly as in a manifest (kubevirt.io/v1 VirtualMachineSpec); everything passes through.",
  },
  onRestartRequired: {
    type: "string",
    description:
      'What to do when a change needs a VM restart: "restart" restarts the VM through the restart subresource and waits for it; "warn" (default, or the provider\'s onRestartRequired) leaves it RestartRequired and warns; "fail" fails the preview.',
  },
  waitForLiveUpdate: {
    type: "boolean",
    description:
      "Wait until KubeVirt really applied a live change (hotplug conditions cleared, currentCPUTopology/status.memory at the target). Default true.",
  },
};

export const VIRTUAL_MACHINE_SCHEMA: ResourceSchema = {
  description:
    "A KubeVirt VirtualMachine whose CPU-socket and guest-memory changes are applied live (hotplug through live migration) instead of restarting or replacing it. Preview tells, per change, whether KubeVirt applies it live, needs a restart, rejects it, or will never finish it.",
  inputProperties: inputs,
  requiredInputs: ["spec"],
  properties: {
    ...inputs,
    status: {
      type: "object",
      additionalProperties: { $ref: "pulumi.json#/Any" },
      description: "The VirtualMachine's status as KubeVirt reports it.",
    },
    restartRequired: { type: "boolean", description: "True when KubeVirt marks the VM RestartRequired." },
    restartRequiredMessage: { type: "string", description: "KubeVirt's RestartRequired message, if any." },
    currentCpuTopology: {
      type: "object",
      additionalProperties: { type: "integer" },
      description: "The running VMI's status.currentCPUTopology (sockets, cores, threads).",
    },
    memory: {
      type: "object",
      additionalProperties: { type: "string" },
      description: "The running VMI's status.memory (guestAtBoot, guestCurrent, guestRequested).",
    },
    vmiUid: { type: "string", description: "The running VMI's UID: unchanged by a live update, new after a restart." },
    lastPlan: { $ref: "#/types/livevm:kubevirt:Plan", description: "What the last create or update did, and why." },
  },
  required: ["apiVersion", "kind", "metadata", "spec", "status", "restartRequired"],
};

export const VIRTUAL_MACHINE_TYPES: Record<string, unknown> = {
  "livevm:kubevirt:ObjectMeta": {
    type: "object",
    description: "Kubernetes object metadata (the fields a user sets).",
    properties: {
      name: { type: "string" },
      namespace: { type: "string" },
      labels: { type: "object", additionalProperties: { type: "string" } },
      annotations: { type: "object", additionalProperties: { type: "string" } },
    },
  },
  "livevm:kubevirt:PlannedChange": {
    type: "object",
    properties: {
      path: { type: "string", description: "Dotted path in the VM, e.g. spec.template.spec.domain.cpu.sockets." },
      before: { $ref: "pulumi.json#/Any" },
      after: { $ref: "pulumi.json#/Any" },
      outcome: { type: "string", description: "none, staged, live, stuck, restart or rejected." },
      reason: { type: "string", description: "Why, quoting KubeVirt's own message where there is one." },
    },
  },
  "livevm:kubevirt:Plan": {
    type: "object",
    properties: {
      outcome: { type: "string", description: "The worst outcome of the changes." },
      version: { type: "string", description: "The KubeVirt version the plan was made for." },
      predicted: { type: "boolean", description: "True when the running VMI was derived, not read." },
      changes: { type: "array", items: { $ref: "#/types/livevm:kubevirt:PlannedChange" } },
      messages: { type: "array", items: { type: "string" } },
      action: {
        type: "string",
        description: 'What the provider did: "applied live", "restarted", "left RestartRequired", "staged", "created".',
      },
    },
  },
};
