// The mapping between image pixels and screen (element) pixels:
// screen = image * scale + offset. Zoom keeps the point under the cursor
// fixed; fit centres the whole image.

export interface Size {
  width: number;
  height: number;
}

export const minScale = 0.02;
export const maxScale = 64;

export class Viewport {
  scale = 1;
  x = 0; // screen position of image (0, 0)
  y = 0;

  toImage(sx: number, sy: number): [number, number] {
    return [(sx - this.x) / this.scale, (sy - this.y) / this.scale];
  }

  toScreen(ix: number, iy: number): [number, number] {
    return [ix * this.scale + this.x, iy * this.scale + this.y];
  }

  /** Multiplies the scale by factor around screen point (sx, sy). */
  zoomAt(sx: number, sy: number, factor: number): void {
    const next = Math.min(maxScale, Math.max(minScale, this.scale * factor));
    const [ix, iy] = this.toImage(sx, sy);
    this.scale = next;
    this.x = sx - ix * next;
    this.y = sy - iy * next;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  /** Fits image into view with a margin, centred. */
  fit(image: Size, view: Size, margin = 16): void {
    this.fitBox([0, 0, image.width, image.height], view, margin);
  }

  /** Fits the image region box [x0, y0, x1, y1) into view with a margin,
   * centred, zooming in at most to most. */
  fitBox(box: readonly [number, number, number, number], view: Size, margin = 16, most = maxScale): void {
    const [w, h] = [Math.max(1, box[2] - box[0]), Math.max(1, box[3] - box[1])];
    const s = Math.min((view.width - 2 * margin) / w, (view.height - 2 * margin) / h);
    this.scale = Math.min(most, maxScale, Math.max(minScale, s));
    this.x = view.width / 2 - ((box[0] + box[2]) / 2) * this.scale;
    this.y = view.height / 2 - ((box[1] + box[3]) / 2) * this.scale;
  }

  /** The CSS transform that places an image-sized element. */
  css(): string {
    return `translate(${this.x}px, ${this.y}px) scale(${this.scale})`;
  }
}

/** Wheel delta (pixels) to a zoom factor: smooth for trackpads and wheels. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-Math.max(-300, Math.min(300, px)) * 0.0015);
}

/** Clamps an image point into the image (pixel centres stay inside). */
export function clampToImage(p: [number, number], image: Size): [number, number] {
  return [Math.min(Math.max(p[0], 0), image.width - 0.001), Math.min(Math.max(p[1], 0), image.height - 0.001)];
}
