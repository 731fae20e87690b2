// The mask layer: one canvas at the image's full resolution holding every
// visible object's mask in its colour (the selected one stronger, with an
// outline). It is repainted only when masks change; zoom and pan move it
// with the image by CSS transform.
import type { RLE } from "../api/types.gen";
import { decode, type Bitmap } from "../mask/rle";

/** Decoded masks, by RLE object (states share RLE objects between steps). */
const decoded = new WeakMap<RLE, Bitmap>();

/** Records the bitmap an RLE was encoded from (no decode needed later). */
export function remember(rle: RLE, bm: Bitmap): void {
  decoded.set(rle, bm);
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

  /** Repaints every object (later objects over earlier ones). */
  paint(objects: LayerObject[]): void {
    const { width: w, height: h } = this.canvas;
    if (!w || !h) return;
    this.image ??= this.ctx.createImageData(w, h);
    const px = new Uint32Array(this.image.data.buffer);
    px.fill(0);
    const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
    const pack = (r: number, g: number, b: number, a: number) => (little ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0);
    // Outlines are t image pixels wide, so they stay visible at fit zoom on
    // large images; the selected object's is white, the others' opaque.
    const t = Math.max(1, Math.round(Math.max(w, h) / 800));
    const white = pack(255, 255, 255, 255);
    for (const o of objects) {
      const bm = bitmapOf(o.mask);
      if (bm.width !== w || bm.height !== h) continue;
      const [r, g, b] = parseColor(o.color);
      const fill = pack(r, g, b, o.selected ? 140 : 100);
      const edge = o.selected ? white : pack(r, g, b, 255);
      const d = bm.data;
      const box = bm.box === undefined ? [0, 0, w - 1, h - 1] : bm.box;
      if (!box) continue;
      for (let y = box[1]; y <= box[3]; y++) {
        const row = y * w;
        const inner = y >= t && y < h - t;
        for (let x = box[0]; x <= box[2]; x++) {
          const i = row + x;
          if (!d[i]) continue;
          const border = !inner || x < t || x >= w - t || !d[i - t] || !d[i + t] || !d[i - t * w] || !d[i + t * w];
          px[i] = border ? edge : fill;
        }
      }
    }
    this.ctx.putImageData(this.image, 0, 0);
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
  }
}
