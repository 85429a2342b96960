import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import type { Severity } from "./resources/resource";

/**
 * Diagnostics to the Pulumi engine (`Engine.Log`), attached to a resource URN. A native provider's
 * stdout/stderr is hidden by the engine, so this is the only way users see warnings and progress.
 */

export interface LogEntry {
  readonly severity: Severity;
  readonly message: string;
  readonly urn: string;
  /** true for transient status lines (progress), false for diagnostics kept in the output */
  readonly ephemeral: boolean;
}

export interface EngineLog {
  log(entry: LogEntry): void;
  /** resolves when every log sent so far has been delivered (or failed) */
  flush(): Promise<void>;
  close(): void;
}

const SEVERITY: Record<Severity, LogSeverity> = {
  debug: LogSeverity.DEBUG,
  info: LogSeverity.INFO,
  warning: LogSeverity.WARNING,
  error: LogSeverity.ERROR,
};

/** Sends logs to the engine at `address`, in order. */
export function connectEngineLog(address: string): EngineLog {
  const client = new EngineClient(address, grpc.credentials.createInsecure());
  let tail: Promise<void> = Promise.resolve();
  return {
    log(entry) {
      const req = new LogRequest();
      req.setSeverity(SEVERITY[entry.severity]);
      req.setMessage(entry.message);
      req.setUrn(entry.urn);
      req.setEphemeral(entry.ephemeral);
      tail = tail.then(
        () =>
          new Promise<void>((resolve) => {
            // A lost log line must never fail the operation it describes.
            client.log(req, () => resolve());
          }),
      );
    },
    flush: () => tail,
    close: () => client.close(),
  };
}

/** A log that hands entries to a function (tests, or a provider started without an engine). */
export function callbackEngineLog(sink: (entry: LogEntry) => void): EngineLog {
  return { log: sink, flush: () => Promise.resolve(), close: () => undefined };
}
