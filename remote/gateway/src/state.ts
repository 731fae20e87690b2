// The persisted worker record and the pure functions over it: which deadline comes next, what the
// worker has cost, and the public view served by GET /v1/worker.
//
// Lifecycle (DESIGN.md §6): off → warming_up → ready → draining → off, and failed from any state.

import type { Config } from "./config.js";

export type WorkerState = "off" | "warming_up" | "ready" | "draining" | "failed";

export interface ErrorInfo {
  code: string;
  message: string;
  at: number; // epoch ms
}

/** An instance we have asked Vast to destroy and will keep checking until show returns null. */
export interface PendingDestroy {
  id: number;
  reason: string;
  attempts: number; // DELETE calls made so far
  next_at: number; // when to check (and if still there, delete) again
}

export interface WorkerRecord {
  state: WorkerState;
  since: number; // when the current state was entered
  instance_id: number | null;
  offer_id: number | null;
  dph_total: number | null;
  started_at: number | null; // when the current instance was created
  ended_at: number | null; // when its destroy was issued (stops the cost clock)
  last_activity_at: number | null; // last proxied request
  warmup_deadline_at: number | null;
  next_poll_at: number | null;
  drain_deadline_at: number | null;
  provisioning: boolean; // persisted before create; true after a restart means "interrupted"
  error: ErrorInfo | null;
  error_reported: boolean; // failed: a client has seen the error; the next request re-provisions
  destroying: PendingDestroy[];
  next_reap_at: number | null;
  cost_prev_usd: number; // cost of instances already given up
}

export function initialRecord(now: number): WorkerRecord {
  return {
    state: "off",
    since: now,
    instance_id: null,
    offer_id: null,
    dph_total: null,
    started_at: null,
    ended_at: null,
    last_activity_at: null,
    warmup_deadline_at: null,
    next_poll_at: null,
    drain_deadline_at: null,
    provisioning: false,
    error: null,
    error_reported: false,
    destroying: [],
    next_reap_at: null,
    cost_prev_usd: 0,
  };
}

/** instanceCostUsd = dph_total × hours from create to destroy (or now). */
export function instanceCostUsd(r: WorkerRecord, now: number): number {
  if (r.dph_total === null || r.started_at === null) return 0;
  const end = r.ended_at ?? now;
  return (r.dph_total * Math.max(0, end - r.started_at)) / 3_600_000;
}

export function idleDeadline(r: WorkerRecord, cfg: Config): number | null {
  return r.last_activity_at === null ? null : r.last_activity_at + cfg.idleTimeoutMs;
}

export function lifetimeDeadline(r: WorkerRecord, cfg: Config): number | null {
  return r.started_at === null ? null : r.started_at + cfg.maxLifetimeMs;
}

export function isDestroying(r: WorkerRecord, id: number | null): boolean {
  return id !== null && r.destroying.some((d) => d.id === id);
}

/** nextAlarmAt is the earliest deadline the alarm must wake for, or null when nothing is pending. */
export function nextAlarmAt(r: WorkerRecord, cfg: Config): number | null {
  const times: (number | null)[] = [r.next_reap_at, ...r.destroying.map((d) => d.next_at)];
  switch (r.state) {
    case "warming_up":
      if (r.instance_id !== null) times.push(r.next_poll_at, r.warmup_deadline_at);
      break;
    case "ready":
      times.push(idleDeadline(r, cfg), lifetimeDeadline(r, cfg));
      break;
    case "draining":
      if (!isDestroying(r, r.instance_id)) times.push(r.drain_deadline_at);
      break;
  }
  const valid = times.filter((t): t is number => t !== null && Number.isFinite(t));
  return valid.length === 0 ? null : Math.min(...valid);
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** WorkerView is the body of GET /v1/worker (and of wake/stop). */
export interface WorkerView {
  state: WorkerState;
  instance_id: number | null;
  offer_id: number | null;
  since: string;
  dph_total: number | null;
  cost_usd: number;
  cost_total_usd: number;
  last_error: { code: string; message: string; at: string } | null;
  deadlines: { warmup: string | null; idle: string | null; max_lifetime: string | null };
  pending_destroys: number[];
}

export function view(r: WorkerRecord, cfg: Config, now: number): WorkerView {
  const cost = instanceCostUsd(r, now);
  const live = r.state === "ready" || r.state === "draining";
  return {
    state: r.state,
    instance_id: r.instance_id,
    offer_id: r.offer_id,
    since: iso(r.since)!,
    dph_total: r.dph_total,
    cost_usd: round(cost),
    cost_total_usd: round(r.cost_prev_usd + cost),
    last_error: r.error ? { code: r.error.code, message: r.error.message, at: iso(r.error.at)! } : null,
    deadlines: {
      warmup: r.state === "warming_up" ? iso(r.warmup_deadline_at) : null,
      idle: r.state === "ready" ? iso(idleDeadline(r, cfg)) : null,
      max_lifetime: live ? iso(lifetimeDeadline(r, cfg)) : null,
    },
    pending_destroys: r.destroying.map((d) => d.id),
  };
}
