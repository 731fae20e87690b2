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
  box?: [number, number, number, number] | null;
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

/** Decodes an RLE into a row-major bitmap. */
export function decode(rle: RLE): Bitmap {
  const [height, width] = rle.size;
  const counts = decodeCounts(rle.counts, width * height);
  const bm = emptyBitmap(width, height);
  const d = bm.data;
  let pos = 0; // column-major index
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let i = 0; i < counts.length; i++) {
    const n = counts[i];
    if (i & 1 && n > 0) {
      for (let q = pos; q < pos + n; q++) {
        const x = (q / height) | 0;
        d[(q - x * height) * width + x] = 1;
      }
      const xa = (pos / height) | 0;
      const xb = ((pos + n - 1) / height) | 0;
      x0 = Math.min(x0, xa);
      x1 = Math.max(x1, xb);
      if (xa === xb) {
        y0 = Math.min(y0, pos - xa * height);
        y1 = Math.max(y1, pos + n - 1 - xa * height);
      } else {
        y0 = 0;
        y1 = height - 1;
      }
    }
    pos += n;
  }
  bm.box = x1 < 0 ? null : [x0, y0, x1, y1];
  return bm;
}

/** Column-major run lengths of a bitmap (starting with unset pixels). */
export function runs(bm: Bitmap): number[] {
  const { width: w, height: h, data: d } = bm;
  const counts: number[] = [];
  let cur = 0;
  let n = 0;
  for (let x = 0; x < w; x++) {
    for (let i = x; i < w * h; i += w) {
      const v = d[i] ? 1 : 0;
      if (v !== cur) {
        counts.push(n);
        n = 0;
        cur = v;
      }
      n++;
    }
  }
  counts.push(n);
  return counts;
}

/** Encodes a bitmap as COCO compressed RLE. */
export function encode(bm: Bitmap): RLE {
  return { size: [bm.height, bm.width], counts: encodeCounts(runs(bm)) };
}

/** Number of set pixels, from the runs alone. */
export function area(rle: RLE): number {
  const counts = decodeCounts(rle.counts, rle.size[0] * rle.size[1]);
  let a = 0;
  for (let i = 1; i < counts.length; i += 2) a += counts[i];
  return a;
}
