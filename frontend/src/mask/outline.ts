// Editing a mask's outline by its handles: the vertices of its boundary
// simplified (the engine's POST /v1/masks/outline). Between two handles a
// ring keeps the mask's own pixel corners until an edit moves one of the
// two, and the edge becomes a straight line. An edit changes the mask only
// inside the closed loop the old and the new path of its edges make: those
// pixels flip (xorPolygon), every other pixel stays exactly as it was.
import type { OutlineResponse } from "../api/types.gen";

export type Pt = [number, number];

export interface EditRing {
  handles: Pt[];
  /** between[i]: the ring's corners strictly between handle i and the
   * next one (cyclic); [] is a straight edge. */
  between: Pt[][];
  hole: boolean;
}

export function editRings(res: OutlineResponse): EditRing[] {
  return res.rings.map((r) => {
    const n = r.points.length / 2;
    const corner = (k: number): Pt => [r.points[2 * (k % n)], r.points[2 * (k % n) + 1]];
    const between = r.handles.map((a, i) => {
      const b = i + 1 < r.handles.length ? r.handles[i + 1] : r.handles[0] + n;
      const out: Pt[] = [];
      for (let k = a + 1; k < b; k++) out.push(corner(k));
      return out;
    });
    return { handles: r.handles.map(corner), between, hole: r.hole ?? false };
  });
}

/** The ring's path from the handle before i, through i, to the one after. */
function pathThrough(r: EditRing, i: number): Pt[] {
  const n = r.handles.length;
  const prev = (i + n - 1) % n;
  return [r.handles[prev], ...r.between[prev], r.handles[i], ...r.between[i], r.handles[(i + 1) % n]];
}

/** Moves handle i to p, its two edges straight; returns the loop whose
 * inside flips. */
export function moveHandle(r: EditRing, i: number, p: Pt): Pt[] {
  const loop = [...pathThrough(r, i), p];
  const n = r.handles.length;
  r.handles[i] = p;
  r.between[(i + n - 1) % n] = [];
  r.between[i] = [];
  return loop;
}

/** Removes handle i, its neighbours joined straight; returns the loop whose
 * inside flips, or null when the ring would have fewer than three handles. */
export function removeHandle(r: EditRing, i: number): Pt[] | null {
  const n = r.handles.length;
  if (n <= 3) return null;
  const loop = pathThrough(r, i);
  r.between[(i + n - 1) % n] = [];
  r.handles.splice(i, 1);
  r.between.splice(i, 1);
  return loop;
}

/** Adds a handle on edge e (from handle e to the next) near p without
 * changing the ring: at the edge's corner nearest p, or on the straight
 * edge where p projects. Returns the new handle's index. */
export function insertHandle(r: EditRing, e: number, p: Pt): number {
  const corners = r.between[e];
  if (corners.length) {
    let k = 0;
    corners.forEach((c, j) => {
      if (dist2(c, p) < dist2(corners[k], p)) k = j;
    });
    r.handles.splice(e + 1, 0, corners[k]);
    r.between.splice(e, 1, corners.slice(0, k), corners.slice(k + 1));
  } else {
    const a = r.handles[e];
    const b = r.handles[(e + 1) % r.handles.length];
    r.handles.splice(e + 1, 0, project(p, a, b));
    r.between.splice(e, 1, [], []);
  }
  return e + 1;
}

/** The nearest handle within maxDist of p. */
export function nearestHandle(rings: EditRing[], p: Pt, maxDist: number): { ring: number; index: number } | null {
  let best: { ring: number; index: number } | null = null;
  let bd = maxDist * maxDist;
  rings.forEach((r, ri) =>
    r.handles.forEach((h, i) => {
      const d = dist2(h, p);
      if (d <= bd) [best, bd] = [{ ring: ri, index: i }, d];
    }),
  );
  return best;
}

/** The nearest edge (the straight line between two handles, as drawn)
 * within maxDist of p. */
export function nearestEdge(rings: EditRing[], p: Pt, maxDist: number): { ring: number; index: number } | null {
  let best: { ring: number; index: number } | null = null;
  let bd = maxDist * maxDist;
  rings.forEach((r, ri) =>
    r.handles.forEach((a, i) => {
      const d = dist2(project(p, a, r.handles[(i + 1) % r.handles.length]), p);
      if (d <= bd) [best, bd] = [{ ring: ri, index: i }, d];
    }),
  );
  return best;
}

function dist2(a: Pt, b: Pt): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
}

/** The point of segment ab nearest p. */
function project(p: Pt, a: Pt, b: Pt): Pt {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l = dx * dx + dy * dy;
  const t = l > 0 ? Math.min(1, Math.max(0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l)) : 0;
  return [a[0] + t * dx, a[1] + t * dy];
}
