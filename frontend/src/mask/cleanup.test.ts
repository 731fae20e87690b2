import { describe, expect, it } from "vitest";
import { fillHoles, growMask, removeSpecks } from "./cleanup";
import { seeded } from "./seeded";
import { decode, emptyBitmap, encode, type Bitmap, type Bounds } from "./rle";

function parse(...rows: string[]): Bitmap {
  const bm = emptyBitmap(rows[0].length, rows.length);
  rows.forEach((r, y) => [...r].forEach((c, x) => (bm.data[y * bm.width + x] = c === "#" ? 1 : 0)));
  return bm;
}

function show(bm: Bitmap): string[] {
  const rows: string[] = [];
  for (let y = 0; y < bm.height; y++) rows.push([...bm.data.subarray(y * bm.width, (y + 1) * bm.width)].map((v) => (v ? "#" : ".")).join(""));
  return rows;
}

const boundsOf = (bm: Bitmap): Bounds => decode(encode(bm)).box!;

describe("fillHoles", () => {
  it("fills enclosed holes, not bays open to the outside nor diagonal leaks", () => {
    const bm = parse(
      "........",
      ".######.",
      ".#..#.#.",
      ".#..###.",
      ".####...",
      ".#..#...",
      ".##.#...",
      "........",
    );
    expect(fillHoles(bm, boundsOf(bm))).toBe(5);
    expect(show(bm)).toEqual([
      "........",
      ".######.",
      ".######.",
      ".######.",
      ".####...",
      ".#..#...",
      ".##.#...",
      "........",
    ]);
  });

  it("fills a hole whose gap to the outside is only diagonal", () => {
    const bm = parse(
      ".....",
      ".###.",
      ".#.#.",
      ".##..",
      ".....",
    );
    // The hole touches the outside only at a corner: 4-neighbours keep it in.
    expect(fillHoles(bm, boundsOf(bm))).toBe(1);
    expect(bm.data[2 * 5 + 2]).toBe(1);
  });
});

describe("removeSpecks", () => {
  it("removes the parts smaller than the minimum, keeps diagonal neighbours together", () => {
    const bm = parse(
      "#.......",
      "........",
      "..###...",
      "..###...",
      ".....#..",
      "......#.",
      "........",
      "......##",
    );
    // Parts: the corner pixel (1), the block with its diagonal tail (6+2), the pair (2).
    expect(removeSpecks(bm, boundsOf(bm), 3)).toBe(3);
    expect(show(bm)).toEqual([
      "........",
      "........",
      "..###...",
      "..###...",
      ".....#..",
      "......#.",
      "........",
      "........",
    ]);
  });

  it("keeps everything at a minimum of one pixel", () => {
    const bm = parse("#.#", "...", "#.#");
    expect(removeSpecks(bm, boundsOf(bm), 1)).toBe(0);
  });
});

describe("growMask", () => {
  it("grows by the 8 neighbours of every set pixel, clipped to the image", () => {
    const bm = parse(
      "#.....",
      "......",
      "...#..",
      "......",
    );
    expect(growMask(bm, boundsOf(bm), 1)).toBe(3 + 8);
    expect(show(bm)).toEqual([
      "##....",
      "#####.",
      "..###.",
      "..###.",
    ]);
  });

  it("shrinks by clearing every set pixel next to an unset one; grow then shrink of a block is the block", () => {
    const bm = parse(
      "......",
      ".####.",
      ".####.",
      ".####.",
      "......",
    );
    expect(growMask(bm, boundsOf(bm), -1)).toBe(10);
    expect(show(bm)).toEqual(["......", "......", "..##..", "......", "......"]);
    expect(growMask(bm, boundsOf(bm), 1)).toBe(10);
    expect(show(bm)).toEqual(["......", ".####.", ".####.", ".####.", "......"]);
  });

  it("keeps a mask's pixels on the image's edge when shrinking", () => {
    const bm = parse("###", "###", "...");
    expect(growMask(bm, boundsOf(bm), -1)).toBe(3);
    expect(show(bm)).toEqual(["###", "...", "..."]);
  });
});

/** Labels of 4- or 8-connected pixels of value v over the whole bitmap. */
function label(bm: Bitmap, v: number, eight: boolean): Int32Array {
  const { width: w, height: h, data: d } = bm;
  const lab = new Int32Array(w * h).fill(-1);
  let next = 0;
  for (let i = 0; i < w * h; i++) {
    if (d[i] !== v || lab[i] >= 0) continue;
    const todo = [i];
    lab[i] = next;
    while (todo.length) {
      const j = todo.pop()!;
      const x = j % w, y = (j - x) / w;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        if ((!eight && dx && dy) || (!dx && !dy)) continue;
        const nx = x + dx, ny = y + dy;
        const k = ny * w + nx;
        if (nx >= 0 && ny >= 0 && nx < w && ny < h && d[k] === v && lab[k] < 0) {
          lab[k] = next;
          todo.push(k);
        }
      }
    }
    next++;
  }
  return lab;
}

describe("fillHoles and removeSpecks on random masks", () => {
  it("agree with labelling the whole picture", () => {
    const rnd = seeded(11);
    for (let n = 0; n < 60; n++) {
      const bm = emptyBitmap(3 + Math.floor(rnd() * 14), 3 + Math.floor(rnd() * 14));
      const density = 0.3 + 0.5 * rnd();
      for (let i = 0; i < bm.data.length; i++) bm.data[i] = rnd() < density ? 1 : 0;
      if (!bm.data.includes(1)) continue;
      const { width: w, height: h } = bm;
      // Holes: unset 4-connected parts that touch no edge of the picture.
      const bg = label(bm, 0, false);
      const edge = new Set<number>();
      for (let i = 0; i < w * h; i++) if (bg[i] >= 0 && (i % w === 0 || i % w === w - 1 || i < w || i >= w * (h - 1))) edge.add(bg[i]);
      const filled = Uint8Array.from(bm.data, (v, i) => (v || !edge.has(bg[i]) ? 1 : 0));
      const a = { ...bm, data: bm.data.slice() };
      fillHoles(a, boundsOf(bm));
      expect(a.data, `mask ${n}: holes`).toEqual(filled);
      // Specks: set 8-connected parts smaller than 4 pixels.
      const fg = label(bm, 1, true);
      const size = new Map<number, number>();
      for (const l of fg) if (l >= 0) size.set(l, (size.get(l) ?? 0) + 1);
      const kept = Uint8Array.from(bm.data, (v, i) => (v && size.get(fg[i])! >= 4 ? 1 : 0));
      const b = { ...bm, data: bm.data.slice() };
      removeSpecks(b, boundsOf(bm), 4);
      expect(b.data, `mask ${n}: specks`).toEqual(kept);
    }
  });
});
