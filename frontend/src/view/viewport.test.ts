import { describe, expect, it } from "vitest";
import { clampToImage, Viewport, wheelFactor } from "./viewport";

describe("Viewport", () => {
  it("maps screen to image and back", () => {
    const v = new Viewport();
    v.scale = 0.25;
    v.x = 100;
    v.y = 50;
    expect(v.toImage(100, 50)).toEqual([0, 0]);
    expect(v.toImage(200, 150)).toEqual([400, 400]);
    expect(v.toScreen(...v.toImage(123, 456))).toEqual([123, 456]);
  });

  it("zooms around the cursor", () => {
    const v = new Viewport();
    v.fit({ width: 4000, height: 3000 }, { width: 1000, height: 800 });
    const before = v.toImage(300, 200);
    v.zoomAt(300, 200, 3);
    const after = v.toImage(300, 200);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    v.zoomAt(300, 200, 1 / 3);
    expect(v.toImage(300, 200)[0]).toBeCloseTo(before[0], 9);
  });

  it("fits and centres", () => {
    const v = new Viewport();
    v.fit({ width: 4000, height: 3000 }, { width: 1032, height: 1000 }, 16);
    expect(v.scale).toBeCloseTo(0.25);
    const [x0, y0] = v.toScreen(0, 0);
    const [x1, y1] = v.toScreen(4000, 3000);
    expect(x0).toBeCloseTo(16);
    expect(x1).toBeCloseTo(1016);
    expect((y0 + y1) / 2).toBeCloseTo(500);
  });

  it("bounds the scale", () => {
    const v = new Viewport();
    for (let i = 0; i < 100; i++) v.zoomAt(0, 0, 2);
    expect(v.scale).toBe(64);
  });

  it("turns wheel deltas into factors", () => {
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(100, 0) * wheelFactor(-100, 0)).toBeCloseTo(1);
    expect(wheelFactor(3, 1)).toBeCloseTo(wheelFactor(48, 0));
  });

  it("clamps points into the image", () => {
    expect(clampToImage([-5, 10], { width: 20, height: 20 })).toEqual([0, 10]);
    expect(clampToImage([25, 20], { width: 20, height: 20 })[0]).toBeLessThan(20);
  });

  it("fits a region, centred, zooming in at most so far", () => {
    const v = new Viewport();
    v.fitBox([1000, 500, 1200, 600], { width: 1000, height: 800 }, 50);
    expect(v.scale).toBeCloseTo(4.5); // 900 / 200 wide
    expect(v.toScreen(1100, 550)).toEqual([500, 400]); // the centre in the middle
    v.fitBox([10, 10, 12, 12], { width: 1000, height: 800 }, 50, 8);
    expect(v.scale).toBe(8);
    expect(v.toScreen(11, 11)).toEqual([500, 400]);
  });
});
