// A propagation job followed to its end: progress from GET /v1/jobs/{id},
// frames from GET /v1/jobs/{id}/results (paged after a cursor), handed to
// the caller as they come. Cancel keeps every frame already received.
import type { FrameResult, Job } from "../api/types.gen";
import type { VideoApi } from "./videoApi";

export interface PropagationEvents {
  progress(job: Job): void;
  frames(frames: FrameResult[]): void;
  done(job: Job): void;
  error(message: string): void;
}

const finished = new Set(["succeeded", "failed", "cancelled", "interrupted"]);

export class Propagation {
  private stopped = false;
  private cursor: number | null = null;

  constructor(
    private readonly api: VideoApi,
    readonly jobId: string,
    private readonly on: PropagationEvents,
    private readonly pollMs = 300,
  ) {}

  async run(): Promise<void> {
    try {
      for (;;) {
        const job = await this.api.job(this.jobId);
        this.on.progress(job);
        await this.drain();
        if (finished.has(job.state)) {
          await this.drain();
          this.on.done(job);
          return;
        }
        if (this.stopped) return;
        await new Promise((r) => setTimeout(r, this.pollMs));
      }
    } catch (e) {
      this.on.error((e as Error).message);
    }
  }

  /** Reads every result page available now. */
  private async drain(): Promise<void> {
    for (;;) {
      const page = await this.api.jobResults(this.jobId, this.cursor);
      if (page.frames.length) this.on.frames(page.frames);
      if (page.next === null || page.next === this.cursor || !page.frames.length) {
        if (page.next !== null) this.cursor = page.next;
        return;
      }
      this.cursor = page.next;
    }
  }

  async cancel(): Promise<void> {
    await this.api.cancel(this.jobId);
  }

  /** Stops following (the view closed); the job goes on in the engine. */
  detach(): void {
    this.stopped = true;
  }
}
