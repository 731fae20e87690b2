import { describe, expect, it } from "vitest";
import { area, emptyBitmap, encode } from "../mask/rle";
import * as A from "./annotations";

describe("done", () => {
  it("comes from the document and goes back to it", () => {
    const s = A.fromDoc({ version: 3, done: true, objects: [] });
    expect(s.done).toBe(true);
    expect(A.toDoc(s, 3).done).toBe(true);
    expect(A.toDoc(A.setDone(s, false), 3).done).toBeUndefined();
    expect(A.fromDoc({ version: 0, objects: [] }).done).toBe(false);
  });

  it("is kept by the edits of objects and is an edit of its own", () => {
    const s = A.setDone(A.emptyState, true);
    expect(A.setDone(s, true)).toBe(s);
    const added = A.addObject(s, "car", "#ff0000");
    expect(added.done).toBe(true);
    expect(A.removeObject(added, added.current!).done).toBe(true);
    expect(A.renameLabel(added, "car", "bus").done).toBe(true);
  });
});

describe("label visibility", () => {
  it("hides and shows every object of a label, and nothing else", () => {
    let s = A.addObject(A.emptyState, "car", "#ff0000");
    s = A.addObject(s, "car", "#ff0000");
    s = A.addObject(s, "bus", "#00ff00");
    const hidden = A.setLabelVisible(s, "car", false);
    expect(hidden.objects.map((o) => o.visible)).toEqual([false, false, true]);
    expect(A.setLabelVisible(hidden, "car", false)).toBe(hidden);
    expect(A.setLabelVisible(hidden, "car", true).objects.every((o) => o.visible)).toBe(true);
    expect(A.setLabelVisible(s, "truck", false)).toBe(s);
  });
});

describe("merge", () => {
  const square = (x0: number, y0: number, x1: number, y1: number) => {
    const bm = emptyBitmap(8, 6);
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) bm.data[y * 8 + x] = 1;
    return encode(bm);
  };
  it("unites the masks frame by frame and removes the merged object", () => {
    let s = A.addObject(A.emptyState, "car", "#ff0000");
    s = A.setMask(s, 1, 0, square(0, 0, 2, 2));
    s = A.setPrompts(s, 1, 0, { points: [[1, 1]], labels: [1] });
    s = A.addObject(s, "car", "#ff0000");
    s = A.setMask(s, 2, 0, square(4, 4, 6, 6));
    s = A.setMask(s, 2, 3, square(1, 1, 3, 3));
    const m = A.mergeInto(s, 1, 2);
    expect(m.objects.map((o) => o.id)).toEqual([1]);
    expect(m.current).toBe(1);
    const o = m.objects[0];
    expect(area(o.masks["0"])).toBe(8);
    expect(o.masks["3"]).toEqual(square(1, 1, 3, 3));
    expect(o.prompts["0"]).toBeUndefined(); // the next click starts from the merged mask
    expect(A.mergeInto(s, 1, 1)).toBe(s);
    expect(A.mergeInto(s, 1, 9)).toBe(s);
  });

  it("ends a track: the masks from a frame on go, the earlier ones and other objects' stay", () => {
    let s = A.addObject(A.emptyState, "car", "#ff0000");
    for (const f of [0, 2, 9, 10, 11]) s = A.setMask(s, 1, f, square(0, 0, 2, 2));
    s = A.addObject(s, "car", "#ff0000");
    s = A.setMask(s, 2, 10, square(4, 4, 6, 6));
    const e = A.clearMasksFrom(s, 1, 9);
    expect(Object.keys(A.find(e, 1)!.masks).sort()).toEqual(["0", "2"]);
    expect(Object.keys(A.find(e, 2)!.masks)).toEqual(["10"]);
    expect(A.clearMasksFrom(e, 1, 9)).toBe(e); // nothing left to clear
    expect(A.clearMasksFrom(s, 7, 0)).toBe(s);
  });
});

describe("flags and notes", () => {
  it("come from the document, survive edits and go back to it (empty ones left out)", () => {
    const s = A.fromDoc({ version: 2, objects: [{ object_id: 4, label: "car", color: "#ff0000", visible: true, masks: {}, flags: { crowd: true, blurry: true }, note: "far" }] });
    const relabelled = A.updateObject(s, 4, (o) => ({ ...o, label: "bus" }));
    expect(A.toDoc(relabelled, 2).objects[0]).toMatchObject({ label: "bus", flags: { crowd: true, blurry: true }, note: "far" });
    const cleared = A.setNote(A.setFlag(A.setFlag(s, 4, "crowd", false), 4, "blurry", false), 4, "");
    const doc = A.toDoc(cleared, 2).objects[0];
    expect(doc.flags).toBeUndefined();
    expect(doc.note).toBeUndefined();
  });

  it("are set one at a time on one object", () => {
    const s = A.addObject(A.addObject(A.emptyState, "a", "#000000"), "b", "#ffffff");
    const flagged = A.setFlag(s, 1, "occluded", true);
    expect(A.find(flagged, 1)?.flags).toEqual({ occluded: true });
    expect(A.find(flagged, 2)?.flags).toBeUndefined();
    expect(A.find(s, 1)?.flags).toBeUndefined(); // states are not changed in place
    expect(A.setFlag(s, 9, "crowd", true)).toBe(s);
  });
});

describe("objects copied from another media", () => {
  it("get new ids after the existing ones and keep labels, flags and notes, the frame-0 mask only", () => {
    const rle = { size: [2, 2] as [number, number], counts: "04" };
    const s = A.addObject(A.emptyState, "a", "#000000");
    const out = A.appendObjects(s, [
      { object_id: 1, label: "cat", color: "#ff0000", visible: false, masks: { "0": rle }, flags: { crowd: true }, note: "n" },
      { object_id: 7, label: "dog", color: "#00ff00", visible: true, masks: { "0": rle, "3": rle } },
    ]);
    expect(out.objects.map((o) => [o.id, o.label, o.visible, Object.keys(o.masks)])).toEqual([
      [1, "a", true, []],
      [2, "cat", true, ["0"]],
      [3, "dog", true, ["0"]],
    ]);
    expect(A.find(out, 2)?.flags).toEqual({ crowd: true });
    expect(out.current).toBe(3);
    expect(A.appendObjects(s, [])).toBe(s);
  });
});
