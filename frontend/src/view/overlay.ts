// The mask layer: one canvas at the image's full resolution holding every
// visible object's mask in its colour (the selected one stronger, with an
// outline). Zoom and pan move it with the image by CSS transform; a paint
// redraws only the bounds of what changed since the last one (a click on a
// 12-megapixel photo repaints its object, not 48 MB of pixels).
import type { RLE } from "../api/types.gen";
import { decode, unionBounds as union, type Bitmap, type Bounds as Rect } from "../mask/rle";

/** Decoded masks, by RLE object (states share RLE objects between steps). */
const decoded = new WeakMap<RLE, Bitmap>();

/** Records the bitmap an RLE was encoded from (no decode needed later). */
export function remember(rle: RLE, bm: Bitmap): void {
  decoded.set(rle, bm);
}

/** The decoded bitmap of rle, to change: it leaves the cache (rle decodes
 * again when asked for later). */
export function takeBitmap(rle: RLE): Bitmap {
  const bm = bitmapOf(rle);
  decoded.delete(rle);
  return bm;
}

export function bitmapOf(rle: RLE): Bitmap {
  let bm = decoded.get(rle);
  if (!bm) {
    bm = decode(rle);
    decoded.set(rle, bm);
  }
  return bm;
}

export interface LayerObject {
  id: number;
  color: string;
  mask: RLE;
  selected: boolean;
}

export function parseColor(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [255, 64, 64];
}

export class MaskLayer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private image: ImageData | null = null;
  /** What the last paint drew, in order, and each one's bounds then (its
   * mask's bitmap may since have been taken to paint on). */
  private painted: LayerObject[] = [];
  private paintedBounds = new Map<number, Rect | null>();
  /** Where brush dabs drew since the last paint. */
  private scribbled: Rect | null = null;

  constructor() {
    this.canvas = document.createElement("canvas");
    this.canvas.className = "layer masks";
    this.ctx = this.canvas.getContext("2d")!;
  }

  resize(width: number, height: number): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
      this.image = null;
    }
  }

  /** Paints every object (later objects over earlier ones), redrawing only
   * the bounds of the objects that changed, came or went since the last
   * paint and of brush dabs since. */
  paint(objects: LayerObject[]): void {
    const { width: w, height: h } = this.canvas;
    if (!w || !h) return;
    const all: Rect = [0, 0, w - 1, h - 1];
    let dirty = this.image ? this.changed(objects, all) : all;
    dirty = union(dirty, this.scribbled);
    this.scribbled = null;
    this.painted = objects;
    this.paintedBounds = new Map(objects.map((o) => [o.id, this.bounds(o, all)]));
    if (!dirty) return;
    const [dx0, dy0] = [Math.max(0, dirty[0]), Math.max(0, dirty[1])];
    const [dx1, dy1] = [Math.min(w - 1, dirty[2]), Math.min(h - 1, dirty[3])];
    if (dx1 < dx0 || dy1 < dy0) return;
    this.image ??= this.ctx.createImageData(w, h);
    const px = new Uint32Array(this.image.data.buffer);
    for (let y = dy0; y <= dy1; y++) px.fill(0, y * w + dx0, y * w + dx1 + 1);
    const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
    const pack = (r: number, g: number, b: number, a: number) => (little ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0);
    // Outlines are t image pixels wide, so they stay visible at fit zoom on
    // large images; the selected object's is white, the others' opaque.
    const t = Math.max(1, Math.round(Math.max(w, h) / 800));
    const white = pack(255, 255, 255, 255);
    for (const o of objects) {
      const box = this.paintedBounds.get(o.id);
      if (!box) continue;
      const d = bitmapOf(o.mask).data;
      const [r, g, b] = parseColor(o.color);
      const fill = pack(r, g, b, o.selected ? 140 : 100);
      const edge = o.selected ? white : pack(r, g, b, 255);
      const x0 = Math.max(box[0], dx0), x1 = Math.min(box[2], dx1);
      for (let y = Math.max(box[1], dy0); y <= Math.min(box[3], dy1); y++) {
        const row = y * w;
        const inner = y >= t && y < h - t;
        for (let x = x0; x <= x1; x++) {
          const i = row + x;
          if (!d[i]) continue;
          const border = !inner || x < t || x >= w - t || !d[i - t] || !d[i + t] || !d[i - t * w] || !d[i + t * w];
          px[i] = border ? edge : fill;
        }
      }
    }
    this.ctx.putImageData(this.image, 0, 0, dx0, dy0, dx1 - dx0 + 1, dy1 - dy0 + 1);
  }

  /** The bounds of o's set pixels (all: unknown), null for none or a mask
   * of another size. */
  private bounds(o: LayerObject, all: Rect): Rect | null {
    const bm = bitmapOf(o.mask);
    if (bm.width !== all[2] + 1 || bm.height !== all[3] + 1) return null;
    return bm.box === undefined ? all : bm.box;
  }

  /** What to redraw for objects after the last paint: the bounds of every
   * object that changed, came or went (all of it when the order of the
   * others changed); null when nothing did. */
  private changed(objects: LayerObject[], all: Rect): Rect | null {
    const before = new Map(this.painted.map((o) => [o.id, o]));
    const now = new Set(objects.map((o) => o.id));
    let dirty: Rect | null = null;
    for (const o of objects) {
      const p = before.get(o.id);
      if (p && p.mask === o.mask && p.color === o.color && p.selected === o.selected) continue;
      dirty = union(dirty, this.bounds(o, all));
      if (p) dirty = union(dirty, this.paintedBounds.get(p.id) ?? null);
    }
    for (const p of this.painted) if (!now.has(p.id)) dirty = union(dirty, this.paintedBounds.get(p.id) ?? null);
    const kept = objects.filter((o) => before.has(o.id)).map((o) => o.id);
    const keptBefore = this.painted.filter((o) => now.has(o.id)).map((o) => o.id);
    return kept.every((id, i) => id === keptBefore[i]) ? dirty : all;
  }

  /** Draws a brush dab directly (live feedback during a stroke). */
  dab(x: number, y: number, radius: number, color: string, erase: boolean): void {
    const c = this.ctx;
    c.save();
    c.globalCompositeOperation = erase ? "destination-out" : "source-over";
    const [r, g, b] = parseColor(color);
    c.fillStyle = erase ? "#000" : `rgba(${r},${g},${b},0.6)`;
    c.beginPath();
    c.arc(x, y, radius, 0, Math.PI * 2);
    c.fill();
    c.restore();
    // Antialiasing reaches a pixel past the disc.
    const m = radius + 2;
    this.scribbled = union(this.scribbled, [Math.floor(x - m), Math.floor(y - m), Math.ceil(x + m), Math.ceil(y + m)]);
  }
}
