// Brush and eraser strokes on a bitmap: discs stamped along each segment.
import type { Bitmap } from "./rle";

/** Sets (or clears) every pixel whose centre is within radius of (cx, cy). */
export function stampDisc(bm: Bitmap, cx: number, cy: number, radius: number, value: 0 | 1): void {
  const { width: w, height: h, data } = bm;
  const r2 = radius * radius;
  const y0 = Math.max(0, Math.floor(cy - radius));
  const y1 = Math.min(h - 1, Math.ceil(cy + radius));
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    const span = r2 - dy * dy;
    if (span < 0) continue;
    const dx = Math.sqrt(span);
    const x0 = Math.max(0, Math.ceil(cx - dx - 0.5));
    const x1 = Math.min(w - 1, Math.floor(cx + dx - 0.5));
    if (x1 >= x0) data.fill(value, y * w + x0, y * w + x1 + 1);
  }
}

/** Stamps discs from (x0, y0) to (x1, y1), spaced a quarter radius apart. */
export function stampSegment(bm: Bitmap, x0: number, y0: number, x1: number, y1: number, radius: number, value: 0 | 1): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  const steps = Math.max(1, Math.ceil(len / Math.max(0.5, radius / 4)));
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    stampDisc(bm, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, radius, value);
  }
}

export function countSet(bm: Bitmap): number {
  let n = 0;
  for (const v of bm.data) n += v;
  return n;
}
