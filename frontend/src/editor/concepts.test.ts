import { describe, expect, it } from "vitest";
import type { FrameResult, ObjectResult, RLE } from "../api/types.gen";
import * as A from "./annotations";
import { addInstances, hasNoMasks, mergeTracks, restoreResults, type TrackMap } from "./concepts";
import { History } from "./history";

const rle = (counts: string): RLE => ({ size: [4, 4], counts });
const found = (id: number, counts: string, area = 4): ObjectResult => ({ object_id: id, score: 0.9, iou: 0.9, object_score: 0.9, box: [0, 0, 1, 1], area, mask: rle(counts) });
const style = { label: "red", color: (id: number) => `#00000${id}` };

/** A document with one object (id 1, label "fruit", a mask on frame 0). */
function withOne(): A.AnnotationState {
  const s = A.addObject(A.emptyState, "fruit", "#ffffff");
  return A.setMask(s, 1, 0, rle("keep"));
}

describe("addInstances", () => {
  it("adds every instance as a new object after the existing ones and leaves them alone", () => {
    const before = withOne();
    const { state, ids } = addInstances(before, 0, [found(1, "a"), found(2, "b"), found(3, "c")], style);
    expect(ids).toEqual([2, 3, 4]);
    expect(state.objects.map((o) => [o.id, o.label, o.masks["0"].counts])).toEqual([
      [1, "fruit", "keep"],
      [2, "red", "a"],
      [3, "red", "b"],
      [4, "red", "c"],
    ]);
    expect(state.objects[0]).toBe(before.objects[0]);
    expect(state.objects[2].color).toBe("#000003");
    expect(state.current).toBeNull();
  });

  it("skips instances without a mask and changes nothing when none is left", () => {
    const before = withOne();
    const r = addInstances(before, 0, [found(1, "", 0), { ...found(2, "x"), mask: undefined }], style);
    expect(r.ids).toEqual([]);
    expect(r.state).toBe(before);
  });

  it("is one undo step for the whole result", () => {
    const h = new History(withOne());
    h.push(addInstances(h.present, 0, [found(1, "a"), found(2, "b"), found(3, "c")], style).state);
    expect(h.present.objects).toHaveLength(4);
    h.undo();
    expect(h.present.objects.map((o) => o.id)).toEqual([1]);
    h.redo();
    expect(h.present.objects).toHaveLength(4);
  });
});

describe("mergeTracks", () => {
  const frame = (n: number, ...objs: ObjectResult[]): FrameResult => ({ frame: n, objects: objs });

  it("keeps one object per track across frames and adds tracks that appear later", () => {
    const map: TrackMap = new Map();
    let s = mergeTracks(withOne(), [frame(0, found(1, "a0"), found(2, "b0")), frame(1, found(1, "a1"), found(2, "b1"))], map, style);
    expect([...map]).toEqual([[1, 2], [2, 3]]);
    s = mergeTracks(s, [frame(2, found(1, "a2"), found(2, "b2"), found(3, "c2"))], map, style);
    expect(map.get(3)).toBe(4);
    const byId = Object.fromEntries(s.objects.map((o) => [o.id, Object.fromEntries(Object.entries(o.masks).map(([f, m]) => [f, m.counts]))]));
    expect(byId).toEqual({ 1: { 0: "keep" }, 2: { 0: "a0", 1: "a1", 2: "a2" }, 3: { 0: "b0", 1: "b1", 2: "b2" }, 4: { 2: "c2" } });
  });

  it("removes a track's mask where it is empty and does not bring back a deleted object", () => {
    const map: TrackMap = new Map();
    let s = mergeTracks(A.emptyState, [frame(0, found(7, "a0"), found(8, "b0"))], map, style);
    s = A.removeObject(s, map.get(8)!);
    s = mergeTracks(s, [frame(0, found(7, "", 0), found(8, "b1"))], map, style);
    expect(s.objects.map((o) => [o.id, Object.keys(o.masks)])).toEqual([[1, []]]);
  });

  it("does not start an object for a new track that has no mask", () => {
    const map: TrackMap = new Map();
    const s = mergeTracks(A.emptyState, [frame(0, found(5, "", 0))], map, style);
    expect(s.objects).toEqual([]);
    expect(map.size).toBe(0);
  });
});

describe("restoreResults", () => {
  it("adds missing objects with the session's ids and fills only masks the document lacks", () => {
    const frames: FrameResult[] = [
      { frame: 0, objects: [found(1, "session0"), found(3, "other0")] },
      { frame: 1, objects: [found(1, "session1")] },
    ];
    const s = restoreResults(withOne(), frames, style);
    expect(s.objects.map((o) => [o.id, o.label, Object.entries(o.masks).map(([f, m]) => `${f}:${m.counts}`)])).toEqual([
      [1, "fruit", ["0:keep", "1:session1"]],
      [3, "red", ["0:other0"]],
    ]);
    expect(hasNoMasks(s)).toBe(false);
    expect(hasNoMasks(A.addObject(A.emptyState, "", "#fff"))).toBe(true);
  });
});

describe("withClick", () => {
  it("starts from the object's mask on its first click on a frame, and keeps that start", () => {
    const s = withOne();
    const first = A.withClick(A.find(s, 1), 0, [2, 2], false);
    expect(first).toEqual({ points: [[2, 2]], labels: [0], mask: rle("keep") });
    const s2 = A.setPrompts(s, 1, 0, first);
    const second = A.withClick(A.find(s2, 1), 0, [3, 3], true);
    expect(second.mask).toBe(first.mask);
    expect(second.labels).toEqual([0, 1]);
    // After the prompts are cleared (Esc), clicks start over.
    const cleared = A.setPrompts(s2, 1, 0, A.noPrompts);
    expect(A.withClick(A.find(cleared, 1), 0, [1, 1], true).mask).toBeUndefined();
    // No mask on that frame: nothing to start from.
    expect(A.withClick(A.find(s, 1), 5, [1, 1], true).mask).toBeUndefined();
  });

  it("tells answers apart by their starting mask", () => {
    const p = { points: [[1, 1]] as A.Point[], labels: [1] };
    expect(A.samePrompts({ ...p, mask: rle("a") }, { ...p, mask: rle("a") })).toBe(false);
    const m = rle("a");
    expect(A.samePrompts({ ...p, mask: m }, { points: [[1, 1]], labels: [1], mask: m })).toBe(true);
  });
});
