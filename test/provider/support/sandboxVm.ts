import { strict as assert } from "node:assert";
import type { Sandbox } from "../../../sandbox/index";

/** A VirtualMachine as a Pulumi program would declare it (inputs of livevm:kubevirt:VirtualMachine). */
export function vmInputs(
  name: string,
  opts: { sockets?: number; cores?: number; guest?: string; annotations?: Record<string, string> } = {},
): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  return {
    metadata: { name, ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      runStrategy: "Always",
      template: {
        spec: {
          domain: {
            cpu: { sockets: opts.sockets ?? 2, cores: opts.cores ?? 1, threads: 1 },
            memory: { guest: opts.guest ?? "2Gi" },
            devices: {},
          },
        },
      },
    },
  };
}

/** Someone else (kubectl) writing to the cluster. */
export async function sandboxRequest(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": contentType },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
