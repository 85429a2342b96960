import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiFailure, HttpFailure, apiError, parseFailure } from "./apiFailure";
import { DEVICE_LISTS, readStruct, type Spec } from "./deserialize";
import { parseApiJson, stringifyApiJson } from "../../core/cloudhypervisor/apiJson";
import { statusFor, type CloudHypervisorRelease } from "./releases";
import type { Vmm } from "./vmm";

/**
 * Cloud Hypervisor's HTTP layer (vmm/src/api/http/mod.rs, http_endpoint.rs): exact-path routing under
 * /api/v1, GET/PUT per endpoint, body rules, error bodies as JSON arrays of strings, and the release's
 * status mapping.
 */

const ROOT = "/api/v1/";
const PAYLOAD_MAX = 4 << 20;

type Result = { status: 200; body: unknown } | { status: 204 } | { status: 200; empty: true };

interface Route {
  readonly method: "GET" | "PUT";
  /** "none": a body is a 400; "required": no body is a 400 */
  readonly body: "none" | "required";
  readonly spec?: Spec;
  handle(vmm: Vmm, body: unknown): Result;
}

const noContent: Result = { status: 204 };

function action(run: (vmm: Vmm) => void): Route {
  return {
    method: "PUT",
    body: "none",
    handle: (vmm) => {
      run(vmm);
      return noContent;
    },
  };
}

function withBody(spec: Spec, run: (vmm: Vmm, body: Record<string, unknown>) => Result | void): Route {
  return {
    method: "PUT",
    body: "required",
    spec,
    handle: (vmm, body) => run(vmm, body as Record<string, unknown>) ?? noContent,
  };
}

function unmodelled(apiText: string): Route {
  return {
    method: "PUT",
    body: "required",
    handle: () => {
      throw apiError(
        "other",
        apiText,
        "not modelled by the livevm Cloud Hypervisor sandbox (snapshot, restore, migration, coredump)",
      );
    },
  };
}

const ADD_TEXT: Record<string, string> = {
  disks: "The disk could not be added to the VM",
  net: "The network device could not be added to the VM",
  fs: "The fs could not be added to the VM",
  pmem: "The pmem device could not be added to the VM",
  vsock: "The vsock device could not be added to the VM",
  devices: "The device could not be added to the VM",
  vdpa: "The vDPA device could not be added to the VM",
  user_devices: "The user device could not be added to the VM",
  generic_vhost_user: "The generic vhost-user device could not be added to the VM",
};

export function routes(release: CloudHypervisorRelease, onVmmShutdown: () => void): Map<string, Route> {
  const table = new Map<string, Route>();
  table.set("vmm.ping", {
    method: "GET",
    body: "none",
    handle: () => ({
      status: 200,
      body: {
        build_version: release,
        version: `${release.slice(1)}.0`,
        pid: process.pid,
        features: ["kvm"],
      },
    }),
  });
  table.set("vmm.shutdown", {
    method: "PUT",
    body: "none",
    handle: (vmm) => {
      vmm.delete();
      setImmediate(onVmmShutdown);
      return { status: 200, empty: true };
    },
  });
  table.set("vm.create", {
    method: "PUT",
    body: "required",
    handle: (vmm, body) => {
      vmm.create(body);
      return noContent;
    },
  });
  table.set(
    "vm.boot",
    action((vmm) => vmm.boot()),
  );
  table.set(
    "vm.shutdown",
    action((vmm) => vmm.shutdown()),
  );
  table.set(
    "vm.reboot",
    action((vmm) => vmm.reboot()),
  );
  table.set(
    "vm.delete",
    action((vmm) => vmm.delete()),
  );
  table.set(
    "vm.pause",
    action((vmm) => vmm.pause()),
  );
  table.set(
    "vm.resume",
    action((vmm) => vmm.resume()),
  );
  table.set(
    "vm.power-button",
    action((vmm) => vmm.requireRunning("Error triggering power button")),
  );
  table.set(
    "vm.nmi",
    action((vmm) => vmm.requireRunning("Error triggering NMI")),
  );
  table.set("vm.info", { method: "GET", body: "none", handle: (vmm) => ({ status: 200, body: vmm.info() }) });
  table.set("vm.counters", { method: "GET", body: "none", handle: (vmm) => ({ status: 200, body: vmm.counters() }) });
  table.set(
    "vm.resize",
    withBody(
      { desired_vcpus: { type: "u32" }, desired_ram: { type: "u64" }, desired_balloon: { type: "u64" } },
      (vmm, body) => vmm.resize(body),
    ),
  );
  table.set(
    "vm.resize-zone",
    withBody({ id: { type: "string", required: true }, desired_ram: { type: "u64", required: true } }, (vmm, body) =>
      vmm.resizeZone(body),
    ),
  );
  table.set(
    "vm.resize-disk",
    withBody({ id: { type: "string", required: true }, desired_size: { type: "u64", required: true } }, (vmm, body) =>
      vmm.resizeDisk(body),
    ),
  );
  table.set(
    "vm.remove-device",
    withBody({ id: { type: "string", required: true } }, (vmm, body) => vmm.removeDevice(body)),
  );
  for (const [key, list] of Object.entries(DEVICE_LISTS)) {
    table.set(list.add, {
      method: "PUT",
      body: "required",
      handle: (vmm, body) => {
        const info = vmm.addDevice(key, body, ADD_TEXT[key]!);
        return info ? { status: 200, body: info } : noContent;
      },
    });
  }
  table.set("vm.snapshot", unmodelled("The VM could not be snapshotted"));
  table.set("vm.restore", unmodelled("The VM could not be restored"));
  table.set("vm.coredump", unmodelled("The VM could not be coredumped"));
  table.set("vm.send-migration", unmodelled("Error dispatching the migration worker"));
  table.set("vm.receive-migration", unmodelled("Error receiving migration"));
  return table;
}

