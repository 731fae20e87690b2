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
