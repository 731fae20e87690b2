import { describe, expect, it } from "vitest";
import { statsRows, statsSummary } from "./statsDialog";

describe("project statistics", () => {
  const st = {
    media: 3, images: 2, videos: 1, annotated: 2, done: 1, objects: 4, masks: 1204,
    labels: [{ name: "cat", objects: 3, masks: 1203, media: 2 }, { name: "dog", objects: 0, masks: 0, media: 0 }, { name: "", objects: 1, masks: 1, media: 1 }],
  };
  it("sum up the project", () => {
    expect(statsSummary(st)).toBe("3 media (2 images, 1 video) · 2 annotated · 1 done · 4 objects · 1,204 masks");
  });
  it("give each label its share of the objects", () => {
    expect(statsRows(st)).toEqual([
      ["cat", "3", "75%", "1,203", "2"],
      ["dog", "0", "0%", "0", "0"],
      ["(no label)", "1", "25%", "1", "1"],
    ]);
    expect(statsRows({ ...st, objects: 0, labels: [{ name: "cat", objects: 0, masks: 0, media: 0 }] })[0][2]).toBe("—");
  });
});
