// GatewayDO: the single writer of the GPU worker lifecycle. One named instance ("gpu") holds the
// WorkerRecord in storage; client traffic for /v1/* arrives through fetch(), control calls through
// RPC (status, wake, stop), and one alarm, always armed to the earliest deadline, drives warm-up
// polling, timeouts, destroys and their verification, and orphan reaping.
//
// Concurrency: JavaScript runs one event at a time here, but fetch/alarm handlers interleave at
// every await. provision() writes warming_up (and the in-memory promise) synchronously, before its
// first await, so a second request arriving during the Vast calls sees warming_up and cannot
// provision again. Every step that resumes after an await re-checks that the state it acted on is
// still current.

import { DurableObject } from "cloudflare:workers";
import { loadConfig, type Config, type Env } from "./config.js";
import { errorResponse, json } from "./http.js";
import { errorFields, newLogger, type Logger } from "./log.js";
import { createFields, offerQuery, rankOffers } from "./offers.js";
import { originReady, originRequest } from "./proxy.js";
import {
  idleDeadline,
  initialRecord,
  instanceCostUsd,
  isDestroying,
  lifetimeDeadline,
  nextAlarmAt,
  view,
  type WorkerRecord,
  type WorkerView,
} from "./state.js";
import { VastClient, VastError } from "./vast.js";

const KEY = "worker";
const FATAL_STATUSES = new Set(["exited", "offline", "unknown"]);
// What the tunnel answers when nothing serves behind it: cloudflared's 502 (the engine is
// gone), Cloudflare's 530 (error 1033: no connector).
const NO_ORIGIN_STATUSES = new Set([502, 530]);

/** ControlResult is what the RPC control methods return; the Worker turns it into a Response. */
export interface ControlResult {
  status: number;
  body: unknown;
  retry_after?: number;
}

