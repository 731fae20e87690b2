import { describe, expect, it } from "vitest";
import type { OutlineRing } from "../api/types.gen";
import { editRings, insertHandle, moveHandle, nearestEdge, nearestHandle, removeHandle, type EditRing, type Pt } from "./outline";
import { fillPolygon, xorPolygon } from "./polygon";
import { emptyBitmap, type Bitmap } from "./rle";
import { seeded } from "./seeded";

/** A star-shaped ring of integer corners around (cx, cy), clockwise on
 * screen unless reversed. */
function star(r: () => number, cx: number, cy: number, radius: number, n: number, reverse = false): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const d = radius * (0.4 + 0.6 * r());
    pts.push([Math.round(cx + d * Math.cos(a)), Math.round(cy + d * Math.sin(a))]);
  }
  return reverse ? pts.reverse() : pts;
}

/** The engine's answer for a ring: its corners and a sorted subset of
 * them (at least three) as handles. */
function answer(r: () => number, pts: Pt[], hole = false): OutlineRing {
  const handles = pts.map((_, i) => i).filter((i) => i % 3 === 0 || r() < 0.2);
  return { points: pts.flat(), handles: handles.length >= 3 ? handles : pts.map((_, i) => i), hole };
}

/** The ring as it stands: every handle and the corners between. */
function geometry(ring: EditRing): Pt[] {
  return ring.handles.flatMap((h, i) => [h, ...ring.between[i]]);
}

/** How many pixels differ (expect's deep equality is slow on big arrays). */
function differing(a: Bitmap, b: Bitmap): number {
  let n = 0;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) n++;
  return n;
}

/** The mask the rings describe: even-odd over all of them. */
function fill(rings: Pt[][], w: number, h: number): Bitmap {
  const bm = emptyBitmap(w, h);
  for (const pts of rings) xorPolygon(bm, pts);
  return bm;
}

describe("outline editing", () => {
  it("reads the engine's rings: handles at their corners, the corners between in order", () => {
    const rings = editRings({ width: 10, height: 10, rings: [{ points: [1, 1, 5, 1, 8, 1, 8, 6, 1, 6], handles: [0, 3, 4] }] });
    expect(rings[0].handles).toEqual([[1, 1], [8, 6], [1, 6]]);
    expect(rings[0].between).toEqual([[[5, 1], [8, 1]], [], []]);
    expect(rings[0].hole).toBe(false);
  });

  it("changes the mask exactly as redrawing the edited rings would, and nothing else", () => {
    const r = seeded(11);
    for (let trial = 0; trial < 40; trial++) {
      const [w, h] = [40 + Math.floor(r() * 40), 40 + Math.floor(r() * 40)];
      const outer = star(r, w / 2, h / 2, Math.min(w, h) / 2, 12 + Math.floor(r() * 20));
      const hole = star(r, w / 2, h / 2, Math.min(w, h) / 8, 6, true);
      const rings = editRings({ width: w, height: h, rings: [answer(r, outer), answer(r, hole, true)] });
      const bm = fill([outer, hole], w, h);
      for (let step = 0; step < 12; step++) {
        const ring = rings[Math.floor(r() * rings.length)];
        const i = Math.floor(r() * ring.handles.length);
        const p: Pt = [r() * (w + 10) - 5, r() * (h + 10) - 5]; // sometimes past the edges
        const what = r();
        if (what < 0.5) xorPolygon(bm, moveHandle(ring, i, p));
        else if (what < 0.8) {
          const before = fill(rings.map(geometry), w, h);
          insertHandle(ring, i, p);
          expect(differing(fill(rings.map(geometry), w, h), before)).toBe(0); // adding a handle changes nothing
        } else {
          const loop = removeHandle(ring, i);
          if (loop) xorPolygon(bm, loop);
          else expect(ring.handles.length).toBe(3);
        }
        expect(ring.handles.length).toBe(ring.between.length);
        expect(differing(bm, fill(rings.map(geometry), w, h))).toBe(0);
      }
    }
  });

  it("keeps at least three handles", () => {
    const [ring] = editRings({ width: 9, height: 9, rings: [{ points: [1, 1, 6, 1, 6, 6, 1, 6], handles: [0, 1, 2, 3] }] });
    expect(removeHandle(ring, 0)).not.toBeNull();
    expect(removeHandle(ring, 0)).toBeNull();
    expect(ring.handles).toHaveLength(3);
  });

  it("inserts on a straight edge where the point projects, on a traced one at its nearest corner", () => {
    const [ring] = editRings({ width: 20, height: 20, rings: [{ points: [0, 0, 4, 0, 4, 2, 8, 2, 8, 10, 0, 10], handles: [0, 3, 4, 5] }] });
    expect(insertHandle(ring, 0, [4.4, 0.5])).toBe(1);
    expect(ring.handles[1]).toEqual([4, 0]);
    expect(ring.between[0]).toEqual([]);
    expect(ring.between[1]).toEqual([[4, 2]]);
    insertHandle(ring, 3, [3, 12]); // the straight edge from (8, 10) to (0, 10)
    expect(ring.handles[4]).toEqual([3, 10]);
  });

  it("finds the handle or edge under the pointer", () => {
    const rings = editRings({ width: 20, height: 20, rings: [{ points: [2, 2, 12, 2, 12, 12, 2, 12], handles: [0, 1, 2, 3] }] });
    expect(nearestHandle(rings, [12.5, 2.5], 1)).toEqual({ ring: 0, index: 1 });
    expect(nearestHandle(rings, [7, 2.5], 1)).toBeNull();
    expect(nearestEdge(rings, [7, 2.5], 1)).toEqual({ ring: 0, index: 0 });
    expect(nearestEdge(rings, [7, 7], 1)).toBeNull();
  });
});

describe("xorPolygon", () => {
  it("flips what fillPolygon would set", () => {
    const bm = emptyBitmap(12, 12);
    fillPolygon(bm, [[0, 0], [6, 0], [6, 12], [0, 12]], 1);
    xorPolygon(bm, [[3, 3], [9, 3], [9, 9], [3, 9]]);
    expect(bm.data[4 * 12 + 4]).toBe(0); // in both
    expect(bm.data[4 * 12 + 7]).toBe(1); // in the second only
    expect(bm.data[1 * 12 + 1]).toBe(1); // in the first only
    expect(bm.data[1 * 12 + 8]).toBe(0); // in neither
  });
});
