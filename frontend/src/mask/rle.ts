// COCO run-length encoding, byte-for-byte as pycocotools writes it (and as
// the engine's engine/mask package does): column-major runs alternating
// unset/set starting with unset, each run after the third stored as the
// difference to the run two before, written in 5-bit groups ('0' + group,
// 0x20 = more follows, 0x10 of the last group = sign).
import type { RLE } from "../api/types.gen";

/** A binary mask, row-major, one byte per pixel (0 or 1). */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
  /** Bounds of the set pixels [x0, y0, x1, y1] (inclusive) when known;
   * null when no pixel is set. */
  box?: Bounds | null;
}

export function emptyBitmap(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Parses compressed counts; throws on malformed strings or a wrong sum. */
export function decodeCounts(s: string, pixels: number): number[] {
  const counts: number[] = [];
  let sum = 0;
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    for (;;) {
      if (p >= s.length) throw new Error(`RLE: truncated value at byte ${p}`);
      if (k === 7) throw new Error(`RLE: value too long at byte ${p}`);
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 0x3f) throw new Error(`RLE: bad character at byte ${p}`);
      x |= (c & 0x1f) << (5 * k);
      p++;
      k++;
      if ((c & 0x20) === 0) {
        if (c & 0x10 && 5 * k < 32) x |= -1 << (5 * k);
        break;
      }
    }
    const i = counts.length;
    if (i > 2) x += counts[i - 2];
    if (x < 0 || x > pixels - sum) throw new Error(`RLE: run ${i} is out of range`);
    sum += x;
    counts.push(x);
  }
  if (sum !== pixels) throw new Error(`RLE: runs cover ${sum} of ${pixels} pixels`);
  return counts;
}

/** Writes counts in the compressed string form. */
export function encodeCounts(counts: readonly number[]): string {
  let out = "";
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    for (;;) {
      let c = x & 0x1f;
      x >>= 5;
      const more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      out += String.fromCharCode(c + 48);
      if (!more) break;
    }
  }
  return out;
}

/** Decodes an RLE into a row-major bitmap (its bounds known). */
export function decode(rle: RLE): Bitmap {
  const [height, width] = rle.size;
  const counts = decodeCounts(rle.counts, width * height);
  const bm = emptyBitmap(width, height);
  const d = bm.data;
  let pos = 0; // column-major index
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (i & 1) {
      // The run, column by column: one division per column, not per pixel.
      for (let q = pos, left = n; left > 0; ) {
        const x = (q / height) | 0;
        const y = q - x * height;
        const k = Math.min(left, height - y);
        for (let j = y * width + x, end = j + k * width; j < end; j += width) d[j] = 1;
        q += k;
        left -= k;
      }
    }
    pos += n;
  }
  bm.box = boundsOfRuns(counts, height);
  return bm;
}

/** The bounds [x0, y0, x1, y1] (inclusive) of the set pixels of a mask
 * h pixels high with column-major runs counts; null when none is set. */
export function boundsOfRuns(counts: readonly number[], height: number): Bounds | null {
  let x0 = Infinity, y0 = height, x1 = -1, y1 = -1;
  let pos = 0;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (i & 1 && n > 0) {
      const xa = (pos / height) | 0;
      const xb = ((pos + n - 1) / height) | 0;
      x0 = Math.min(x0, xa);
      x1 = Math.max(x1, xb);
      if (xa === xb) {
        y0 = Math.min(y0, pos - xa * height);
        y1 = Math.max(y1, pos + n - 1 - xa * height);
      } else {
        // From the foot of one column to the top of another: every row.
        y0 = 0;
        y1 = height - 1;
      }
    }
    pos += n;
  }
  return x1 < 0 ? null : [x0, y0, x1, y1];
}

/** Pixel bounds [x0, y0, x1, y1], inclusive. */
export type Bounds = [number, number, number, number];

/** The bounds covering both (either may be null: nothing). */
export function unionBounds(a: Bounds | null, b: Bounds | null): Bounds | null {
  if (!a || !b) return a ?? b;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** Column-major run lengths of a bitmap (starting with unset pixels). When
 * within is given, no pixel outside it may be set: only it is read. */
export function runs(bm: Bitmap, within?: Bounds | null): number[] {
  const { width: w, height: h, data: d } = bm;
  const [x0, y0, x1, y1] = within === undefined ? [0, 0, w - 1, h - 1] : (within ?? [w, h, -1, -1]);
  const counts: number[] = [];
  let cur = 0;
  let n = 0;
  const push = (v: number, k: number) => {
    if (k === 0) return;
    if (v !== cur) {
      counts.push(n);
      n = 0;
      cur = v;
    }
    n += k;
  };
  const top = Math.max(0, y0);
  const bottom = Math.min(h - 1, y1);
  for (let x = 0; x < w; x++) {
    if (x < x0 || x > x1 || bottom < top) {
      push(0, h);
      continue;
    }
    push(0, top);
    for (let i = top * w + x; i <= bottom * w + x; i += w) push(d[i] ? 1 : 0, 1);
    push(0, h - 1 - bottom);
  }
  counts.push(n);
  return counts;
}

/** Encodes a bitmap as COCO compressed RLE (reading only within, when
 * given, as runs does) and notes its bounds when they are unknown. */
export function encode(bm: Bitmap, within?: Bounds | null): RLE {
  const counts = runs(bm, within);
  if (bm.box === undefined) bm.box = boundsOfRuns(counts, bm.height);
  return { size: [bm.height, bm.width], counts: encodeCounts(counts) };
}

/** Number of set pixels, from the runs alone. */
export function area(rle: RLE): number {
  const counts = decodeCounts(rle.counts, rle.size[0] * rle.size[1]);
  let a = 0;
  for (let i = 1; i < counts.length; i += 2) a += counts[i];
  return a;
}
