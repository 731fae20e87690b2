import { describe, expect, it } from "vitest";
import type { FrameResult, Job } from "../api/types.gen";
import { JobFollower, type JobSource } from "./follow";

const frame = (n: number): FrameResult => ({ frame: n, objects: [] });

function job(state: string, done: number): Job {
  return { job_id: "j", kind: "propagate", state, placement: "local", created_at: "", results_url: "", progress: { done, total: 4, fps: 0, eta_seconds: 0 } };
}

/** A fake engine: job states in order (the last repeats), and streams that
 * each deliver the given batches. */
function source(states: Job[], streams: FrameResult[][][]): JobSource & { afters: number[] } {
  let s = 0;
  let k = 0;
  const afters: number[] = [];
  return {
    afters,
    async job() {
      return states[Math.min(s++, states.length - 1)];
    },
    async *jobStream(_id, after) {
      afters.push(after);
      for (const b of streams[k++] ?? []) yield b;
    },
  };
}

function record() {
  const log: string[] = [];
  const frames: number[] = [];
  let resolve: () => void;
  const ended = new Promise<void>((r) => (resolve = r));
  return {
    log,
    frames,
    ended,
    events: {
      progress: (j: Job) => log.push(`progress ${j.state} ${j.progress.done}`),
      frames: (fr: FrameResult[]) => frames.push(...fr.map((f) => f.frame)),
      done: (j: Job) => (log.push(`done ${j.state}`), resolve()),
      error: (m: string) => (log.push(`error ${m}`), resolve()),
    },
  };
}

describe("JobFollower", () => {
  it("hands over every streamed frame in order and ends when the job has ended", async () => {
    const src = source([job("running", 1), job("running", 3), job("succeeded", 4)], [[[frame(0)], [frame(1), frame(2)], [frame(3)]]]);
    const r = record();
    const f = new JobFollower(src, "j", r.events, { pollMs: 0 });
    await f.run();
    expect(r.frames).toEqual([0, 1, 2, 3]);
    expect(r.log.at(-1)).toBe("done succeeded");
    const progress = r.log.filter((l) => l.startsWith("progress"));
    expect(progress[0]).toBe("progress running 1");
    expect(progress.at(-1)).toBe("progress succeeded 4");
    expect(f.cursor).toBe(3);
  });

  it("opens the stream again after the last frame received when it closes while the job runs", async () => {
    // The first stream closes after two frames although the job runs on.
    const states = [job("running", 2), job("running", 2), job("running", 2), job("succeeded", 4)];
    const src = source(states, [[[frame(0), frame(1)]], [[frame(2), frame(3)]]]);
    const r = record();
    await new JobFollower(src, "j", r.events, { pollMs: 0 }).run();
    expect(src.afters).toEqual([-1, 1]);
    expect(r.frames).toEqual([0, 1, 2, 3]);
  });

  it("starts after a given cursor and follows jobs without frames by their state only", async () => {
    const src = source([job("running", 1), job("failed", 1)], [[[frame(5)]]]);
    const r = record();
    await new JobFollower(src, "j", { ...r.events, frames: undefined }, { pollMs: 0, after: 4 }).run();
    expect(src.afters).toEqual([]);
    expect(r.log).toEqual(["progress running 1", "progress failed 1", "done failed"]);

    const src2 = source([job("succeeded", 4)], [[[frame(5)]]]);
    const r2 = record();
    await new JobFollower(src2, "j", r2.events, { pollMs: 0, after: 4 }).run();
    expect(src2.afters).toEqual([4]);
    expect(r2.frames).toEqual([5]);
  });

  it("reports a failing stream once and stops", async () => {
    const src: JobSource = {
      job: async () => job("running", 0),
      // eslint-disable-next-line require-yield
      async *jobStream() {
        throw new Error("the engine sent a result line that is not JSON");
      },
    };
    const r = record();
    await new JobFollower(src, "j", r.events, { pollMs: 0 }).run();
    expect(r.log.filter((l) => l.startsWith("error"))).toEqual(["error the engine sent a result line that is not JSON"]);
    expect(r.log.some((l) => l.startsWith("done"))).toBe(false);
  });

  it("says nothing more once detached", async () => {
    const src = source([job("running", 0)], [[]]);
    const r = record();
    const f = new JobFollower(src, "j", { ...r.events, frames: undefined }, { pollMs: 1 });
    const running = f.run();
    await new Promise((res) => setTimeout(res, 5));
    f.detach();
    const n = r.log.length;
    await running;
    expect(r.log.length).toBe(n);
    expect(r.log.some((l) => l.startsWith("done"))).toBe(false);
  });
});
