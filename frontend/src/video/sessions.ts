// Reopening a video continues its sessions: the newest live (not ended)
// points session and concept session are used again instead of new ones,
// so their prompts, tracker memory and results carry on. What the UI keeps
// per session in localStorage: the concept tracks' object ids, and the job
// it was following (with how far it got) so a reopened video picks the job
// up where it left off.
import type { Store } from "../editor/journal";
import type { TrackMap } from "../editor/concepts";
import type { VideoSession } from "../api/types.gen";

/** The newest session of a kind that has not ended, or null. */
export function pickLive(sessions: VideoSession[], kind: "points" | "concept"): VideoSession | null {
  const live = sessions.filter((s) => s.kind === kind && !s.ended);
  live.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return live[0] ?? null;
}

/** The frames that carry prompts, of any object. */
export function promptedFrames(s: VideoSession | null): Set<number> {
  return new Set(Object.values(s?.prompted ?? {}).flat());
}

/** A job being followed and the results cursor reached; only: the one
 * object whose results it applies (all when absent). */
export interface FollowedJob {
  jobId: string;
  cursor: number;
  only?: number;
}

/** What the UI remembers about one session. */
export class SessionMemo {
  constructor(
    private readonly store: Store,
    readonly sessionId: string,
  ) {}

  private get tracksKey(): string {
    return `samwise.concept-tracks.${this.sessionId}`;
  }

  private get jobKey(): string {
    return `samwise.followed-job.${this.sessionId}`;
  }

  tracks(): TrackMap {
    try {
      const pairs = JSON.parse(this.store.getItem(this.tracksKey) ?? "[]") as [number, number][];
      return new Map(pairs.filter((p) => Array.isArray(p) && p.length === 2));
    } catch {
      return new Map();
    }
  }

  saveTracks(map: TrackMap): void {
    this.store.setItem(this.tracksKey, JSON.stringify([...map]));
  }

  job(): FollowedJob | null {
    try {
      const j = JSON.parse(this.store.getItem(this.jobKey) ?? "null") as FollowedJob | null;
      return j && typeof j.jobId === "string" && typeof j.cursor === "number" && (j.only === undefined || typeof j.only === "number") ? j : null;
    } catch {
      return null;
    }
  }

  saveJob(j: FollowedJob | null): void {
    if (j) this.store.setItem(this.jobKey, JSON.stringify(j));
    else this.store.removeItem(this.jobKey);
  }
}
