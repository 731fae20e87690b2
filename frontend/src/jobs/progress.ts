// How a job's progress reads: counts in its unit (frames, images or bytes),
// rate, time left, its end state, and where it runs (local, or a remote
// worker with its state, elapsed time and cost).
import type { Job } from "../api/types.gen";

export type JobUnit = "frames" | "images" | "bytes";

const ended = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

export function isEnded(state: string): boolean {
  return ended.has(state);
}

/** States that POST /v1/jobs/{id}/resume continues from. */
export function canResume(state: string): boolean {
  return state === "failed" || state === "cancelled" || state === "interrupted";
}

/** 7 → "0:07", 125 → "2:05", 3723 → "1:02:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** Sizes in decimal units, as download sizes are usually given. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${Math.round(n)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

function amount(n: number, unit: JobUnit): string {
  return unit === "bytes" ? formatBytes(n) : `${n} ${n === 1 ? unit.slice(0, -1) : unit}`;
}

function counts(done: number, total: number, unit: JobUnit): string {
  if (unit === "bytes") return total ? `${formatBytes(done)} / ${formatBytes(total)}` : formatBytes(done);
  return total ? `${done} / ${total} ${unit}` : amount(done, unit);
}

export function formatRate(perSecond: number, unit: JobUnit): string {
  if (unit === "bytes") return `${formatBytes(perSecond)}/s`;
  return `${perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond)} ${unit}/s`;
}

/** Measures a rate from (time, done) observations over the last window,
 * for jobs whose progress carries none. */
export class RateMeter {
  private samples: { t: number; done: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  observe(tMs: number, done: number): void {
    const last = this.samples.at(-1);
    if (last && done < last.done) this.samples = []; // restarted (resumed)
    this.samples.push({ t: tMs, done });
    while (this.samples.length > 2 && tMs - this.samples[0].t > this.windowMs) this.samples.shift();
  }

  /** Units per second; 0 until two observations differ in time. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.done - first.done) * 1000) / (last.t - first.t);
  }
}

/** The job's rate: the engine's (progress.fps), else the measured one. */
export function rateOf(job: Job, measured = 0): number {
  return job.progress.fps > 0 ? job.progress.fps : measured;
}

/** Seconds left: the engine's estimate, else computed from the rate. */
export function etaOf(job: Job, rate: number): number | null {
  const { done, total, eta_seconds } = job.progress;
  if (eta_seconds > 0) return eta_seconds;
  if (rate > 0 && total > done) return (total - done) / rate;
  return null;
}

/** One line: state, counts, rate and ETA, or how the job ended. */
export function progressText(job: Job, unit: JobUnit, measuredRate = 0): string {
  const { done, total } = job.progress;
  switch (job.state) {
    case "queued":
      return "queued";
    case "succeeded":
      return `done: ${amount(unit === "bytes" ? total || done : done, unit)}`;
    case "cancelled":
    case "interrupted":
      return unit === "frames" ? `${job.state} (${amount(done, unit)} kept)` : `${job.state} at ${counts(done, total, unit)}`;
    case "failed":
      return `failed: ${job.error ?? "no reason given"}${done ? ` (${counts(done, total, unit)} done)` : ""}`;
  }
  const parts = [counts(done, total, unit)];
  const rate = rateOf(job, measuredRate);
  if (rate > 0) parts.push(formatRate(rate, unit));
  const eta = etaOf(job, rate);
  if (eta !== null) parts.push(`ETA ${formatDuration(eta)}`);
  return parts.join(" · ");
}

/** The part done, 0 to 1, or null when the total is unknown. */
export function fractionOf(job: Job): number | null {
  const { done, total } = job.progress;
  if (job.state === "succeeded") return 1;
  return total > 0 ? Math.min(1, done / total) : null;
}

/** Where the job runs: "local", or "remote" with the worker's state,
 * instance, GPU and price, how far the remote run got, the frames it made,
 * elapsed time and cost, and why the rest ran locally if it fell back. */
export function placementText(job: Job): string {
  const where = job.placement || "local";
  const r = job.remote;
  if (!r) return where;
  const parts = [where, `worker ${words(r.worker_state)}`];
  if (r.instance) parts.push(r.instance);
  if (r.gpu) parts.push(r.dph ? `${r.gpu} at ${formatDollars(r.dph)}/h` : r.gpu);
  if (r.stage) parts.push(words(r.stage));
  if (r.frames_remote) parts.push(`${r.frames_remote} frames remote`);
  if (r.workers_lost) parts.push(`${r.workers_lost} worker${r.workers_lost === 1 ? "" : "s"} lost and replaced (${r.lost})`);
  parts.push(formatDuration(r.elapsed_s), formatDollars(r.cost_usd));
  if (r.fallback) parts.push(`ran locally: ${r.fallback}`);
  return parts.join(" · ");
}

function words(s: string): string {
  return s.replace(/_/g, " ");
}

export function formatDollars(v: number): string {
  return `$${v < 1 ? v.toFixed(3) : v.toFixed(2)}`;
}
