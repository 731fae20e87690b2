// Filling a drawn polygon into a bitmap: the pixels whose centres lie
// inside it (even-odd rule, so a figure-eight or a crossing outline fills
// as it is drawn), clipped to the bitmap.
import type { Bitmap } from "./rle";

/** Sets (value 1) or clears (value 0) the pixels inside the polygon pts. */
export function fillPolygon(bm: Bitmap, pts: readonly (readonly [number, number])[], value: 0 | 1): void {
  if (pts.length < 3) return;
  const { width: w, height: h, data } = bm;
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
      if (xb > xa) data.fill(value, y * w + xa, y * w + xb);
    }
  }
}
