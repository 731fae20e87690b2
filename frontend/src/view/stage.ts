// The image view: the picture drawn once into a canvas at full resolution,
// the mask layer above it, both placed by one CSS transform (so zoom and pan
// cost no redraw), and a screen-sized canvas on top for prompts, the box
// being dragged and the brush cursor. Pointer input becomes image-space
// events: click (left positive, right negative), box (left drag), strokes
// (brush/eraser), polygon corners, outline handles, pan (space or middle
// drag) and wheel zoom at the cursor.
import type { Box, Point } from "../editor/annotations";
import { pictureFilter, type Display } from "./display";
import { MaskLayer } from "./overlay";
import { clampToImage, Viewport, wheelFactor } from "./viewport";

export type Tool = "prompt" | "brush" | "eraser" | "exemplar" | "polygon" | "outline";

export interface StageInput {
  tool(): Tool;
  /** Brush radius in image pixels. */
  brushRadius(): number;
  click(p: Point, positive: boolean): void;
  /** Ctrl-click (Cmd on a Mac): select the object there. */
  pick(p: Point): void;
  /** A dragged box; negative when Shift was held (exemplar boxes). */
  box(b: Box, negative: boolean): void;
  strokeStart(p: Point, erase: boolean): void;
  strokeMove(p: Point): void;
  strokeEnd(): void;
  /** Polygon tool: a left press adds a corner (shift: held then), and a
   * drag from it more, every few screen pixels, closing the polygon on
   * release (a lasso); a right press closes the polygon. */
  corner(p: Point, shift: boolean, tracing: boolean): void;
  closePolygon(): void;
  /** Outline tool: a press at p (remove: right button or Alt, which removes
   * the handle there); true when it took a handle to drag. */
  outlinePress(p: Point, remove: boolean): boolean;
  outlineDrag(p: Point): void;
  /** The drag ends: the handle moves there, unless apply is false. */
  outlineRelease(apply: boolean): void;
  /** Draws prompts etc. on the screen-space canvas. */
  drawUI(ctx: CanvasRenderingContext2D, view: Viewport): void;
}

const dragThreshold = 4; // screen pixels before a press becomes a box

function isPaint(t: Tool): boolean {
  return t === "brush" || t === "eraser";
}

export class Stage {
  readonly root: HTMLDivElement;
  readonly view = new Viewport();
  readonly masks = new MaskLayer();
  private readonly content: HTMLDivElement;
  private readonly picture: HTMLCanvasElement;
  private readonly ui: HTMLCanvasElement;
  private size = { width: 0, height: 0 };
  private spaceDown = false;
  private drag: { mode: "pan" | "press" | "box" | "stroke" | "corner" | "lasso" | "handle"; sx: number; sy: number; start: Point; cur: Point; button: number; shift: boolean } | null = null;
  private cursor: Point | null = null;
  private raf = 0;
  private readonly resizeObserver: ResizeObserver;

  constructor(private readonly input: StageInput) {
    this.root = document.createElement("div");
    this.root.className = "stage";
    this.root.tabIndex = 0;
    this.content = document.createElement("div");
    this.content.className = "stage-content";
    this.picture = document.createElement("canvas");
    this.picture.className = "layer picture";
    this.content.append(this.picture, this.masks.canvas);
    this.ui = document.createElement("canvas");
    this.ui.className = "stage-ui";
    this.root.append(this.content, this.ui);
    this.listen();
    this.resizeObserver = new ResizeObserver(() => this.layoutUI());
    this.resizeObserver.observe(this.root);
  }

  get imageSize(): { width: number; height: number } {
    return this.size;
  }

  /** Shows a picture (drawn once) and fits it. */
  setPicture(src: CanvasImageSource, width: number, height: number, fit = true): void {
    const sizeChanged = this.size.width !== width || this.size.height !== height;
    this.size = { width, height };
    if (sizeChanged) {
      this.picture.width = width;
      this.picture.height = height;
    }
    this.picture.getContext("2d")!.drawImage(src, 0, 0, width, height);
    this.masks.resize(width, height);
    this.content.style.width = `${width}px`;
    this.content.style.height = `${height}px`;
    if (fit || sizeChanged) this.fit();
  }

