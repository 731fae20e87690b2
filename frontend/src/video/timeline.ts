// The video timeline: a bar with the playhead, a tick for every frame that
// has a mask, a strip in the current object's colour under the frames it
// has a mask on, and a marker for every prompted frame; click or drag to
// seek.
import { el } from "../view/dom";

export interface TimelineMarks {
  masked: Set<number>;
  prompted: Set<number>;
  /** The current object's frames with a mask, and its colour. */
  object?: { frames: Set<number>; color: string };
}

export class Timeline {
  readonly root: HTMLDivElement;
  private readonly canvas = el("canvas", { class: "timeline-canvas" });
  private readonly label = el("span", { class: "frame-label" });
  private frames = 1;
  private current = 0;
  private marks: TimelineMarks = { masked: new Set(), prompted: new Set() };

  constructor(private readonly seek: (frame: number) => void) {
    this.root = el("div", { class: "timeline" }, this.canvas, this.label);
    let dragging = false;
    const at = (e: PointerEvent) => {
      const r = this.canvas.getBoundingClientRect();
      const f = Math.round(((e.clientX - r.left) / Math.max(1, r.width)) * (this.frames - 1));
      this.seek(Math.min(this.frames - 1, Math.max(0, f)));
    };
    this.canvas.addEventListener("pointerdown", (e) => {
      dragging = true;
      this.canvas.setPointerCapture(e.pointerId);
      at(e);
    });
    this.canvas.addEventListener("pointermove", (e) => dragging && at(e));
    this.canvas.addEventListener("pointerup", () => (dragging = false));
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  set(frames: number, current: number, marks: TimelineMarks): void {
    this.frames = Math.max(1, frames);
    this.current = current;
    this.marks = marks;
    this.label.textContent = `frame ${current} / ${this.frames - 1}`;
    this.root.dataset.frame = String(current);
    this.root.dataset.objectFrames = String(marks.object?.frames.size ?? 0);
    this.draw();
  }

  private draw(): void {
    const c = this.canvas;
    const r = c.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(r.width * dpr));
    c.height = Math.max(1, Math.round(r.height * dpr));
    const ctx = c.getContext("2d")!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const w = r.width;
    const h = r.height;
    const x = (f: number) => (this.frames <= 1 ? 0 : (f / (this.frames - 1)) * (w - 2) + 1);
    ctx.fillStyle = "#2a2f3a";
    ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = "#3f8cff";
    const tick = Math.max(1, w / this.frames);
    for (const f of this.marks.masked) ctx.fillRect(x(f) - 0.5, h * 0.45, tick, h * 0.35);
    const o = this.marks.object;
    if (o) {
      ctx.fillStyle = o.color;
      for (const f of o.frames) ctx.fillRect(x(f) - 0.5, h * 0.82, tick, h * 0.18);
    }
    ctx.fillStyle = "#ffd54a";
    for (const f of this.marks.prompted) {
      ctx.beginPath();
      ctx.moveTo(x(f), h * 0.4);
      ctx.lineTo(x(f) - 4, 2);
      ctx.lineTo(x(f) + 4, 2);
      ctx.fill();
    }
    ctx.fillStyle = "#fff";
    ctx.fillRect(x(this.current) - 1, 0, 2, h);
  }
}
