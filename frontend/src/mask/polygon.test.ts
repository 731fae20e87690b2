import { describe, expect, it } from "vitest";
import { countSet } from "./brush";
import { fillPolygon } from "./polygon";
import { emptyBitmap } from "./rle";
import { seeded } from "./seeded";

type Pt = [number, number];

/** Even-odd point-in-polygon for a pixel centre: the plain definition. */
function inside(pts: Pt[], x: number, y: number): boolean {
  let c = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [ax, ay] = pts[j];
    const [bx, by] = pts[i];
    if (ay <= y === by <= y) continue;
    if (x < ax + ((y - ay) * (bx - ax)) / (by - ay)) c = !c;
  }
  return c;
}

describe("fillPolygon", () => {
  it("fills a rectangle's pixels exactly", () => {
    const bm = emptyBitmap(10, 8);
    fillPolygon(bm, [[2, 1], [7, 1], [7, 5], [2, 5]], 1);
    expect(countSet(bm)).toBe(5 * 4);
    expect(bm.data[1 * 10 + 2]).toBe(1);
    expect(bm.data[1 * 10 + 7]).toBe(0);
    expect(bm.data[5 * 10 + 2]).toBe(0);
  });

  it("agrees with point-in-polygon on random polygons, crossing ones and those past the edges", () => {
    const r = seeded(7);
    for (let n = 0; n < 200; n++) {
      const w = 5 + Math.floor(r() * 40);
      const h = 5 + Math.floor(r() * 40);
      const pts: Pt[] = [];
      for (let k = 3 + Math.floor(r() * 8); k > 0; k--) pts.push([r() * (w + 20) - 10, r() * (h + 20) - 10]);
      if (n % 5 === 0) pts.forEach((p) => ((p[0] = Math.round(p[0])), (p[1] = Math.round(p[1]) + 0.5))); // vertices on scan lines
      const bm = emptyBitmap(w, h);
      fillPolygon(bm, pts, 1);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          expect(bm.data[y * w + x], `polygon ${n} pixel ${x},${y}`).toBe(inside(pts, x + 0.5, y + 0.5) ? 1 : 0);
        }
      }
    }
  });

  it("clears with value 0 and leaves the rest", () => {
    const bm = emptyBitmap(6, 6);
    bm.data.fill(1);
    fillPolygon(bm, [[0, 0], [3, 0], [3, 3], [0, 3]], 0);
    expect(countSet(bm)).toBe(36 - 9);
  });

  it("does nothing with fewer than three corners", () => {
    const bm = emptyBitmap(4, 4);
    fillPolygon(bm, [[0, 0], [4, 4]], 1);
    expect(countSet(bm)).toBe(0);
  });
});
