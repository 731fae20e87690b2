import { describe, expect, it } from "vitest";
import type { Job } from "../api/types.gen";
import { canResume, etaOf, formatBytes, formatDuration, fractionOf, placementText, progressText, RateMeter } from "./progress";

type Remote = NonNullable<Job["remote"]>;

function job(over: Partial<Job> = {}, progress: Partial<Job["progress"]> = {}): Job {
  return {
    job_id: "job_1",
    kind: "propagate",
    state: "running",
    placement: "local",
    created_at: "2026-01-01T00:00:00Z",
    results_url: "/v1/jobs/job_1/results",
    ...over,
    progress: { done: 0, total: 0, fps: 0, eta_seconds: 0, ...progress },
  };
}

describe("formatting", () => {
  it("formats durations as m:ss or h:mm:ss", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(7.4)).toBe("0:07");
    expect(formatDuration(125)).toBe("2:05");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(-1)).toBe("—");
    expect(formatDuration(Infinity)).toBe("—");
  });

  it("formats sizes in decimal units with three significant digits", () => {
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1500)).toBe("1.50 KB");
    expect(formatBytes(23_456_000)).toBe("23.5 MB");
    expect(formatBytes(412_000_000)).toBe("412 MB");
    expect(formatBytes(1_234_000_000)).toBe("1.23 GB");
  });
});

describe("progressText", () => {
  it("shows counts, the engine's rate and ETA while running", () => {
    expect(progressText(job({}, { done: 40, total: 160, fps: 12.34, eta_seconds: 9.7 }), "frames")).toBe("40 / 160 frames · 12.3 frames/s · ETA 0:10");
    expect(progressText(job({}, { done: 1, total: 5, fps: 2, eta_seconds: 2 }), "images")).toBe("1 / 5 images · 2.0 images/s · ETA 0:02");
  });

  it("shows bytes as MB/s and computes the ETA from a measured rate when the engine gives none", () => {
    const j = job({ kind: "model_pull" }, { done: 412_000_000, total: 1_200_000_000 });
    expect(progressText(j, "bytes", 23_400_000)).toBe("412 MB / 1.20 GB · 23.4 MB/s · ETA 0:34");
    expect(progressText(j, "bytes")).toBe("412 MB / 1.20 GB");
  });

  it("says how a job ended", () => {
    expect(progressText(job({ state: "succeeded" }, { done: 160, total: 160 }), "frames")).toBe("done: 160 frames");
    expect(progressText(job({ state: "succeeded" }, { done: 1, total: 1 }), "images")).toBe("done: 1 image");
    expect(progressText(job({ state: "cancelled" }, { done: 37, total: 160 }), "frames")).toBe("cancelled (37 frames kept)");
    expect(progressText(job({ state: "cancelled" }, { done: 2_000_000, total: 4_000_000 }), "bytes")).toBe("cancelled at 2.00 MB / 4.00 MB");
    expect(progressText(job({ state: "failed", error: "hub: no such host" }), "bytes")).toBe("failed: hub: no such host");
    expect(progressText(job({ state: "failed", error: "disk full" }, { done: 3, total: 5 }), "images")).toBe("failed: disk full (3 / 5 images done)");
    expect(progressText(job({ state: "queued" }), "frames")).toBe("queued");
  });

  it("knows which ends can be resumed and what fraction is done", () => {
    expect(["failed", "cancelled", "interrupted", "succeeded", "running"].filter(canResume)).toEqual(["failed", "cancelled", "interrupted"]);
    expect(fractionOf(job({}, { done: 1, total: 4 }))).toBe(0.25);
    expect(fractionOf(job({}, { done: 1, total: 0 }))).toBeNull();
    expect(fractionOf(job({ state: "succeeded" }, { done: 0, total: 0 }))).toBe(1);
    expect(etaOf(job({}, { done: 10, total: 10 }), 5)).toBeNull();
  });
});

describe("RateMeter", () => {
  it("measures units per second over its window and restarts when the count goes back", () => {
    const m = new RateMeter(10_000);
    expect(m.rate()).toBe(0);
    m.observe(0, 0);
    m.observe(1000, 5_000_000);
    expect(m.rate()).toBe(5_000_000);
    m.observe(2000, 6_000_000);
    expect(m.rate()).toBe(3_000_000);
    // Old samples leave the window: the rate is the recent one.
    m.observe(20_000, 6_000_000);
    m.observe(21_000, 8_000_000);
    expect(m.rate()).toBe(2_000_000);
    m.observe(22_000, 100); // a resumed job counts again
    expect(m.rate()).toBe(0);
  });
});

describe("placementText", () => {
  const remote = (r: Partial<Remote>): Remote => ({ worker_state: "ready", elapsed_s: 0, cost_usd: 0, frames_remote: 0, ...r });

  it("is the placement for local jobs and adds the worker for remote ones", () => {
    expect(placementText(job())).toBe("local");
    expect(placementText(job({ placement: "remote", remote: remote({ worker_state: "warming_up", elapsed_s: 83, cost_usd: 0.0123 }) }))).toBe("remote · worker warming up · 1:23 · $0.012");
    expect(placementText(job({ placement: "remote", remote: remote({ instance: "vast-123", elapsed_s: 4000, cost_usd: 1.5 }) }))).toBe("remote · worker ready · vast-123 · 1:06:40 · $1.50");
  });

  it("adds the GPU and its price, the stage, the frames done remotely and a fallback when the engine reports them", () => {
    const r = remote({ gpu: "RTX 4090", dph: 0.42, stage: "tracking", elapsed_s: 30, cost_usd: 0.01, frames_remote: 120 });
    expect(placementText(job({ placement: "remote", remote: r }))).toBe("remote · worker ready · RTX 4090 at $0.420/h · tracking · 120 frames remote · 0:30 · $0.010");
    const fell = remote({ worker_state: "failed", stage: "fell_back", fallback: "the worker stopped answering", elapsed_s: 5, cost_usd: 0.001, frames_remote: 40 });
    expect(placementText(job({ placement: "remote", remote: fell }))).toBe("remote · worker failed · fell back · 40 frames remote · 0:05 · $0.001 · ran locally: the worker stopped answering");
  });

  it("says how many workers were lost and replaced, and why", () => {
    const r = remote({ stage: "tracking", frames_remote: 64, workers_lost: 1, lost: "worker lost after 64 frames", elapsed_s: 90, cost_usd: 0.02 });
    expect(placementText(job({ placement: "remote", remote: r }))).toBe("remote · worker ready · tracking · 64 frames remote · 1 worker lost and replaced (worker lost after 64 frames) · 1:30 · $0.020");
  });
});
