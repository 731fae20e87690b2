// A stand-in for the Vast.ai REST API: a loopback Node HTTP server that answers the five calls the
// gateway makes, with the request and response shapes documented in shared/reference/remote.md §1
// (§1.1 auth and error bodies, §1.2 endpoints, §1.3 query operators, §1.4 create fields, §1.5
// instance fields). It is not Vast: it only replays those documented shapes so the gateway can be
// tested without an account. Faults (429, 5xx, dropped connections, destroys that do not take)
// can be injected per operation.

import http from "node:http";
import type { AddressInfo } from "node:net";

export type Op = "search" | "create" | "show" | "list" | "destroy";

export interface StandinOffer {
  id: number;
  dph_total: number;
  gpu_name: string;
  gpu_ram: number; // MB
  num_gpus: number;
  reliability: number;
  verified: boolean;
  external: boolean;
  rentable: boolean;
  rented: boolean;
  inet_down: number;
  [k: string]: unknown;
}

export interface StandinInstance {
  id: number;
  label: string | null;
  actual_status: string | null;
  intended_status: string;
  cur_state: string;
  status_msg: string;
  image_uuid: string;
  dph_total: number;
  start_date: number;
  gpu_name: string;
  num_gpus: number;
  extra_env: unknown;
}

export interface Call {
  op: Op | "unknown";
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  auth: string | undefined;
}

interface Fault {
  op: Op;
  status: number; // 0 = drop the connection
  remaining: number;
}

export function offer(id: number, dph: number, extra: Partial<StandinOffer> = {}): StandinOffer {
  return {
    id,
    dph_total: dph,
    gpu_name: "RTX 4090",
    gpu_ram: 24564,
    num_gpus: 1,
    reliability: 0.995,
    verified: true,
    external: false,
    rentable: true,
    rented: false,
    inet_down: 800,
    ...extra,
  };
}

export class VastStandin {
  readonly apiKey: string;
  offers: StandinOffer[] = [];
  instances = new Map<number, StandinInstance>();
  calls: Call[] = [];
  /** Ids of every instance created through PUT /asks/{id}/, in order. */
  created: number[] = [];
  /** DELETEs that answer {"success": true} but leave the instance in place. */
  ineffectiveDeletes = 0;
  /** Delay before answering create, to widen race windows. */
  createDelayMs = 0;
  private faults: Fault[] = [];
  private nextId = 7000;
  private server: http.Server;
  url = "";

