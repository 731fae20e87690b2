// Filling a drawn polygon into a bitmap: the pixels whose centres lie
// inside it (even-odd rule, so a figure-eight or a crossing outline fills
// as it is drawn), clipped to the bitmap.
import type { Bitmap } from "./rle";

type Pts = readonly (readonly [number, number])[];

/** Sets (value 1) or clears (value 0) the pixels inside the polygon pts. */
export function fillPolygon(bm: Bitmap, pts: Pts, value: 0 | 1): void {
  eachSpan(bm, pts, (start, end) => bm.data.fill(value, start, end));
}

/** Flips the pixels inside the polygon pts. Flipping by the closed loop
 * that an outline's old and new path make changes the mask exactly as
 * replacing the path does (even-odd parity adds up), and nowhere else. */
export function xorPolygon(bm: Bitmap, pts: Pts): void {
  const d = bm.data;
  eachSpan(bm, pts, (start, end) => {
    for (let i = start; i < end; i++) d[i] ^= 1;
  });
}

/** The bounds [x0, y0, x1, y1] of pts, widened to whole pixels. */
export function polygonBounds(pts: Pts): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of pts) {
    b[0] = Math.min(b[0], Math.floor(x));
    b[1] = Math.min(b[1], Math.floor(y));
    b[2] = Math.max(b[2], Math.ceil(x));
    b[3] = Math.max(b[3], Math.ceil(y));
  }
  return b;
}

/** Calls fn with the [start, end) data indices of each run of pixels
 * inside pts, row by row. */
function eachSpan(bm: Bitmap, pts: Pts, fn: (start: number, end: number) => void): void {
  if (pts.length < 3) return;
  const { width: w, height: h } = bm;
  let top = Infinity;
  let bottom = -Infinity;
  for (const [, y] of pts) {
    top = Math.min(top, y);
    bottom = Math.max(bottom, y);
  }
  const y0 = Math.max(0, Math.ceil(top - 0.5));
  const y1 = Math.min(h - 1, Math.floor(bottom - 0.5));
  const xs: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [ax, ay] = pts[j];
      const [bx, by] = pts[i];
      // Half-open in y, so a vertex on the scan line counts once.
      if (ay <= cy === by <= cy) continue;
      xs.push(ax + ((cy - ay) * (bx - ax)) / (by - ay));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixel x is inside when its centre x + 0.5 is in [xs[k], xs[k+1]).
      const xa = Math.max(0, Math.ceil(xs[k] - 0.5));
      const xb = Math.min(w, Math.ceil(xs[k + 1] - 0.5));
      if (xb > xa) fn(y * w + xa, y * w + xb);
    }
  }
}