  /** How the picture and the masks are shown (CSS only: nothing redraws). */
  setDisplay(d: Display, masksHidden: boolean): void {
    this.picture.style.filter = pictureFilter(d);
    this.masks.canvas.style.opacity = masksHidden ? "0" : String(d.masks);
  }

  fit(): void {
    const r = this.root.getBoundingClientRect();
    if (this.size.width) this.view.fit(this.size, { width: r.width || 800, height: r.height || 600 });
    this.apply();
  }

  /** Shows the image region box [x0, y0, x1, y1) as large as fits, up
   * to 8 screen pixels an image pixel. */
  zoomTo(box: readonly [number, number, number, number]): void {
    const r = this.root.getBoundingClientRect();
    this.view.fitBox(box, { width: r.width || 800, height: r.height || 600 }, 48, 8);
    this.apply();
  }

  zoom(factor: number): void {
    const r = this.root.getBoundingClientRect();
    this.view.zoomAt(r.width / 2, r.height / 2, factor);
    this.apply();
  }

  /** Where the pointer is over the picture (image pixels), if it is. */
  get pointer(): Point | null {
    return this.cursor;
  }

  /** Image point → client (page) coordinates, for tests and tooltips. */
  toClient(p: Point): Point {
    const r = this.root.getBoundingClientRect();
    const [x, y] = this.view.toScreen(p[0], p[1]);
    return [x + r.left, y + r.top];
  }