  constructor(apiKey = "vast-test-key") {
    this.apiKey = apiKey;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}/api/v0`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** fail makes the next `times` calls of op answer status (0 = drop the connection). */
  fail(op: Op, status: number, times: number): void {
    this.faults.push({ op, status, remaining: times });
  }

  count(op: Op): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  addInstance(label: string | null, extra: Partial<StandinInstance> = {}): StandinInstance {
    const inst: StandinInstance = {
      id: this.nextId++,
      label,
      actual_status: "running",
      intended_status: "running",
      cur_state: "running",
      status_msg: "",
      image_uuid: "other/image",
      dph_total: 0.3,
      start_date: Date.now() / 1000,
      gpu_name: "RTX 4090",
      num_gpus: 1,
      extra_env: [],
      ...extra,
    };
    this.instances.set(inst.id, inst);
    return inst;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://standin");
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const route = this.route(req.method ?? "GET", url.pathname);
    this.calls.push({ op: route.op, method: req.method ?? "", path: url.pathname, query: url.searchParams, body, auth: req.headers.authorization });

    const send = (status: number, payload: unknown) => {
      const text = typeof payload === "string" ? payload : JSON.stringify(payload);
      res.writeHead(status, { "Content-Type": typeof payload === "string" ? "text/plain" : "application/json" });
      res.end(text);
    };
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(401, { success: false, error: "auth_error", msg: "Invalid user key" });
    }
    if (route.op === "unknown") return send(404, { success: false, error: "not_found", msg: `no route ${url.pathname}` });
    const fault = this.faults.find((f) => f.op === route.op && f.remaining > 0);
    if (fault) {
      fault.remaining--;
      if (fault.status === 0) return void req.socket.destroy();
      // 429 bodies are plain text and carry no Retry-After (reference §1.8).
      if (fault.status === 429) return send(429, "API requests too frequent endpoint threshold=1");
      return send(fault.status, { success: false, error: "server_error", msg: "injected failure" });
    }
    switch (route.op) {
      case "search":
        return send(200, { offers: this.search((body ?? {}) as Record<string, unknown>) });
      case "create":
        if (this.createDelayMs > 0) await new Promise((r) => setTimeout(r, this.createDelayMs));
        return this.create(route.id!, body, send);
      case "show":
        return send(200, { instances: this.instances.get(route.id!) ?? null });
      case "list":
        return send(200, this.list(url.searchParams));
      case "destroy": {
        if (!this.instances.has(route.id!)) return send(404, { success: false, error: "no_such_instance", msg: "Instance not found" });
        if (this.ineffectiveDeletes > 0) this.ineffectiveDeletes--;
        else this.instances.delete(route.id!);
        return send(200, { success: true });
      }
    }
  }

  private route(method: string, path: string): { op: Op | "unknown"; id?: number } {
    let m: RegExpExecArray | null;
    if (method === "POST" && path === "/api/v0/bundles/") return { op: "search" };
    if (method === "PUT" && (m = /^\/api\/v0\/asks\/(\d+)\/$/.exec(path))) return { op: "create", id: Number(m[1]) };
    if (method === "GET" && (m = /^\/api\/v0\/instances\/(\d+)\/$/.exec(path))) return { op: "show", id: Number(m[1]) };
    if (method === "DELETE" && (m = /^\/api\/v0\/instances\/(\d+)\/$/.exec(path))) return { op: "destroy", id: Number(m[1]) };
    if (method === "GET" && path === "/api/v1/instances/") return { op: "list" };
    return { op: "unknown" };
  }

  /** search applies the §1.3 operators (eq, neq, gt, gte, lt, lte, in, notin), order and limit. */
  private search(q: Record<string, unknown>): StandinOffer[] {
    const reserved = new Set(["order", "type", "limit", "allocated_storage"]);
    let out = this.offers.filter((o) =>
      Object.entries(q).every(([field, cond]) => reserved.has(field) || matches(o[field], cond as Record<string, unknown>)),
    );
    const order = Array.isArray(q.order) ? (q.order as [string, string][]) : [];
    for (const [field, dir] of [...order].reverse()) {
      out = [...out].sort((a, b) => (Number(a[field]) - Number(b[field])) * (dir === "desc" ? -1 : 1));
    }
    return typeof q.limit === "number" ? out.slice(0, q.limit) : out;
  }

  private create(offerId: number, body: unknown, send: (s: number, p: unknown) => void): void {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.image !== "string" || b.image === "") return send(400, { success: false, error: "invalid_args", msg: "image is required" });
    if (b.env !== undefined && (typeof b.env !== "object" || Array.isArray(b.env))) {
      return send(400, { success: false, error: "invalid_args", msg: "env must be an object" });
    }
    const o = this.offers.find((x) => x.id === offerId);
    if (!o || o.rented || !o.rentable) return send(400, { success: false, error: "no_such_ask", msg: `offer ${offerId} is not available` });
    o.rented = true;
    o.rentable = false;
    const inst = this.addInstance(typeof b.label === "string" ? b.label : null, {
      actual_status: "loading",
      image_uuid: b.image,
      dph_total: o.dph_total,
      gpu_name: o.gpu_name,
      extra_env: b.env ?? {},
    });
    this.created.push(inst.id);
    send(200, { success: true, new_contract: inst.id, instance_api_key: `inst-key-${inst.id}` });
  }

  /** list: select_filters (label eq), order_by id, limit, after_token → {instances, next_token}. */
  private list(q: URLSearchParams): unknown {
    const filters = JSON.parse(q.get("select_filters") ?? "{}") as Record<string, Record<string, unknown>>;
    const limit = Number(q.get("limit") ?? 25);
    const after = Number(q.get("after_token") ?? 0);
    const all = [...this.instances.values()]
      .filter((i) => Object.entries(filters).every(([f, c]) => matches((i as unknown as Record<string, unknown>)[f], c)))
      .sort((a, b) => a.id - b.id);
    const page = all.filter((i) => i.id > after).slice(0, limit);
    const more = page.length === limit && all.some((i) => i.id > page[page.length - 1]!.id);
    return { instances: page, next_token: more ? String(page[page.length - 1]!.id) : "", total_instances: all.length };
  }
}

function matches(v: unknown, cond: Record<string, unknown>): boolean {
  if (cond === null || typeof cond !== "object") return v === cond;
  return Object.entries(cond).every(([op, want]) => {
    switch (op) {
      case "eq": return v === want;
      case "neq": return v !== want;
      case "gt": return Number(v) > Number(want);
      case "gte": return Number(v) >= Number(want);
      case "lt": return Number(v) < Number(want);
      case "lte": return Number(v) <= Number(want);
      case "in": return Array.isArray(want) && want.includes(v);
      case "notin": return Array.isArray(want) && !want.includes(v);
      default: return false;
    }
  });
}
