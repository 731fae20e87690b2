import { describe, expect, it } from "vitest";
import type { ImportResult } from "../api/types.gen";
import { importSummary, isAnnotationFile } from "./importDialog";

const result = (r: Partial<ImportResult>): ImportResult => ({
  format: "coco", dry_run: true, pictures: 0, matched: 0, objects: 0, masks: 0, duplicates: 0, boxes: 0,
  labels_added: [], media_ids: [], unmatched: [], unmatched_count: 0, skipped: [], skipped_count: 0, ...r,
});

describe("import summary", () => {
  it("says what is added, what is already there and what is left out", () => {
    const lines = importSummary(result({
      pictures: 9, matched: 2, objects: 3, masks: 4, media_ids: ["a", "b"], duplicates: 1, boxes: 2, labels_added: ["car", "bus"],
      unmatched: ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg"], unmatched_count: 7,
      skipped: [{ file: "a.jpg", what: "annotation 4", reason: "it has no segmentation" }], skipped_count: 1,
      notes: ["walk.mp4: the file numbers its frames from 1"],
    }));
    expect(lines).toEqual([
      "3 new objects (4 masks) on 2 media, from 2 pictures of 9 in the file.",
      "2 boxes without a mask, for the model to segment.",
      "1 mask already in the project, not added again.",
      "New labels: car, bus.",
      "Note: walk.mp4: the file numbers its frames from 1.",
      "7 pictures not in this project (add the media first): 1.jpg, 2.jpg, 3.jpg, 4.jpg, 5.jpg, …",
      "1 not imported:",
      "• a.jpg — annotation 4: it has no segmentation",
    ]);
  });

  it("counts the skipped parts it does not list", () => {
    const skipped = Array.from({ length: 10 }, (_, i) => ({ file: `${i}.jpg`, reason: "no" }));
    const lines = importSummary(result({ pictures: 1, matched: 1, objects: 1, masks: 1, media_ids: ["a"], skipped, skipped_count: 12 }));
    expect(lines[0]).toBe("1 new object (1 mask) on 1 media, from 1 picture of 1 in the file.");
    expect(lines.at(-1)).toBe("• and 4 more");
    expect(lines.filter((l) => l.startsWith("• ")).length).toBe(9);
  });
});

describe("dropped files", () => {
  it("imports JSON and zip files and opens the rest as media", () => {
    expect(["instances.json", "labels.ZIP", "/home/u/coco/train.json"].map(isAnnotationFile)).toEqual([true, true, true]);
    expect(["photo.jpg", "clip.mp4", "frames", "notes.txt", "data.json.png"].map(isAnnotationFile)).toEqual([false, false, false, false, false]);
  });
});
