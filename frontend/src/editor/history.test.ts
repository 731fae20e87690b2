import { describe, expect, it } from "vitest";
import { History } from "./history";

describe("History", () => {
  it("undoes and redoes in order", () => {
    const h = new History("a");
    h.push("b");
    h.push("c");
    expect(h.undo()).toBe(true);
    expect(h.present).toBe("b");
    expect(h.undo()).toBe(true);
    expect(h.present).toBe("a");
    expect(h.undo()).toBe(false);
    expect(h.redo()).toBe(true);
    expect(h.redo()).toBe(true);
    expect(h.present).toBe("c");
    expect(h.redo()).toBe(false);
  });

  it("drops the redo list on a new edit", () => {
    const h = new History(1);
    h.push(2);
    h.undo();
    h.push(3);
    expect(h.canRedo).toBe(false);
    h.undo();
    expect(h.present).toBe(1);
  });

  it("amends without adding a step", () => {
    const h = new History("start");
    h.push("click");
    h.amend("click+mask");
    expect(h.present).toBe("click+mask");
    h.undo();
    expect(h.present).toBe("start");
    h.redo();
    expect(h.present).toBe("click+mask");
  });

  it("keeps at most limit steps", () => {
    const h = new History(0, 3);
    for (let i = 1; i <= 5; i++) h.push(i);
    let n = 0;
    while (h.undo()) n++;
    expect(n).toBe(3);
    expect(h.present).toBe(2);
  });
});
