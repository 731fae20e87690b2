import { describe, expect, it } from "vitest";
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
