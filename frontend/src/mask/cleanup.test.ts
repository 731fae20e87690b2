import { describe, expect, it } from "vitest";
import { fillHoles, growMask, removeSpecks } from "./cleanup";
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
