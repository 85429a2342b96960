import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A pass-through proxy in front of the sandbox's API that lets a test act at an exact moment of the
 * provider's conversation: `before` runs (and is awaited) before a matching request is forwarded, e.g.
 * to let "someone else" write between the provider's read and its patch. Watches stream through.
 */
export interface ApiProxy {
  readonly url: string;
  /** requests seen, "METHOD path" */
  readonly seen: string[];
  /** answers the proxy passed back, "METHOD path -> status" */
  readonly answered: string[];
  /** runs `action` once, before the first request `match` accepts is forwarded */
  before(match: (method: string, path: string) => boolean, action: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function startApiProxy(target: string): Promise<ApiProxy> {
  const upstream = new URL(target);
  const hooks: { match: (m: string, p: string) => boolean; action: () => Promise<void> }[] = [];
  const seen: string[] = [];
  const answered: string[] = [];
  const server = http.createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    seen.push(`${method} ${path}`);
    const i = hooks.findIndex((h) => h.match(method, path));
    const hook = i >= 0 ? hooks.splice(i, 1)[0] : undefined;
    req.pause();
    void (hook ? hook.action() : Promise.resolve()).then(
      () => {
        const out = http.request(
          { hostname: upstream.hostname, port: upstream.port, method, path, headers: req.headers },
          (up) => {
            answered.push(`${method} ${path} -> ${up.statusCode}`);
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        out.on("error", () => res.destroy());
        res.on("close", () => out.destroy());
        req.pipe(out);
        req.resume();
      },
      (e: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`test proxy hook failed: ${(e as Error).message}`);
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    answered,
    before(match, action) {
      hooks.push({ match, action });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