export class GatewayDO extends DurableObject<Env> {
  private cfg: Config;
  private rec: WorkerRecord = initialRecord(Date.now());
  private log: Logger = newLogger({ component: "gateway_do" });
  private provisioning: Promise<void> | null = null;
  private stopRequested = false;
  /** Proxied requests in a row that found no origin (in memory: a restart starts over). */
  private originFailures = 0;
  private inflight = 0;
  private activityPersistedAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.cfg = loadConfig(env);
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<WorkerRecord>(KEY);
      if (stored) this.rec = { ...initialRecord(Date.now()), ...stored };
      if (this.rec.provisioning) {
        // We were evicted or crashed between "decide to provision" and "record instance": an
        // instance may exist that we do not know. Fail, and reap by label at once.
        this.rec.provisioning = false;
        this.setFailed("provision_interrupted", "provisioning was interrupted; orphans are reaped by label");
        this.rec.next_reap_at = Date.now();
        await this.persist();
      }
      await this.arm();
    });
  }

  private vast(log: Logger): VastClient {
    return new VastClient({
      baseUrl: this.cfg.vastBaseUrl,
      apiKey: this.env.VAST_API_KEY ?? "",
      retries: this.cfg.vastRetries,
      backoffMs: this.cfg.vastBackoffMs,
      timeoutMs: this.cfg.vastTimeoutMs,
      log: log.with({ subsystem: "vast" }),
    });
  }

  private async persist(): Promise<void> {
    await this.ctx.storage.put(KEY, this.rec);
  }

  private async arm(): Promise<void> {
    let at = nextAlarmAt(this.rec, this.cfg);
    const r = this.rec;
    // Draining with nothing in flight: destroy now rather than at the grace deadline.
    if (r.state === "draining" && !isDestroying(r, r.instance_id) && this.inflight === 0) at = Date.now();
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  private async save(): Promise<void> {
    await this.persist();
    await this.arm();
  }

  private patch(p: Partial<WorkerRecord>): void {
    Object.assign(this.rec, p);
  }

  private transition(to: WorkerRecord["state"], fields: Record<string, unknown> = {}): void {
    const from = this.rec.state;
    this.rec.state = to;
    this.rec.since = Date.now();
    this.log.info("transition", { from, to, instance_id: this.rec.instance_id, ...fields });
  }

  private setFailed(code: string, message: string): void {
    this.rec.error = { code, message, at: Date.now() };
    this.rec.error_reported = false;
    this.transition("failed", { code, reason: message });
  }

  // ---- control (RPC) ----

  async status(): Promise<ControlResult> {
    return { status: 200, body: this.view() };
  }

  async wake(requestId: string): Promise<ControlResult> {
    const log = this.log.with({ request_id: requestId });
    if (this.rec.state === "off" || this.rec.state === "failed") await this.provision(log);
    const v = this.view();
    if (v.state === "failed") return { status: 503, body: this.failedBody() };
    const warming = v.state === "warming_up";
    return { status: warming ? 202 : 200, body: v, retry_after: warming ? this.cfg.retryAfterS : undefined };
  }

  async stop(requestId: string): Promise<ControlResult> {
    const log = this.log.with({ request_id: requestId });
    const r = this.rec;
    if (this.provisioning) this.stopRequested = true;
    else if (r.state === "warming_up" || r.state === "ready") {
      this.startDrain("stopped");
      await this.save();
    } else if (r.state === "failed") {
      this.transition("off", { reason: "stopped" });
      r.error_reported = true;
      await this.save();
    }
    log.info("stop requested", { state: r.state });
    return { status: 200, body: this.view() };
  }

  private view(): WorkerView {
    return view(this.rec, this.cfg, Date.now());
  }

  private failedBody() {
    const e = this.rec.error ?? { code: "worker_failed", message: "the GPU worker failed" };
    return { error: { code: e.code, message: e.message } };
  }

  // ---- client traffic ----

  override async fetch(req: Request): Promise<Response> {
    const requestId = req.headers.get("X-Request-Id") ?? crypto.randomUUID();
    const log = this.log.with({ request_id: requestId });
    const r = this.rec;
    if (r.state === "ready") return this.proxy(req, requestId, log);
    if (r.state === "draining") {
      return errorResponse(503, "worker_draining", "the GPU worker is shutting down; retry shortly", {
        headers: { "Retry-After": String(this.cfg.retryAfterS) },
      });
    }
    if (r.state === "failed" && !r.error_reported) {
      r.error_reported = true;
      await this.persist();
      return json(503, this.failedBody());
    }
    if (r.state === "off" || r.state === "failed") await this.provision(log);
    if (this.rec.state === "failed") {
      this.rec.error_reported = true;
      await this.persist();
      return json(503, this.failedBody());
    }
    return json(
      202,
      { state: "warming_up", retry_after: this.cfg.retryAfterS },
      { "Retry-After": String(this.cfg.retryAfterS) },
    );
  }

  private async proxy(req: Request, requestId: string, log: Logger): Promise<Response> {
    this.touch();
    this.inflight++;
    let resp: Response;
    try {
      resp = await fetch(originRequest(req, this.cfg.originUrl, this.env.ORIGIN_TOKEN ?? "", requestId));
    } catch (err) {
      log.warn("origin unreachable", errorFields(err));
      await this.proxyDone();
      await this.originFailed(log);
      return errorResponse(502, "origin_unreachable", "the GPU worker did not answer");
    }
    if (NO_ORIGIN_STATUSES.has(resp.status)) {
      log.warn("origin unreachable", { status: resp.status });
      await resp.body?.cancel();
      await this.proxyDone();
      await this.originFailed(log);
      return errorResponse(502, "origin_unreachable", `the GPU worker did not answer (the tunnel said ${resp.status})`);
    }
    this.originFailures = 0;
    if (!resp.body) {
      await this.proxyDone();
      return new Response(null, resp);
    }
    // The request is in flight until its body has been sent: a job's result stream lasts as
    // long as the job, and the worker must not be taken for idle meanwhile.
    const { readable, writable } = new TransformStream();
    void resp.body
      .pipeTo(writable)
      .catch((err) => log.info("response stream ended early", errorFields(err)))
      .finally(() => this.proxyDone());
    return new Response(readable, resp);
  }

  /** originFailed counts a proxied request that found no origin; after originFailures in a
   * row, and /ready unanswered too, the worker is lost: failed, and its instance destroyed. */
  private async originFailed(log: Logger): Promise<void> {
    const r = this.rec;
    const id = r.instance_id;
    if (++this.originFailures < this.cfg.originFailures || r.state !== "ready" || id === null) return;
    if (await originReady(this.cfg.originUrl, this.env.ORIGIN_TOKEN ?? "", 5000)) {
      this.originFailures = 0;
      return;
    }
    if (this.rec.state !== "ready" || this.rec.instance_id !== id) return; // changed meanwhile
    this.originFailures = 0;
    log.warn("the worker is lost", { instance_id: id, failures: this.cfg.originFailures });
    this.setFailed("origin_lost", `the GPU worker stopped answering (${this.cfg.originFailures} requests and /ready)`);
    await this.destroy(id, "origin_lost", log);
  }

  /** proxyDone ends a proxied request: activity, and a draining worker may go now. */
  private async proxyDone(): Promise<void> {
    this.inflight--;
    this.touch();
    if (this.inflight === 0 && this.rec.state === "draining") await this.ctx.storage.setAlarm(Date.now());
  }

  /** touch records client activity; storage is written at most every ACTIVITY_WRITE_S. */
  private touch(): void {
    const now = Date.now();
    this.rec.last_activity_at = now;
    if (now - this.activityPersistedAt >= this.cfg.activityWriteMs) {
      this.activityPersistedAt = now;
      this.ctx.waitUntil(this.persist());
    }
  }

  // ---- provisioning ----

  /** provision moves off/failed → warming_up and creates one instance; concurrent callers share it. */
  private provision(log: Logger): Promise<void> {
    if (this.provisioning) return this.provisioning;
    if (this.rec.state !== "off" && this.rec.state !== "failed") return Promise.resolve();
    // Everything up to the first await runs as one step: the state below is what a concurrent
    // request sees, so it cannot decide to provision as well.
    const r = this.rec;
    const now = Date.now();
    r.cost_prev_usd += instanceCostUsd(r, now);
    this.patch({
      instance_id: null,
      offer_id: null,
      dph_total: null,
      started_at: null,
      ended_at: null,
      last_activity_at: null,
      next_poll_at: null,
      drain_deadline_at: null,
      error: null,
      error_reported: false,
      provisioning: true,
      warmup_deadline_at: now + this.cfg.warmupTimeoutMs,
      next_reap_at: now + this.cfg.reapIntervalMs,
    });
    this.stopRequested = false;
    this.transition("warming_up");
    this.provisioning = this.createInstance(log).finally(() => {
      this.provisioning = null;
    });
    return this.provisioning;
  }

  private async createInstance(log: Logger): Promise<void> {
    const r = this.rec;
    try {
      await this.persist(); // "provisioning" is on disk before the side effect
      const missing = ["VAST_API_KEY", "ORIGIN_TOKEN"].filter((k) => !this.env[k as keyof Env]);
      if (!this.cfg.image) missing.push("VAST_IMAGE");
      if (!this.cfg.originUrl) missing.push("ORIGIN_URL");
      if (missing.length > 0) throw new ProvisionError("not_configured", `gateway is missing ${missing.join(", ")}`);
      const vast = this.vast(log);
      const offers = rankOffers(await vast.searchOffers(offerQuery(this.cfg)), this.cfg);
      if (offers.length === 0) {
        throw new ProvisionError("no_offers", `no Vast offer matches (GPU RAM ≥ ${this.cfg.minGpuRamGb} GB, reliability ≥ ${this.cfg.minReliability}, ≤ $${this.cfg.maxDph}/h)`);
      }
      let lastErr: unknown;
      for (const offer of offers.slice(0, 3)) {
        let id: number;
        try {
          id = await vast.createInstance(offer.id, createFields(this.cfg, this.env));
        } catch (err) {
          lastErr = err;
          // A 4xx other than auth means this offer is gone or unusable: try the next one.
          if (err instanceof VastError && err.status >= 400 && err.status < 500 && ![401, 403].includes(err.status)) {
            log.warn("offer rejected", { offer_id: offer.id, ...errorFields(err) });
            continue;
          }
          throw err;
        }
        const now = Date.now();
        this.patch({
          instance_id: id,
          offer_id: offer.id,
          dph_total: offer.dph_total,
          started_at: now,
          provisioning: false,
          next_poll_at: now + Math.min(this.cfg.pollIntervalMs, 1000),
        });
        log.info("instance created", { instance_id: id, offer_id: offer.id, dph_total: offer.dph_total, gpu: offer.gpu_name });
        if (this.stopRequested) this.startDrain("stopped");
        await this.save();
        return;
      }
      throw lastErr;
    } catch (err) {
      r.provisioning = false;
      const code = err instanceof ProvisionError ? err.code : err instanceof VastError ? "vast_error" : "provision_failed";
      log.error("provisioning failed", { code, ...errorFields(err) });
      this.setFailed(code, err instanceof Error ? err.message : String(err));
      await this.save();
    }
  }

  // ---- the alarm ----

  override async alarm(): Promise<void> {
    const log = this.log.with({ event: "alarm" });
    try {
      await this.tick(log);
    } catch (err) {
      log.error("alarm step failed", errorFields(err));
    } finally {
      await this.save();
    }
  }

  private async tick(log: Logger): Promise<void> {
    const r = this.rec;
    let now = Date.now();
    if (r.state === "warming_up" && r.instance_id !== null && !this.provisioning) {
      if (now >= r.warmup_deadline_at!) {
        this.setFailed("warmup_timeout", `the GPU worker was not ready within ${this.cfg.warmupTimeoutMs / 1000} s`);
        await this.destroy(r.instance_id, "warmup_timeout", log);
      } else if (now >= r.next_poll_at!) {
        await this.pollWarmup(r.instance_id, log);
      }
    }
    now = Date.now();
    if (this.inflight > 0) this.touch(); // a response still streaming is activity
    if (r.state === "ready") {
      if (now >= lifetimeDeadline(r, this.cfg)!) this.startDrain("max_lifetime");
      else if (now >= idleDeadline(r, this.cfg)!) this.startDrain("idle");
    }
    if (r.state === "draining" && !isDestroying(r, r.instance_id)) {
      if (r.instance_id === null) this.transition("off", { reason: "nothing to destroy" });
      else if (this.inflight === 0 || now >= r.drain_deadline_at!) await this.destroy(r.instance_id, "drained", log);
    }
    await this.verifyDestroys(log);
    if (r.next_reap_at !== null && Date.now() >= r.next_reap_at) await this.reap(log);
  }

  private async pollWarmup(id: number, log: Logger): Promise<void> {
    const r = this.rec;
    const ready = await originReady(this.cfg.originUrl, this.env.ORIGIN_TOKEN ?? "", 5000);
    if (r.state !== "warming_up" || r.instance_id !== id) return;
    if (ready) {
      r.last_activity_at = Date.now();
      this.transition("ready");
      return;
    }
    let inst;
    try {
      inst = await this.vast(log).showInstance(id);
    } catch (err) {
      log.warn("warm-up status check failed", errorFields(err));
      inst = undefined; // unknown: try again next poll
    }
    if (r.state !== "warming_up" || r.instance_id !== id) return;
    const status = String(inst?.actual_status ?? "");
    const msg = String(inst?.status_msg ?? "");
    if (inst === null || FATAL_STATUSES.has(status) || /error/i.test(msg)) {
      const why = inst === null ? "the instance disappeared" : `instance ${status || "failed"}: ${msg}`.trim();
      this.setFailed("instance_failed", why);
      await this.destroy(id, "instance_failed", log);
      return;
    }
    r.next_poll_at = Date.now() + this.cfg.pollIntervalMs;
  }

  private startDrain(reason: string): void {
    this.rec.drain_deadline_at = Date.now() + this.cfg.drainGraceMs;
    this.transition("draining", { reason });
  }

  /** destroy records the pending destroy first, then issues DELETE; verifyDestroys confirms it. */
  private async destroy(id: number, reason: string, log: Logger): Promise<void> {
    const r = this.rec;
    if (id === r.instance_id && r.ended_at === null) r.ended_at = Date.now();
    let d = r.destroying.find((x) => x.id === id);
    if (!d) {
      d = { id, reason, attempts: 0, next_at: Date.now() };
      r.destroying.push(d);
    }
    await this.persist();
    await this.deleteOnce(d, log);
  }

  private async deleteOnce(d: WorkerRecord["destroying"][number], log: Logger): Promise<void> {
    d.attempts++;
    try {
      await this.vast(log).destroyInstance(d.id);
      log.info("destroy issued", { instance_id: d.id, reason: d.reason, attempt: d.attempts });
    } catch (err) {
      log.warn("destroy failed", { instance_id: d.id, attempt: d.attempts, ...errorFields(err) });
    }
    const backoff = this.cfg.destroyCheckMs * 2 ** Math.min(d.attempts - 1, 20);
    d.next_at = Date.now() + Math.min(backoff, this.cfg.destroyBackoffMaxMs);
  }

  private async verifyDestroys(log: Logger): Promise<void> {
    const r = this.rec;
    for (const d of [...r.destroying]) {
      if (Date.now() < d.next_at) continue;
      let inst;
      try {
        inst = await this.vast(log).showInstance(d.id);
      } catch (err) {
        log.warn("destroy check failed", { instance_id: d.id, ...errorFields(err) });
        d.next_at = Date.now() + this.cfg.destroyCheckMs;
        continue;
      }
      if (inst !== null) {
        log.warn("instance still exists after destroy; destroying again", { instance_id: d.id, attempt: d.attempts });
        await this.deleteOnce(d, log);
        continue;
      }
      r.destroying = r.destroying.filter((x) => x.id !== d.id);
      log.info("destroy confirmed", { instance_id: d.id, reason: d.reason });
      if (r.state === "draining" && r.instance_id === d.id) {
        r.cost_prev_usd += instanceCostUsd(r, Date.now());
        this.patch({ instance_id: null, offer_id: null, dph_total: null, started_at: null, ended_at: null });
        this.patch({ last_activity_at: null, drain_deadline_at: null, next_reap_at: Date.now() });
        this.transition("off", { reason: d.reason });
      }
    }
  }

  /** reap destroys every instance carrying our label that is neither current nor already going. */
  private async reap(log: Logger): Promise<void> {
    const r = this.rec;
    if (this.provisioning) {
      // A create may be in flight whose id we do not know yet: look again later.
      r.next_reap_at = Date.now() + this.cfg.reapIntervalMs;
      return;
    }
    let found;
    try {
      found = await this.vast(log).listInstances(this.cfg.label);
    } catch (err) {
      log.warn("orphan list failed", errorFields(err));
      r.next_reap_at = Date.now() + this.cfg.destroyCheckMs;
      return;
    }
    if (this.provisioning) {
      r.next_reap_at = Date.now() + this.cfg.reapIntervalMs;
      return;
    }
    if (r.state === "ready" && r.instance_id !== null && !isDestroying(r, r.instance_id)) {
      // The list doubles as a health check of the current worker (host gone, container exited).
      const cur = found.find((i) => i.id === r.instance_id);
      const status = String(cur?.actual_status ?? "");
      if (!cur || FATAL_STATUSES.has(status)) {
        const id = r.instance_id;
        this.setFailed("instance_lost", cur ? `instance ${status}` : "the instance no longer exists on Vast");
        await this.destroy(id, "instance_lost", log);
      }
    }
    for (const inst of found) {
      if (inst.id === r.instance_id || isDestroying(r, inst.id)) continue;
      log.warn("reaping orphan instance", { instance_id: inst.id, label: inst.label });
      await this.destroy(inst.id, "orphan", log);
    }
    const active = r.state !== "off" || r.destroying.length > 0;
    r.next_reap_at = active ? Date.now() + this.cfg.reapIntervalMs : null;
  }
}

class ProvisionError extends Error {
  override name = "ProvisionError";
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
