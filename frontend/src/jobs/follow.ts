// A job followed to its end: its state and progress polled from
// GET /v1/jobs/{id}, and, for jobs that produce frames, its results read as
// an NDJSON stream (GET /v1/jobs/{id}/results) and handed over in batches
// as they arrive. The cursor counts what was received, so a stream that
// closes early continues where it stopped, and a follower started later
// (a reopened video) can skip what was applied before.
import type { FrameResult, Job } from "../api/types.gen";
import { isEnded } from "./progress";

export interface JobSource {
  job(id: string): Promise<Job>;
  jobStream(id: string, after: number, signal: AbortSignal): AsyncIterable<FrameResult[]>;
}

export interface FollowEvents {
  progress(job: Job): void;
  /** Present for jobs whose results are frames (propagation, concepts). */
  frames?(frames: FrameResult[]): void;
  /** The job ended (succeeded, failed, cancelled, interrupted) and every
   * frame it wrote was handed over. */
  done(job: Job): void;
  error(message: string): void;
}

export class JobFollower {
  /** Sequence number of the last result received (-1: none). */
  cursor: number;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly src: JobSource,
    readonly jobId: string,
    private readonly on: FollowEvents,
    opts: { after?: number; pollMs?: number } = {},
  ) {
    this.cursor = opts.after ?? -1;
    this.pollMs = opts.pollMs ?? 400;
  }

  private readonly pollMs: number;

  async run(): Promise<void> {
    try {
      const [job] = await Promise.all([this.poll(), this.on.frames ? this.stream() : null]);
      if (!this.stopped) this.on.done(job);
    } catch (e) {
      if (this.stopped) return;
      this.detach();
      this.on.error((e as Error).message ?? String(e));
    }
  }

  /** Stops following (the view closed); the job goes on in the engine. */
  detach(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async poll(): Promise<Job> {
    for (;;) {
      const job = await this.src.job(this.jobId);
      if (this.stopped) return job;
      this.on.progress(job);
      if (isEnded(job.state)) return job;
      await sleep(this.pollMs);
    }
  }

  private async stream(): Promise<void> {
    for (;;) {
      for await (const batch of this.src.jobStream(this.jobId, this.cursor, this.abort.signal)) {
        if (this.stopped) return;
        this.cursor += batch.length;
        this.on.frames!(batch);
      }
      if (this.stopped) return;
      // The engine closes the stream once the job has ended; closed
      // earlier (a proxy, the network), it is opened again after the cursor.
      if (isEnded((await this.src.job(this.jobId)).state)) return;
      await sleep(this.pollMs);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
