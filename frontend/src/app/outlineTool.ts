// The outline tool: the current object's outline on this frame as a
// polygon of handles (from POST /v1/masks/outline, simplified to about a
// screen pixel at the zoom it was asked at). Drag a handle to move it, drag
// from an edge to add one there, right-click (or Alt-click) a handle to
// remove it, click another object's mask to outline that one; each change
// is one undo step and changes the mask only between the old and new edges
// (see mask/outline.ts). The outline follows the mask: after an undo, an AI
// answer or a brush stroke it is asked for again.
import type { OutlineResponse, RLE } from "../api/types.gen";
import { editRings, insertHandle, moveHandle, nearestEdge, nearestHandle, removeHandle, type EditRing, type Pt } from "../mask/outline";
import { polygonBounds, xorPolygon } from "../mask/polygon";
import type { Viewport } from "../view/viewport";
import type { Annotator } from "./annotator";

export type FetchOutline = (mask: RLE, tolerance: number) => Promise<OutlineResponse>;

/** Screen pixels within which a press takes a handle or an edge. */
const reach = 8;

/** The tolerance, in image pixels, of the handles at a zoom: about a
 * screen pixel and a half, from half an image pixel to 8. */
function toleranceAt(scale: number): number {
  return Math.min(8, Math.max(0.5, 1.5 / scale));
}

export class OutlineTool {
  private rings: EditRing[] | null = null;
  /** The mask the rings outline, and the tolerance they were asked with. */
  private source: { id: number; frame: number; mask: RLE; tolerance: number } | null = null;
  /** The mask whose outline was asked for and has not come yet. */
  private asked: RLE | null = null;
  /** The last mask the engine could not outline (not asked again). */
  private failed: RLE | null = null;
  private drag: { ring: number; index: number; to: Pt | null } | null = null;
  private applying = false;

  constructor(
    private readonly a: Annotator,
    private readonly fetch: FetchOutline,
    private readonly onError: (message: string) => void,
  ) {
    a.onChange(() => this.sync());
    a.addDrawer((ctx, view) => this.draw(ctx, view));
  }

  /** The handles shown (0: no outline shown). */
  get handles(): number {
    return this.rings?.reduce((n, r) => n + r.handles.length, 0) ?? 0;
  }

  /** Follows the tool, the current object and its mask on this frame. */
  private sync(): void {
    if (this.applying) return;
    const o = this.a.tool === "outline" ? this.a.current : undefined;
    const mask = o?.masks[String(this.a.frame)];
    if (!o || !mask) {
      this.clear();
      return;
    }
    const s = this.source;
    if ((s?.id === o.id && s.frame === this.a.frame && s.mask === mask) || this.asked === mask || this.failed === mask) return;
    this.clear();
    this.asked = mask;
    const tolerance = toleranceAt(this.a.stage.view.scale);
    const key = { id: o.id, frame: this.a.frame, mask, tolerance };
    this.fetch(mask, tolerance).then(
      (res) => {
        if (this.asked !== mask) return; // the mask changed meanwhile
        this.asked = null;
        this.rings = editRings(res);
        this.source = key;
        this.a.stage.redrawUI();
      },
      (err) => {
        if (this.asked !== mask) return;
        this.asked = null;
        this.failed = mask;
        this.onError((err as Error).message ?? String(err));
      },
    );
  }

  private clear(): void {
    if (!this.rings && !this.source && !this.asked && !this.drag) return;
    this.rings = null;
    this.source = null;
    this.asked = null;
    this.drag = null;
    this.a.stage.redrawUI();
  }

  /** A press at p: takes the handle there (or a new one on the edge there)
   * to drag and returns true; with remove, removes the handle there. */
  press(p: Pt, remove: boolean): boolean {
    const rings = this.rings;
    if (!rings) {
      if (!remove) this.a.selectAt(p);
      return false;
    }
    const near = reach / this.a.stage.view.scale;
    if (remove) {
      this.removeAt(p);
      return false;
    }
    const h = nearestHandle(rings, p, near);
    if (h) {
      this.drag = { ...h, to: null };
      return true;
    }
    const e = nearestEdge(rings, p, near);
    if (!e) {
      this.a.selectAt(p);
      return false;
    }
    this.drag = { ring: e.ring, index: insertHandle(rings[e.ring], e.index, p), to: null };
    this.a.stage.redrawUI();
    return true;
  }

