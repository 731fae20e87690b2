import { describe, expect, it } from "vitest";
import { countSet, stampDisc, stampSegment } from "./brush";
import { emptyBitmap } from "./rle";

describe("brush", () => {
  it("stamps a disc of about πr² pixels, clipped to the bitmap", () => {
    const bm = emptyBitmap(100, 100);
    stampDisc(bm, 50, 50, 10, 1);
    expect(Math.abs(countSet(bm) - Math.PI * 100)).toBeLessThan(15);
    expect(bm.data[50 * 100 + 50]).toBe(1);
    expect(bm.data[50 * 100 + 61]).toBe(0);
    stampDisc(bm, 0, 0, 5, 1); // partly outside
    expect(bm.data[0]).toBe(1);
  });

  it("erases along a segment", () => {
    const bm = emptyBitmap(40, 10);
    bm.data.fill(1);
    stampSegment(bm, 5, 5, 35, 5, 2, 0);
    for (let x = 5; x < 35; x++) expect(bm.data[5 * 40 + x]).toBe(0);
    expect(bm.data[0]).toBe(1);
  });
});
