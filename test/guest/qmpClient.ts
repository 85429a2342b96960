/**
 * A minimal QMP (QEMU Machine Protocol) client over a unix socket: newline-delimited JSON,
 * greeting, `qmp_capabilities`, commands with ids, and asynchronous events. Test-only I/O.
 */

import net from "node:net";

export interface QmpEvent {
  readonly event: string;
  readonly data?: Record<string, unknown>;
  readonly at: number;
}

export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly qmpClass: string,
    readonly desc: string,
  ) {
    super(`QMP ${command} failed: ${qmpClass}: ${desc}`);
    this.name = "QmpError";
  }
}

export class QmpClient {
  readonly events: QmpEvent[] = [];
  private readonly pending = new Map<string, { command: string; resolve(v: unknown): void; reject(e: Error): void }>();
  private readonly eventWaiters: Array<() => void> = [];
  private nextId = 1;
  private buffer = "";

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.onData(chunk));
    socket.on("close", () => {
      for (const p of this.pending.values()) p.reject(new Error(`QMP connection closed during ${p.command}`));
      this.pending.clear();
    });
  }

  /** Connects, retrying while QEMU has not created the socket yet, and negotiates capabilities. */
  static async connect(path: string, timeoutMs = 20_000): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.createConnection(path);
          s.once("connect", () => resolve(s));
          s.once("error", reject);
        });
        const client = new QmpClient(socket);
        await client.execute("qmp_capabilities");
        return client;
      } catch (e) {
        if (Date.now() > deadline)
          throw new Error(`could not connect to QMP socket ${path}: ${(e as Error).message}`, { cause: e });
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + "\n");
    });
  }

  /** Resolves with the first event (seen since `since`) matching, or rejects after timeoutMs. */
  async waitForEvent(match: (e: QmpEvent) => boolean, since: number, timeoutMs: number): Promise<QmpEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.at >= since && match(e));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `no matching QMP event within ${timeoutMs} ms (seen: ${this.events.map((e) => e.event).join(", ")})`,
        );
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.eventWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.onMessage(JSON.parse(line) as Record<string, unknown>);
    }
  }

  private onMessage(msg: Record<string, unknown>): void {
    if (typeof msg.event === "string") {
      this.events.push({ event: msg.event, data: msg.data as Record<string, unknown> | undefined, at: Date.now() });
      for (const w of this.eventWaiters.splice(0)) w();
      return;
    }
    const id = msg.id as string | undefined;
    if (id === undefined) return; // the greeting
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if ("error" in msg) {
      const err = msg.error as { class: string; desc: string };
      p.reject(new QmpError(p.command, err.class, err.desc));
    } else p.resolve(msg.return);
  }
}