  /** Removes the handle at p (one undo step); false when there is none. */
  removeAt(p: Pt): boolean {
    const h = this.rings && nearestHandle(this.rings, p, reach / this.a.stage.view.scale);
    if (!h) return false;
    const loop = removeHandle(this.rings![h.ring], h.index);
    if (loop) this.apply(loop);
    else this.onError("An outline keeps at least three corners: erase the part, or use Remove specks.");
    return true;
  }

  move(p: Pt): void {
    if (!this.drag) return;
    this.drag.to = p;
    this.a.stage.redrawUI();
  }

  /** Moves the dragged handle where it was dropped (apply), or leaves it. */
  release(apply: boolean): void {
    const d = this.drag;
    this.drag = null;
    if (apply && d?.to && this.rings) this.apply(moveHandle(this.rings[d.ring], d.index, d.to));
    this.a.stage.redrawUI();
  }

  /** Flips the pixels inside loop: one undo step. */
  private apply(loop: Pt[]): void {
    const s = this.source;
    if (!s) return;
    this.applying = true;
    try {
      const mask = this.a.editMask(s.id, (bm) => {
        xorPolygon(bm, loop);
        return polygonBounds(loop);
      });
      this.source = mask ? { ...s, mask } : null;
    } finally {
      this.applying = false;
    }
  }

  private draw(ctx: CanvasRenderingContext2D, view: Viewport): void {
    if (this.a.tool !== "outline") return;
    // Zoomed in or out a lot since: the outline again, with handles about
    // a screen pixel apart at this zoom (the mask is the same).
    const s = this.source;
    const tolerance = toleranceAt(view.scale);
    if (s && !this.drag && (tolerance > 2 * s.tolerance || tolerance < s.tolerance / 2)) {
      this.source = null;
      queueMicrotask(() => this.sync());
    }
    const rings = this.rings;
    if (!rings) {
      // What to do, where the picture's top-left corner is on screen.
      const hint = this.asked ? "outlining…" : "Click an object's mask to edit its outline";
      const [x, y] = view.toScreen(0, 0);
      ctx.font = "13px sans-serif";
      const w = ctx.measureText(hint).width;
      ctx.fillStyle = "rgba(0, 0, 0, 0.6)";
      ctx.fillRect(Math.max(8, x + 8), Math.max(8, y + 8), w + 16, 24);
      ctx.fillStyle = "#fff";
      ctx.fillText(hint, Math.max(8, x + 8) + 8, Math.max(8, y + 8) + 16);
      return;
    }
    const color = this.a.current?.color ?? "#ffffff";
    const d = this.drag;
    const at = (ri: number, i: number): Pt => {
      const p = d?.to && d.ring === ri && d.index === i ? d.to : rings[ri].handles[i];
      return view.toScreen(p[0], p[1]) as Pt;
    };
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = color;
    ctx.beginPath();
    rings.forEach((r, ri) => {
      r.handles.forEach((_, i) => (i ? ctx.lineTo(...at(ri, i)) : ctx.moveTo(...at(ri, i))));
      ctx.closePath();
    });
    ctx.stroke();
    const pointer = this.a.stage.pointer;
    const hot = pointer && !d ? nearestHandle(rings, pointer as Pt, reach / view.scale) : null;
    ctx.fillStyle = "#fff";
    rings.forEach((r, ri) =>
      r.handles.forEach((_, i) => {
        const [x, y] = at(ri, i);
        const s = (hot?.ring === ri && hot.index === i) || (d?.ring === ri && d.index === i) ? 5 : 3;
        ctx.fillRect(x - s, y - s, 2 * s, 2 * s);
        ctx.strokeRect(x - s, y - s, 2 * s, 2 * s);
      }),
    );
  }
}
