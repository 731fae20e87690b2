import { describe, expect, it } from "vitest";
import { actionFor } from "./shortcuts";

const key = (k: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  actionFor({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe("shortcuts", () => {
  it("maps the documented keys", () => {
    expect(key("n")).toBe("new-object");
    expect(key("3")).toBe("label-2");
    expect(key("z")).toBe("undo");
    expect(key("z", { ctrlKey: true })).toBe("undo");
    expect(key("Z", { ctrlKey: true, shiftKey: true })).toBe("redo");
    expect(key("y", { metaKey: true })).toBe("redo");
    expect(key("b")).toBe("brush");
    expect(key("e")).toBe("eraser");
    expect(key("p")).toBe("polygon");
    expect(key("Enter")).toBe("finish-polygon");
    expect(key("[")).toBe("smaller");
    expect(key("]")).toBe("larger");
    expect(key("f")).toBe("fit");
    expect(key("?")).toBe("help");
    expect(key("ArrowRight")).toBe("next-frame");
    expect(key("t")).toBe("concept");
    expect(key("X")).toBe("exemplar");
    expect(key("d")).toBe("toggle-done");
    expect(key("c")).toBe("copy-previous");
    expect(key("Enter", { ctrlKey: true })).toBe("done-next");
    expect(key("Enter", { metaKey: true })).toBe("done-next");
  });

  it("ignores other modified keys", () => {
    expect(key("n", { ctrlKey: true })).toBeNull();
    expect(key("b", { altKey: true })).toBeNull();
    expect(key("q")).toBeNull();
    expect(key("Enter", { altKey: true })).toBeNull();
  });
});
