// Cleaning a mask up: filling its holes and removing its specks, the two
// fixes a model's masks most often need. Both work inside the mask's
// bounds (nothing outside them can change) and return how many pixels
// they changed.
import type { Bitmap, Bounds } from "./rle";

/** Sets every unset pixel that is enclosed by the mask: not joined to the
 * outside of bounds by unset pixels (4-neighbours, as the mask's outline
 * is 8-connected). bounds must hold every set pixel. */
export function fillHoles(bm: Bitmap, bounds: Bounds): number {
  const { width: w, data: d } = bm;
  const [x0, y0, x1, y1] = bounds;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  // Box pixels reached from its edge over unset pixels; each is queued once.
  const outside = new Uint8Array(bw * bh);
  const queue = new Int32Array(bw * bh);
  let end = 0;
  const visit = (bx: number, by: number) => {
    const k = by * bw + bx;
    if (!outside[k] && !d[(by + y0) * w + bx + x0]) {
      outside[k] = 1;
      queue[end++] = k;
    }
  };
  for (let bx = 0; bx < bw; bx++) {
    visit(bx, 0);
    visit(bx, bh - 1);
  }
  for (let by = 0; by < bh; by++) {
    visit(0, by);
    visit(bw - 1, by);
  }
  for (let q = 0; q < end; q++) {
    const bx = queue[q] % bw;
    const by = (queue[q] - bx) / bw;
    if (bx > 0) visit(bx - 1, by);
    if (bx < bw - 1) visit(bx + 1, by);
    if (by > 0) visit(bx, by - 1);
    if (by < bh - 1) visit(bx, by + 1);
  }
  let filled = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const i = (by + y0) * w + bx + x0;
      if (!d[i] && !outside[by * bw + bx]) {
        d[i] = 1;
        filled++;
      }
    }
  }
  return filled;
}

/** Clears every part of the mask (8-connected set pixels) smaller than
 * minArea pixels. bounds must hold every set pixel. */
export function removeSpecks(bm: Bitmap, bounds: Bounds, minArea: number): number {
  const { width: w, data: d } = bm;
  const [x0, y0, x1, y1] = bounds;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const seen = new Uint8Array(bw * bh);
  // Every part's pixels, one part after another (each pixel once).
  const queue = new Int32Array(bw * bh);
  let end = 0;
  let removed = 0;
  for (let s = 0; s < bw * bh; s++) {
    if (seen[s] || !d[(Math.floor(s / bw) + y0) * w + (s % bw) + x0]) continue;
    const start = end;
    seen[s] = 1;
    queue[end++] = s;
    for (let q = start; q < end; q++) {
      const bx = queue[q] % bw;
      const by = (queue[q] - bx) / bw;
      for (let ny = Math.max(0, by - 1); ny <= Math.min(bh - 1, by + 1); ny++) {
        for (let nx = Math.max(0, bx - 1); nx <= Math.min(bw - 1, bx + 1); nx++) {
          const k = ny * bw + nx;
          if (!seen[k] && d[(ny + y0) * w + nx + x0]) {
            seen[k] = 1;
            queue[end++] = k;
          }
        }
      }
    }
    if (end - start < minArea) {
      for (let q = start; q < end; q++) d[(Math.floor(queue[q] / bw) + y0) * w + (queue[q] % bw) + x0] = 0;
      removed += end - start;
    }
  }
  return removed;
}

/** Grows (by > 0) or shrinks (by < 0) the mask by one pixel: sets every
 * unset pixel with a set 8-neighbour, or clears every set pixel with an
 * unset one (the image's edge counts as set, so a mask at the edge stays
 * there). bounds must hold every set pixel. */
export function growMask(bm: Bitmap, bounds: Bounds, by: 1 | -1): number {
  const { width: w, height: h, data: d } = bm;
  const grow = by > 0;
  // The pixels that can change, and their neighbourhood.
  const x0 = Math.max(0, bounds[0] - 1), y0 = Math.max(0, bounds[1] - 1);
  const x1 = Math.min(w - 1, bounds[2] + 1), y1 = Math.min(h - 1, bounds[3] + 1);
  const changed: number[] = [];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * w + x;
      if (!!d[i] === grow) continue;
      let flip = false;
      for (let ny = y - 1; ny <= y + 1 && !flip; ny++) {
        for (let nx = x - 1; nx <= x + 1 && !flip; nx++) {
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          flip = !!d[ny * w + nx] === grow;
        }
      }
      if (flip) changed.push(i);
    }
  }
  for (const i of changed) d[i] = grow ? 1 : 0;
  return changed.length;
}
