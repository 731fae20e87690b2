import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/client";
import type { PlacementEstimate } from "../api/types.gen";
import { describeEstimate, placementRequired, withPlacement, type Placement } from "./placement";

const estimate: PlacementEstimate = {
  frames: 250,
  objects: 2,
  local_s: 750,
  seconds_per_frame_object: 1.5,
  measured: true,
  policy: "ask",
  threshold_s: 600,
  placement: "local",
  needs_confirmation: true,
  remote_available: true,
  worker_state: "off",
  warmup_s: 120,
  remote_s: 180,
  dph: 0.4,
  cost_usd: 0.02,
};
const asks = () => new ApiError(409, "placement_required", 'estimated 12:30 here: send "placement": "remote" or "local"', estimate);

/** A propagate endpoint under burst: ask: without a placement it asks. */
function endpoint() {
  const calls: (Placement | undefined)[] = [];
  const send = vi.fn(async (placement?: Placement) => {
    calls.push(placement);
    if (!placement) throw asks();
    return { job_id: `job-${placement}` };
  });
  return { calls, send };
}

describe("placement under burst: ask", () => {
  it("repeats the request with the user's choice", async () => {
    for (const choice of ["local", "remote"] as const) {
      const { calls, send } = endpoint();
      const choose = vi.fn(async () => choice);
      expect(await withPlacement(send, choose)).toEqual({ job_id: `job-${choice}` });
      expect(calls).toEqual([undefined, choice]);
      expect(choose).toHaveBeenCalledWith(estimate);
    }
  });

  it("sends nothing more when the user cancels", async () => {
    const { calls, send } = endpoint();
    expect(await withPlacement(send, async () => null)).toBeNull();
    expect(calls).toEqual([undefined]);
  });

  it("does not ask when the policy placed the job, and passes other errors on", async () => {
    const choose = vi.fn(async () => "local" as const);
    expect(await withPlacement(async () => "queued", choose)).toBe("queued");
    const conflict = new ApiError(409, "conflict", "a job is running on this session");
    await expect(withPlacement(async () => Promise.reject(conflict), choose)).rejects.toBe(conflict);
    expect(choose).not.toHaveBeenCalled();
  });

  it("reads the estimate only from a placement_required answer", () => {
    expect(placementRequired(asks())).toEqual(estimate);
    expect(placementRequired(new ApiError(409, "placement_required", "no details"))).toBeNull();
    expect(placementRequired(new ApiError(400, "invalid_argument", "x", estimate))).toBeNull();
    expect(placementRequired(new Error("placement_required"))).toBeNull();
  });

  it("describes the local time, the GPU time with its warm-up, and the cost", () => {
    const d = describeEstimate(estimate);
    expect(d.work).toBe("250 frames × 2 objects, over the 10:00 threshold");
    expect(d.local).toBe("Here: about 12:30 (1.50 s per frame and object, measured)");
    expect(d.remote).toBe("GPU worker: about 3:00, 2:00 of it starting the worker, about $0.020 at $0.400/h; worker off");
    const none = describeEstimate({ ...estimate, remote_available: false, measured: false, objects: 1, frames: 1 });
    expect(none.work).toBe("1 frame × 1 object, over the 10:00 threshold");
    expect(describeEstimate({ ...estimate, threshold_s: 0.001 }).work).toBe("250 frames × 2 objects, over the 0.001 s threshold");
    expect(none.local).toBe("Here: about 12:30 (not measured yet)");
    expect(none.remote).toMatch(/none configured/);
  });
});
