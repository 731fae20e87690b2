// A job's progress bar: what runs, how far it is (counts, rate, ETA), where
// it runs (local, or a remote worker with its state, time and cost), and
// Cancel while it runs, Resume after it failed or was cancelled. It follows
// the job (src/jobs/follow.ts) and hands its frames to the caller.
import type { Engine } from "../api/engine";
import type { FrameResult, Job } from "../api/types.gen";
import { el, replace } from "../view/dom";
import { JobFollower } from "./follow";
import { canResume, fractionOf, isEnded, placementText, progressText, RateMeter, type JobUnit } from "./progress";

export interface JobOptions {
  /** What the job does, e.g. "Propagate ▶" or "Download sam3-tracker". */
  label: string;
  unit: JobUnit;
  /** Receives the job's frames as they are written (jobs with frames). */
  frames?: (frames: FrameResult[]) => void;
  /** Called once the job has ended, however it ended. */
  ended?: (job: Job) => void;
  /** Follow from this results cursor (frames up to it were applied). */
  after?: number;
}

export class JobBar {
  readonly root = el("div", { class: "job-bar", hidden: true, role: "status" });
  job: Job | null = null;
  private follower: JobFollower | null = null;
  private opts: JobOptions | null = null;
  private meter = new RateMeter();
  private cursor = -1;

  constructor(
    private readonly engine: Engine,
    private readonly onError: (message: string) => void,
    /** Called when a job starts or ends (to enable or disable controls). */
    private readonly onRunning: () => void = () => {},
  ) {}

  get running(): boolean {
    return this.follower !== null;
  }

  follow(jobId: string, opts: JobOptions): void {
    this.follower?.detach();
    this.opts = opts;
    this.meter = new RateMeter();
    this.job = null;
    const f = new JobFollower(
      { job: (id) => this.engine.job(id), jobStream: (id, after, signal) => this.engine.jobStream(id, after, signal) },
      jobId,
      {
        progress: (j) => {
          this.job = j;
          this.meter.observe(performance.now(), j.progress.done);
          this.render();
        },
        frames: opts.frames,
        done: (j) => {
          this.finish(f, j);
          opts.ended?.(j);
        },
        error: (m) => {
          this.finish(f, this.job);
          this.onError(m);
        },
      },
      { after: opts.after },
    );
    this.follower = f;
    this.root.hidden = false;
    this.root.dataset.jobId = jobId;
    this.render();
    this.onRunning();
    void f.run();
  }

  private finish(f: JobFollower, job: Job | null): void {
    this.cursor = f.cursor;
    this.follower = null;
    this.job = job;
    this.render();
    this.onRunning();
  }

  async cancel(): Promise<void> {
    const id = this.follower?.jobId;
    if (!id) return;
    try {
      this.job = await this.engine.cancelJob(id);
      this.render();
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  /** POST /v1/jobs/{id}/resume and follow the job again after the frames
   * already received. */
  async resume(): Promise<void> {
    const old = this.job;
    if (!old || !this.opts || this.running) return;
    try {
      const acc = await this.engine.resumeJob(old.job_id);
      this.follow(acc.job_id, { ...this.opts, after: acc.job_id === old.job_id ? this.cursor : -1 });
    } catch (e) {
      this.onError((e as Error).message);
    }
  }

  /** Stops following (the job goes on); returns where it was. */
  detach(): { jobId: string; cursor: number } | null {
    const f = this.follower;
    if (!f) return null;
    f.detach();
    this.follower = null;
    return { jobId: f.jobId, cursor: f.cursor };
  }

  private render(): void {
    const j = this.job;
    const opts = this.opts;
    if (!opts) return;
    const running = this.running;
    this.root.dataset.state = j?.state ?? "starting";
    const fraction = j ? fractionOf(j) : null;
    const bar = el("progress", { max: 1, "aria-label": `${opts.label} progress` });
    if (fraction !== null) bar.value = fraction;
    replace(
      this.root,
      el("span", { class: "job-label" }, opts.label),
      running || j?.state === "succeeded" ? bar : null,
      el("span", { class: "job-text" }, !j ? "starting…" : running && isEnded(j.state) ? "receiving the last results…" : progressText(j, opts.unit, this.meter.rate())),
      j ? el("span", { class: `job-place ${j.placement || "local"}`, title: "Where the job runs" }, placementText(j)) : null,
      running ? el("button", { class: "small job-cancel", title: "Stop (what is done is kept)", onclick: () => void this.cancel() }, "Cancel") : null,
      !running && j && canResume(j.state) ? el("button", { class: "small job-resume", title: "Continue after what is done", onclick: () => void this.resume() }, "Resume") : null,
    );
  }
}
