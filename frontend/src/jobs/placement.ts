// Where a propagation runs under the engine's `burst: ask` policy
// (docs/remote.md): a job estimated over the threshold is answered 409
// placement_required with the estimate in error.details; the user sees the
// local time, the GPU worker's time and cost, and the request is sent again
// with "placement": "local" or "remote". Nothing is queued by the 409.
import { ApiError } from "../api/client";
import type { PlacementEstimate } from "../api/types.gen";
import { formatDollars, formatDuration } from "./progress";

export type Placement = "local" | "remote";

/** Asks the user where to run; null when they cancel. */
export type ChoosePlacement = (estimate: PlacementEstimate) => Promise<Placement | null>;

/** The estimate of a 409 placement_required answer, else null. */
export function placementRequired(e: unknown): PlacementEstimate | null {
  if (!(e instanceof ApiError) || e.status !== 409 || e.code !== "placement_required") return null;
  const d = e.details as PlacementEstimate | undefined;
  return d && typeof d === "object" && typeof d.local_s === "number" ? d : null;
}

/** Sends a request without a placement (the policy decides); when the
 * engine asks, lets the user choose and sends it again with the choice.
 * Answers null when the user cancelled. */
export async function withPlacement<T>(send: (placement?: Placement) => Promise<T>, choose: ChoosePlacement): Promise<T | null> {
  try {
    return await send();
  } catch (e) {
    const est = placementRequired(e);
    if (!est) throw e;
    const choice = await choose(est);
    return choice ? send(choice) : null;
  }
}

/** The dialog's lines: the work, the time here, the time and cost on the
 * GPU worker (or why there is none). */
export function describeEstimate(e: PlacementEstimate): { work: string; local: string; remote: string } {
  const objects = `${e.objects} object${e.objects === 1 ? "" : "s"}`;
  const work = `${e.frames} frame${e.frames === 1 ? "" : "s"} × ${objects}, over the ${threshold(e.threshold_s)} threshold`;
  const speed = e.measured ? `${e.seconds_per_frame_object.toFixed(2)} s per frame and object, measured` : "not measured yet";
  const local = `Here: about ${formatDuration(e.local_s)} (${speed})`;
  if (!e.remote_available) return { work, local, remote: "GPU worker: none configured (see docs/remote.md)" };
  const warm = e.warmup_s ? `, ${formatDuration(e.warmup_s)} of it starting the worker` : "";
  const state = e.worker_state ? `; worker ${e.worker_state.replace(/_/g, " ")}` : "";
  const price = e.dph ? ` at ${formatDollars(e.dph)}/h` : "";
  const remote = `GPU worker: about ${formatDuration(e.remote_s ?? e.local_s)}${warm}, about ${formatDollars(e.cost_usd ?? 0)}${price}${state}`;
  return { work, local, remote };
}

/** Thresholds can be under a second (tests, tiny jobs): 0.001 s, 2.5 s, 10:00. */
function threshold(s: number): string {
  return s < 10 ? `${Number(s.toPrecision(2))} s` : formatDuration(s);
}