function parseOrText(body: string): unknown {
  try {
    return parseApiJson(body);
  } catch {
    return body;
  }
}

/** One request as the sandbox saw it, for tests. */
export interface RecordedRequest {
  readonly method: string;
  readonly endpoint: string;
  readonly body: unknown;
  readonly status: number;
  readonly response: unknown;
}

export function handleRequest(
  table: Map<string, Route>,
  vmm: Vmm,
  release: CloudHypervisorRelease,
  request: IncomingMessage,
  response: ServerResponse,
  record: (r: RecordedRequest) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= PAYLOAD_MAX) chunks.push(chunk);
  });
  request.on("end", () => {
    const raw = Buffer.concat(chunks);
    const path = (request.url ?? "").split("?")[0]!;
    const endpoint = path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
    let status: number;
    let body: string | undefined;
    let parsed: unknown;
    try {
      if (size > PAYLOAD_MAX) {
        throw parseFailure(
          `Request payload with size ${size} is larger than the limit of ${PAYLOAD_MAX} allowed by server.`,
        );
      }
      if (raw.length > 0 && (request.method === "GET" || request.method === "DELETE"))
        throw parseFailure("Invalid request.");
      const route = path.startsWith(ROOT) ? table.get(endpoint) : undefined;
      if (!route) throw new HttpFailure(404, ["Not Found"]);
      if (request.method !== "GET" && request.method !== "PUT") {
        throw new HttpFailure(400, endpoint === "vm.create" ? ["Bad Request"] : undefined);
      }
      if (request.method !== route.method) throw new HttpFailure(400, ["Bad Request"]);
      const hasBody = raw.length > 0;
      if (route.body === "none" && hasBody && route.method === "PUT") throw new HttpFailure(400, ["Bad Request"]);
      if (route.body === "required" && !hasBody)
        throw new HttpFailure(400, endpoint === "vm.create" ? undefined : ["Bad Request"]);
      if (hasBody && route.body === "required") {
        try {
          parsed = parseApiJson(raw.toString("utf8"));
        } catch (e) {
          throw new HttpFailure(400, ["Failed to deserialize JSON", (e as Error).message]);
        }
        if (route.spec) parsed = readStruct(route.spec, parsed, endpoint);
      }
      const result = route.handle(vmm, parsed);
      status = result.status;
      if ("body" in result) body = stringifyApiJson(result.body);
    } catch (error) {
      if (error instanceof HttpFailure) {
        status = error.status;
        body = error.body ? JSON.stringify(error.body) : error.rawBody;
      } else if (error instanceof ApiFailure) {
        status = statusFor(release, error.failureCause);
        body = JSON.stringify(error.chain);
      } else {
        status = 500;
        body = JSON.stringify(["Internal Server Error", String(error)]);
      }
    }
    response.statusCode = status;
    response.setHeader("Server", "Cloud Hypervisor API");
    response.setHeader("Content-Type", "application/json");
    response.setHeader("Content-Length", body === undefined ? 0 : Buffer.byteLength(body));
    response.end(body);
    record({
      method: request.method ?? "",
      endpoint,
      body: parsed,
      status,
      response: body === undefined ? undefined : parseOrText(body),
    });
  });
}
