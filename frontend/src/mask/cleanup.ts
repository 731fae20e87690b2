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
  const outside = new Uint8Array(bw * (y1 - y0 + 1)); // reached from the edge
  const stack: number[] = [];
  const visit = (x: number, y: number) => {
    const k = (y - y0) * bw + (x - x0);
    if (!outside[k] && !d[y * w + x]) {
      outside[k] = 1;
      stack.push(x, y);
    }
  };
  for (let x = x0; x <= x1; x++) {
    visit(x, y0);
    visit(x, y1);
  }
  for (let y = y0; y <= y1; y++) {
    visit(x0, y);
    visit(x1, y);
  }
  while (stack.length) {
    const y = stack.pop()!;
    const x = stack.pop()!;
    if (x > x0) visit(x - 1, y);
    if (x < x1) visit(x + 1, y);
    if (y > y0) visit(x, y - 1);
    if (y < y1) visit(x, y + 1);
  }
  let filled = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const i = y * w + x;
      if (!d[i] && !outside[(y - y0) * bw + (x - x0)]) {
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
  const seen = new Uint8Array(bw * (y1 - y0 + 1));
  let removed = 0;
  for (let sy = y0; sy <= y1; sy++) {
    for (let sx = x0; sx <= x1; sx++) {
      if (!d[sy * w + sx] || seen[(sy - y0) * bw + (sx - x0)]) continue;
      // One part: its pixels, by a depth-first walk.
      const part: number[] = [];
      const stack = [sx, sy];
      seen[(sy - y0) * bw + (sx - x0)] = 1;
      while (stack.length) {
        const y = stack.pop()!;
        const x = stack.pop()!;
        part.push(y * w + x);
        for (let ny = Math.max(y0, y - 1); ny <= Math.min(y1, y + 1); ny++) {
          for (let nx = Math.max(x0, x - 1); nx <= Math.min(x1, x + 1); nx++) {
            const k = (ny - y0) * bw + (nx - x0);
            if (!seen[k] && d[ny * w + nx]) {
              seen[k] = 1;
              stack.push(nx, ny);
            }
          }
        }
      }
      if (part.length < minArea) {
        for (const i of part) d[i] = 0;
        removed += part.length;
      }
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