  redrawUI(): void {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => {
      this.raf = 0;
      const ctx = this.ui.getContext("2d")!;
      const dpr = window.devicePixelRatio || 1;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, this.ui.width, this.ui.height);
      this.input.drawUI(ctx, this.view);
      const d = this.drag;
      if (d?.mode === "box") {
        const [x0, y0] = this.view.toScreen(d.start[0], d.start[1]);
        const [x1, y1] = this.view.toScreen(d.cur[0], d.cur[1]);
        ctx.setLineDash([6, 4]);
        ctx.strokeStyle = this.input.tool() !== "exemplar" ? "#ffd54a" : d.shift ? "#e74c3c" : "#2ecc71";
        ctx.lineWidth = 1.5;
        ctx.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
        ctx.setLineDash([]);
      }
      const tool = this.input.tool();
      if (this.cursor && isPaint(tool)) {
        const [cx, cy] = this.view.toScreen(this.cursor[0], this.cursor[1]);
        ctx.beginPath();
        ctx.arc(cx, cy, Math.max(1, this.input.brushRadius() * this.view.scale), 0, Math.PI * 2);
        ctx.strokeStyle = tool === "eraser" ? "#ff8080" : "#ffffff";
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    });
  }

  destroy(): void {
    this.resizeObserver.disconnect();
    window.removeEventListener("keydown", this.onKeyDown);
    window.removeEventListener("keyup", this.onKeyUp);
    this.root.remove();
  }

  private apply(): void {
    this.content.style.transform = this.view.css();
    this.content.classList.toggle("pixelated", this.view.scale >= 3);
    this.redrawUI();
  }

  private layoutUI(): void {
    const r = this.root.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    this.ui.width = Math.round(r.width * dpr);
    this.ui.height = Math.round(r.height * dpr);
    this.ui.style.width = `${r.width}px`;
    this.ui.style.height = `${r.height}px`;
    this.redrawUI();
  }

  private local(e: MouseEvent): [number, number] {
    const r = this.root.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  }

  private readonly onKeyDown = (e: KeyboardEvent) => {
    if (e.code === "Space" && !(e.target instanceof HTMLInputElement)) {
      this.spaceDown = true;
      this.root.classList.add("panning");
      e.preventDefault();
    }
  };

  private readonly onKeyUp = (e: KeyboardEvent) => {
    if (e.code === "Space") {
      this.spaceDown = false;
      this.root.classList.remove("panning");
    }
  };

  private listen(): void {
    const r = this.root;
    window.addEventListener("keydown", this.onKeyDown);
    window.addEventListener("keyup", this.onKeyUp);
    r.addEventListener("contextmenu", (e) => e.preventDefault());
    r.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const [sx, sy] = this.local(e);
        if (e.ctrlKey || !e.shiftKey) this.view.zoomAt(sx, sy, wheelFactor(e.deltaY, e.deltaMode));
        else this.view.panBy(-e.deltaY, 0);
        this.apply();
      },
      { passive: false },
    );
    r.addEventListener("pointerdown", (e) => {
      if (!this.size.width) return;
      r.focus();
      r.setPointerCapture(e.pointerId);
      const [sx, sy] = this.local(e);
      const p = clampToImage(this.view.toImage(sx, sy), this.size);
      const tool = this.input.tool();
      if (e.button === 1 || this.spaceDown) {
        this.drag = { mode: "pan", sx, sy, start: p, cur: p, button: e.button, shift: e.shiftKey };
      } else if (tool === "polygon" && e.button === 0) {
        // A corner; dragging on traces the outline (a lasso) until release.
        this.drag = { mode: "corner", sx, sy, start: p, cur: p, button: e.button, shift: e.shiftKey };
        this.input.corner(p, e.shiftKey, false);
      } else if (tool === "polygon" && e.button === 2) {
        this.drag = null;
        this.input.closePolygon();
      } else if (tool === "outline" && (e.button === 0 || e.button === 2)) {
        const took = this.input.outlinePress(p, e.button === 2 || e.altKey);
        this.drag = took ? { mode: "handle", sx, sy, start: p, cur: p, button: e.button, shift: e.shiftKey } : null;
      } else if (isPaint(tool) && (e.button === 0 || e.button === 2)) {
        this.drag = { mode: "stroke", sx, sy, start: p, cur: p, button: e.button, shift: e.shiftKey };
        this.input.strokeStart(p, tool === "eraser" || e.button === 2);
      } else {
        this.drag = { mode: "press", sx, sy, start: p, cur: p, button: e.button, shift: e.shiftKey };
      }
      e.preventDefault();
    });
    r.addEventListener("pointermove", (e) => {
      const [sx, sy] = this.local(e);
      const p = clampToImage(this.view.toImage(sx, sy), this.size);
      this.cursor = p;
      const d = this.drag;
      if (d?.mode === "pan") {
        this.view.panBy(sx - d.sx, sy - d.sy);
        d.sx = sx;
        d.sy = sy;
        this.apply();
        return;
      }
      if (d?.mode === "stroke") this.input.strokeMove(p);
      if (d?.mode === "handle") this.input.outlineDrag(p);
      if ((d?.mode === "corner" || d?.mode === "lasso") && Math.hypot(sx - d.sx, sy - d.sy) > dragThreshold) {
        d.mode = "lasso";
        d.sx = sx;
        d.sy = sy;
        this.input.corner(p, false, true);
      }
      if (d?.mode === "press" && d.button === 0 && Math.hypot(sx - d.sx, sy - d.sy) > dragThreshold) d.mode = "box";
      if (d) {
        d.cur = p;
        d.shift = e.shiftKey;
      }
      this.redrawUI();
    });
    const end = (e: PointerEvent, cancelled: boolean) => {
      const d = this.drag;
      this.drag = null;
      if (!d) return;
      if (d.mode === "stroke") this.input.strokeEnd();
      if (d.mode === "handle") this.input.outlineRelease(!cancelled);
      if (d.mode === "lasso" && !cancelled) this.input.closePolygon();
      if (cancelled) return;
      if (d.mode === "press" && d.button === 0 && (e.ctrlKey || e.metaKey)) this.input.pick(d.start);
      else if (d.mode === "press" && (d.button === 0 || d.button === 2)) this.input.click(d.start, d.button === 0 && !e.altKey);
      if (d.mode === "box") {
        const b: Box = [Math.min(d.start[0], d.cur[0]), Math.min(d.start[1], d.cur[1]), Math.max(d.start[0], d.cur[0]), Math.max(d.start[1], d.cur[1])];
        if (b[2] - b[0] >= 1 && b[3] - b[1] >= 1) this.input.box(b, e.shiftKey);
      }
      this.redrawUI();
    };
    r.addEventListener("pointerup", (e) => end(e, false));
    r.addEventListener("pointercancel", (e) => end(e, true));
    r.addEventListener("pointerleave", () => {
      this.cursor = null;
      this.redrawUI();
    });
  }
}
