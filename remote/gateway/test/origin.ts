// A loopback stand-in for the tunnel origin (the remote engine behind cloudflared): /ready answers
// 200 once `ready` is set, /v1/* echoes what it received. It records the Authorization header of
// every request so tests can check the gateway swapped the client's token for the origin's.

import http from "node:http";
import type { AddressInfo } from "node:net";

export interface OriginHit {
  method: string;
  path: string;
  auth: string | undefined;
  requestId: string | undefined;
  body: string;
}

export class Origin {
  ready = false;
  /** The worker is gone: "reset" drops every connection (the engine's port is closed), a
   * status answers every request with it, as the tunnel does with no engine (502) or no
   * connector (530). */
  gone: null | "reset" | number = null;
  hits: OriginHit[] = [];
  url = "";
  private server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** hits on /v1/* (not /ready polls). */
  get apiHits(): OriginHit[] {
    return this.hits.filter((h) => h.path.startsWith("/v1/"));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.gone === "reset") {
      req.socket.destroy();
      return;
    }
    if (this.gone !== null) {
      res.writeHead(this.gone, { "Content-Type": "text/html" });
      res.end("<html>error code: 1033</html>");
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://origin");
    const rid = req.headers["x-request-id"];
    this.hits.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      auth: req.headers.authorization,
      requestId: Array.isArray(rid) ? rid[0] : rid,
      body,
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    if (url.pathname === "/ready") return this.ready ? send(200, { ready: true }) : send(503, { ready: false });
    if (url.pathname === "/v1/stream") {
      // An NDJSON stream, like a job's results: a line every 100 ms for ?ms=.
      res.writeHead(200, { "Content-Type": "application/x-ndjson" });
      const until = Date.now() + Number(url.searchParams.get("ms") ?? 0);
      for (let i = 0; Date.now() < until; i++) {
        res.write(JSON.stringify({ frame: i }) + "\n");
        await new Promise((r) => setTimeout(r, 100));
      }
      res.end();
      return;
    }
    if (url.pathname.startsWith("/v1/")) {
      const delay = Number(url.searchParams.get("delay_ms") ?? 0);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      return send(200, { echo: { method: req.method, path: url.pathname, query: url.search, body } }, { "X-Origin": "engine" });
    }
    send(404, { error: { code: "not_found", message: "origin stand-in" } });
  }
}
