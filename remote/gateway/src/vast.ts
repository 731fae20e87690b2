// A small Vast.ai REST client: the five calls the gateway needs, bearer auth, retries with
// exponential backoff on 429 / 5xx (except 501) / network errors (Vast sends no Retry-After),
// and typed errors. Shapes follow shared/reference/remote.md §1.

import type { Logger } from "./log.js";

/** An offer row from search (only the fields the gateway reads). */
export interface Offer {
  id: number;
  dph_total: number;
  gpu_name?: string;
  gpu_ram?: number; // MB
  num_gpus?: number;
  reliability?: number;
  inet_down?: number;
  [k: string]: unknown;
}

/** An instance row from show / list (only the fields the gateway reads). */
export interface Instance {
  id: number;
  label?: string | null;
  actual_status?: string | null;
  intended_status?: string | null;
  status_msg?: string | null;
  dph_total?: number;
  start_date?: number;
  [k: string]: unknown;
}

export type VastErrorKind = "http" | "network" | "api";

/** VastError is every failure of a Vast call; retryable tells the caller whether trying later may help. */
export class VastError extends Error {
  override name = "VastError";
  constructor(
    readonly kind: VastErrorKind,
    readonly op: string,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly attempts: number,
  ) {
    super(`vast ${op}: ${message}`);
  }
  get retryable(): boolean {
    return this.kind === "network" || isRetryableStatus(this.status);
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501);
}

export interface VastClientOptions {
  baseUrl: string; // e.g. https://console.vast.ai/api/v0
  apiKey: string;
  retries: number; // extra attempts after the first
  backoffMs: number; // first delay; multiplied by 2 each retry
  timeoutMs: number;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class VastClient {
  constructor(private readonly o: VastClientOptions) {}

  /** The v1 base for the instance list: .../api/v0 → .../api/v1 (same base if it has no /api/v0). */
  private get v1Base(): string {
    return this.o.baseUrl.replace(/\/api\/v0$/, "/api/v1");
  }

  /** searchOffers: POST /bundles/ with a query object → offers. */
  async searchOffers(query: Record<string, unknown>): Promise<Offer[]> {
    const body = await this.call("search", "POST", `${this.o.baseUrl}/bundles/`, query);
    const offers = (body as { offers?: unknown }).offers;
    return Array.isArray(offers) ? (offers as Offer[]) : [];
  }

  /** createInstance: PUT /asks/{offer_id}/ → the new instance id (new_contract). */
  async createInstance(offerId: number, fields: Record<string, unknown>): Promise<number> {
    const body = (await this.call("create", "PUT", `${this.o.baseUrl}/asks/${offerId}/`, fields)) as {
      success?: boolean;
      new_contract?: unknown;
      error?: string;
      msg?: string;
    };
    const id = Number(body.new_contract);
    if (body.success === false || !Number.isInteger(id) || id <= 0) {
      throw new VastError("api", "create", 200, body.error ?? "no_contract", body.msg ?? "create returned no instance id", 1);
    }
    return id;
  }

  /** showInstance: GET /instances/{id}/?owner=me → the instance, or null when it is gone. */
  async showInstance(id: number): Promise<Instance | null> {
    try {
      const body = await this.call("show", "GET", `${this.o.baseUrl}/instances/${id}/?owner=me`);
      const inst = (body as { instances?: unknown }).instances;
      return inst && typeof inst === "object" && !Array.isArray(inst) ? (inst as Instance) : null;
    } catch (err) {
      if (err instanceof VastError && err.status === 404) return null;
      throw err;
    }
  }

  /** listInstances: GET /api/v1/instances/ filtered by label, following next_token. */
  async listInstances(label: string): Promise<Instance[]> {
    const out: Instance[] = [];
    let token = "";
    for (let page = 0; page < 100; page++) {
      const q = new URLSearchParams({
        select_filters: JSON.stringify({ label: { eq: label } }),
        order_by: JSON.stringify([{ col: "id", dir: "asc" }]),
        limit: "25",
      });
      if (token) q.set("after_token", token);
      const body = (await this.call("list", "GET", `${this.v1Base}/instances/?${q}`)) as {
        instances?: unknown;
        next_token?: unknown;
      };
      if (Array.isArray(body.instances)) out.push(...(body.instances as Instance[]));
      token = typeof body.next_token === "string" ? body.next_token : "";
      if (!token) break;
    }
    // The filter is applied again here: a label mismatch must never lead to a destroy.
    return out.filter((i) => i.label === label);
  }

  /** destroyInstance: DELETE /instances/{id}/; an instance already gone (404) counts as destroyed. */
  async destroyInstance(id: number): Promise<void> {
    try {
      await this.call("destroy", "DELETE", `${this.o.baseUrl}/instances/${id}/`, {});
    } catch (err) {
      if (err instanceof VastError && err.status === 404) return;
      throw err;
    }
  }

  private async call(op: string, method: string, url: string, body?: unknown): Promise<unknown> {
    const sleep = this.o.sleep ?? sleepMs;
    let last: VastError | undefined;
    for (let attempt = 1; attempt <= this.o.retries + 1; attempt++) {
      if (attempt > 1) await sleep(this.o.backoffMs * 2 ** (attempt - 2));
      let resp: Response;
      try {
        resp = await fetch(url, {
          method,
          headers: {
            Authorization: `Bearer ${this.o.apiKey}`,
            "User-Agent": "samwise-gateway",
            Accept: "application/json",
            ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
      } catch (err) {
        last = new VastError("network", op, 0, "network", err instanceof Error ? err.message : String(err), attempt);
        this.o.log.warn("vast call failed", { op, attempt, kind: "network", reason: last.message });
        continue;
      }
      const text = await resp.text();
      if (resp.ok) return parseJson(text);
      last = httpError(op, resp.status, text, attempt);
      this.o.log.warn("vast call failed", { op, attempt, status: resp.status, code: last.code });
      if (!isRetryableStatus(resp.status)) throw last;
    }
    throw last!;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** httpError reads Vast's error bodies: {"success": false, "error", "msg"}, "message", or plain text (429). */
function httpError(op: string, status: number, text: string, attempts: number): VastError {
  const body = parseJson(text) as { error?: unknown; msg?: unknown; message?: unknown };
  const code = typeof body.error === "string" ? body.error : status === 429 ? "rate_limited" : `http_${status}`;
  const msg =
    typeof body.msg === "string" ? body.msg
    : typeof body.message === "string" ? body.message
    : text.trim().slice(0, 200) || `HTTP ${status}`;
  return new VastError("http", op, status, code, `${status} ${msg}`, attempts);
}
