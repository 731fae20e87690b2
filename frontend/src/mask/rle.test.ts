import { describe, expect, it } from "vitest";
import { seeded } from "./seeded";
import { area, decode, decodeCounts, encode, emptyBitmap, runs, type Bitmap } from "./rle";

// The rows of a mask: '#' set, '.' unset.
function parse(...rows: string[]): Bitmap {
  const bm = emptyBitmap(rows[0].length, rows.length);
  rows.forEach((r, y) => [...r].forEach((c, x) => (bm.data[y * bm.width + x] = c === "#" ? 1 : 0)));
  return bm;
}

function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Bitmap {
  const bm = emptyBitmap(w, h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) bm.data[y * w + x] = 1;
  return bm;
}

/** count small bitmaps (sides 1 to maxSide) with up to maxSet random
 * pixels set, from a fixed seed, numbered. */
function* speckled(seed: number, count: number, maxSide: number, maxSet: number): Generator<[number, Bitmap]> {
  const rnd = seeded(seed);
  for (let n = 0; n < count; n++) {
    const bm = emptyBitmap(1 + Math.floor(rnd() * maxSide), 1 + Math.floor(rnd() * maxSide));
    for (let k = Math.floor(rnd() * (maxSet + 1)); k > 0; k--) bm.data[Math.floor(rnd() * bm.width * bm.height)] = 1;
    yield [n, bm];
  }
}

// The same golden encodings as engine/mask/rle_test.go (worked out from
// pycocotools' maskApi.c).
const goldens: [string, Bitmap, number[], string][] = [
  ["1x1 set", parse("#"), [0, 1], "01"],
  ["2x2 zero", parse("..", ".."), [4], "4"],
  ["4x3", parse(".##.", ".#..", "##.#"), [2, 5, 4, 1], "254L"],
  ["first pixel set", parse("##", ".#", "#."), [0, 1, 1, 3, 1], "01120"],
  ["all one", parse("###", "###"), [0, 6], "06"],
  ["all zero", parse("...", "..."), [6], "6"],
  ["last pixel", parse("...", "..#"), [5, 1], "51"],
  ["run of 16", parse(...".".repeat(16).split(""), "#", "#", "#", "#"), [16, 4], "`04"],
  ["run over 32", rect(40, 1, 33, 0, 40, 1), [33, 7], "Q17"],
  ["run over 1024", rect(1200, 1, 1100, 0, 1150, 1), [1100, 50, 50], "\\R1b1b1"],
  [
    "negative multi-byte delta",
    (() => {
      const m = rect(1011, 1, 0, 0, 1000, 1);
      m.data[1010] = 1;
      return m;
    })(),
    [0, 1000, 10, 1],
    "0Xo0:iPO",
  ],
];

describe("COCO RLE", () => {
  for (const [name, bm, counts, str] of goldens) {
    it(`encodes and decodes ${name} like pycocotools`, () => {
      expect(runs(bm)).toEqual(counts);
      const rle = encode(bm);
      expect(rle).toEqual({ size: [bm.height, bm.width], counts: str });
      expect(decodeCounts(str, bm.width * bm.height)).toEqual(counts);
      expect(decode(rle).data).toEqual(bm.data);
      expect(area(rle)).toBe(bm.data.reduce((a, v) => a + v, 0));
    });
  }

  it("finds the bounds of the set pixels while decoding", () => {
    expect(decode(encode(parse("....", ".##.", ".#..", "...."))).box).toEqual([1, 1, 2, 2]);
    expect(decode(encode(parse("...", "..."))).box).toBeNull();
    expect(decode(encode(parse("..#", "#.."))).box).toEqual([0, 0, 2, 1]);
  });

  it("notes the bounds of a painted bitmap when encoding it, as decoding finds them", () => {
    for (const [n, bm] of speckled(3, 50, 12, 3)) {
      const { width: w, height: h } = bm;
      const rle = encode(bm);
      let brute: number[] | null = null;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (bm.data[y * w + x]) brute = brute ? [Math.min(brute[0], x), Math.min(brute[1], y), Math.max(brute[2], x), Math.max(brute[3], y)] : [x, y, x, y];
      expect(bm.box, `mask ${n}`).toEqual(brute);
      expect(decode(rle).box, `mask ${n}`).toEqual(brute);
    }
  });

  it("reads only the bounds it is given, with the same runs", () => {
    for (const [n, bm] of speckled(5, 100, 10, 4)) {
      const tight = decode(encode(bm)).box ?? null;
      const grown: [number, number, number, number] | null = tight && [tight[0] - 2, tight[1] - 1, tight[2] + 3, tight[3] + 20];
      for (const within of [tight, grown]) expect(runs(bm, within), `mask ${n} within ${within}`).toEqual(runs(bm));
    }
  });

  it("round-trips a random mask", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const bm = emptyBitmap(97, 61);
    for (let i = 0; i < bm.data.length; i++) bm.data[i] = rnd() < 0.3 ? 1 : 0;
    expect(decode(encode(bm)).data).toEqual(bm.data);
  });

  it("rejects malformed strings", () => {
    expect(() => decodeCounts("0!", 2)).toThrow(/character/);
    expect(() => decodeCounts("3", 4)).toThrow(/cover/);
    expect(() => decodeCounts("5", 4)).toThrow(/range/);
    expect(() => decodeCounts("0P", 1)).toThrow(/truncated/);
  });
});
