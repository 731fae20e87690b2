import { describe, expect, it } from "vitest";
import type { VideoSession } from "../api/types.gen";
import { pickLive, promptedFrames, SessionMemo } from "./sessions";

function session(id: string, kind: string, created: string, over: Partial<VideoSession> = {}): VideoSession {
  return { session_id: id, kind, media_id: "m", frames: 10, fps: 25, width: 4, height: 4, model: "demo", model_label: "", created_at: created, objects: [], ...over };
}

class MemoryStore {
  readonly items = new Map<string, string>();
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.items.set(k, v);
  }
  removeItem(k: string) {
    this.items.delete(k);
  }
}

describe("pickLive", () => {
  const list = [
    session("old", "points", "2026-01-01T00:00:00Z"),
    session("ended", "points", "2026-01-03T00:00:00Z", { ended: true }),
    session("concept", "concept", "2026-01-04T00:00:00Z"),
    session("new", "points", "2026-01-02T00:00:00Z"),
  ];

  it("takes the newest session of the kind that has not ended", () => {
    expect(pickLive(list, "points")?.session_id).toBe("new");
    expect(pickLive(list, "concept")?.session_id).toBe("concept");
  });

  it("finds none when every session of the kind has ended", () => {
    expect(pickLive([session("a", "concept", "2026-01-01T00:00:00Z", { ended: true })], "concept")).toBeNull();
    expect(pickLive([], "points")).toBeNull();
  });
});

describe("promptedFrames", () => {
  it("joins the prompted frames of every object", () => {
    expect([...promptedFrames(session("s", "points", "", { prompted: { "1": [0, 50], "2": [50, 90] } }))].sort((a, b) => a - b)).toEqual([0, 50, 90]);
    expect(promptedFrames(null).size).toBe(0);
  });
});

describe("SessionMemo", () => {
  it("keeps the concept tracks and the followed job of a session", () => {
    const store = new MemoryStore();
    const memo = new SessionMemo(store, "vs_1");
    expect(memo.tracks().size).toBe(0);
    expect(memo.job()).toBeNull();
    memo.saveTracks(new Map([[1, 4], [2, 5]]));
    memo.saveJob({ jobId: "job_9", cursor: 41 });
    const again = new SessionMemo(store, "vs_1");
    expect([...again.tracks()]).toEqual([[1, 4], [2, 5]]);
    expect(again.job()).toEqual({ jobId: "job_9", cursor: 41 });
    again.saveJob({ jobId: "job_9", cursor: 41, only: 3 });
    expect(memo.job()).toEqual({ jobId: "job_9", cursor: 41, only: 3 });
    expect(new SessionMemo(store, "vs_2").job()).toBeNull();
    again.saveJob(null);
    expect(memo.job()).toBeNull();
  });

  it("ignores what it cannot read", () => {
    const store = new MemoryStore();
    store.setItem("samwise.concept-tracks.vs_1", "{not json");
    store.setItem("samwise.followed-job.vs_1", '{"jobId": 3}');
    const memo = new SessionMemo(store, "vs_1");
    expect(memo.tracks().size).toBe(0);
    expect(memo.job()).toBeNull();
    store.setItem("samwise.followed-job.vs_1", '{"jobId": "job_1", "cursor": 4, "only": "3"}');
    expect(memo.job()).toBeNull();
  });
});
