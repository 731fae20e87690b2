// The editing core shared by the image and video views: the annotation
// state with its undo history, autosave, AI prompts (one request in flight,
// clicks coalesced; a result amends the click's undo step and only ever
// changes the object it was asked for), brush and eraser strokes, drawn
// polygons (added to the object or cut out of it), outline handles, exemplar
// boxes handed to the concept panel, a preview of concept detections, and
// the stage that shows it all.
import type { AnnotatedObject, AnnotationDoc, Label, RLE } from "../api/types.gen";
import * as A from "../editor/annotations";
import { Autosaver, type SaveStatus, type SaveError } from "../editor/autosave";
import { History } from "../editor/history";
import type { Journal } from "../editor/journal";
import { LatestOnly } from "../editor/latest";
import { stampSegment } from "../mask/brush";
import { fillHoles, growMask, removeSpecks } from "../mask/cleanup";
import { fillPolygon, polygonBounds } from "../mask/polygon";
import { area, boundsOfRuns, decodeCounts, emptyBitmap, encode, unionBounds, type Bitmap, type Bounds } from "../mask/rle";
import { bitmapOf, remember, takeBitmap } from "../view/overlay";
import { Stage, type Tool } from "../view/stage";
import type { Viewport } from "../view/viewport";
import { OutlineTool, type FetchOutline } from "./outlineTool";
import type { SegmentRequest, Segmenter } from "./segmenter";

/** Concept detections not yet objects. */
const previewColor = "#ffd54a";

export const objectPalette = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990"];

export interface AnnotatorOptions {
  width: number;
  height: number;
  doc: AnnotationDoc;
  labels: () => Label[];
  segmenter: Segmenter;
  /** The outline of a mask, to edit by its handles (POST /v1/masks/outline). */
  outline: FetchOutline;
  save: (doc: AnnotationDoc) => Promise<AnnotationDoc>;
  toSaveError: (e: unknown) => SaveError;
  onSaveStatus: (s: SaveStatus) => void;
  onError: (message: string) => void;
  /** Keeps edits that could not be saved (see editor/journal.ts). */
  journal?: Journal;
  saveDelayMs?: number;
}

/** The fixes cleanMask makes. */
export type MaskFix = "fill-holes" | "remove-specks" | "grow" | "shrink";

export class Annotator {
  readonly stage: Stage;
  readonly history: History<A.AnnotationState>;
  readonly autosave: Autosaver;
  frame = 0;
  tool: Tool = "prompt";
  brushRadius = 12;
  /** The label given to new objects (the last one chosen). */
  defaultLabel = "";
  /** True while the model works on a prompt. */
  busy = false;
  /** Only the current object's masks are shown (S). */
  solo = false;
  private readonly listeners = new Set<() => void>();
  private readonly ai: LatestOnly<SegmentRequest, RLE | null>;
  private clickStep: A.AnnotationState | null = null;
  /** A brush stroke: its mask, and the bounds its set pixels stay in. */
  private stroke: { id: number; bm: Bitmap; within: Bounds | null | undefined; last: A.Point; erase: boolean; created: boolean } | null = null;
  /** The polygon being drawn: its corners, and whether it cuts. */
  private polygon: { pts: A.Point[]; cut: boolean } | null = null;
  private readonly drawers = new Set<(ctx: CanvasRenderingContext2D, view: Viewport) => void>();
  /** Receives boxes dragged with the exemplar tool (the concept panel). */
  exemplarBox: ((b: A.Box, negative: boolean) => void) | null = null;
  /** Detections shown but not (yet) objects: a concept on a video frame. */
  private preview: { frame: number; masks: RLE[] } | null = null;
  private readonly outline: OutlineTool;

  constructor(private readonly opts: AnnotatorOptions) {
    this.history = new History(A.fromDoc(opts.doc));
    this.defaultLabel = opts.labels()[0]?.name ?? "";
    this.stage = new Stage({
      tool: () => this.tool,
      brushRadius: () => this.brushRadius,
      click: (p, positive) => this.click(p, positive),
      pick: (p) => this.selectAt(p),
      box: (b, negative) => this.box(b, negative),
      strokeStart: (p, erase) => this.strokeStart(p, erase),
      strokeMove: (p) => this.strokeMove(p),
      strokeEnd: () => this.strokeEnd(),
      corner: (p, shift, tracing) => this.corner(p, shift, tracing),
      closePolygon: () => this.closePolygon(),
      outlinePress: (p, remove) => this.outline.press(p, remove),
      outlineDrag: (p) => this.outline.move(p),
      outlineRelease: (apply) => this.outline.release(apply),
      drawUI: (ctx, view) => this.drawPrompts(ctx, view),
    });
    this.autosave = new Autosaver({
      version: opts.doc.version,
      delayMs: opts.saveDelayMs ?? 400,
      snapshot: (version) => A.toDoc(this.state, version),
      save: opts.save,
      onStatus: (st) => {
        if (st.state === "saved") opts.journal?.clear();
        if (st.state === "error") this.keepUnsaved();
        opts.onSaveStatus(st);
      },
      toError: opts.toSaveError,
    });
    this.ai = new LatestOnly(
      (req) => {
        this.setBusy(true);
        return opts.segmenter.segment(req);
      },
      (req, rle) => this.applyResult(req, rle),
      (_, err) => opts.onError((err as Error).message ?? String(err)),
      () => this.setBusy(false),
    );
    this.outline = new OutlineTool(this, opts.outline, opts.onError);
  }

  /** With the outline tool, removes the handle under the pointer (Delete);
   * false when there is none. */
  removeHandleUnderPointer(): boolean {
    const p = this.stage.pointer;
    return this.tool === "outline" && p !== null && this.outline.removeAt(p);
  }

  /** The handles of the outline the outline tool shows (0: none). */
  get outlineHandles(): number {
    return this.outline.handles;
  }

  get state(): A.AnnotationState {
    return this.history.present;
  }

  get current(): A.EditorObject | undefined {
    return A.find(this.state, this.state.current);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Repaints masks and prompts and tells the panels. */
  render(): void {
    const key = String(this.frame);
    const objects = this.state.objects
      .filter((o) => o.visible && o.masks[key] && (!this.solo || o.id === this.state.current))
      .map((o) => ({ id: o.id, color: o.color, mask: o.masks[key], selected: o.id === this.state.current }));
    if (this.preview?.frame === this.frame) objects.push(...this.preview.masks.map((mask, i) => ({ id: -1 - i, color: previewColor, mask, selected: false })));
    this.stage.masks.paint(objects);
    this.stage.redrawUI();
    this.notify();
  }

  /** Tells the panels (no repaint). */
  notify(): void {
    for (const fn of this.listeners) fn();
  }

  /** Shows only the current object's masks, or all again. */
  toggleSolo(): void {
    this.solo = !this.solo;
    this.render();
  }

  setTool(t: Tool): void {
    if (t !== "polygon") this.polygon = null;
    this.tool = t;
    this.stage.root.dataset.tool = t;
    this.stage.redrawUI();
    this.notify();
  }

  /** Draws more on the prompt layer (exemplar boxes); returns its removal. */
  addDrawer(fn: (ctx: CanvasRenderingContext2D, view: Viewport) => void): () => void {
    this.drawers.add(fn);
    this.stage.redrawUI();
    return () => {
      this.drawers.delete(fn);
      this.stage.redrawUI();
    };
  }

  /** Shows detections on a frame without making them objects (null: none). */
  setPreview(p: { frame: number; masks: RLE[] } | null): void {
    if (p === this.preview) return;
    this.preview = p;
    this.render();
  }

  /** Records an edit: one undo step, a repaint and an autosave. */
  private commit(next: A.AnnotationState): void {
    if (next === this.state) return;
    this.history.push(next);
    this.edited();
  }

  private edited(): void {
    this.render();
    this.autosave.changed();
  }

  /** Merges object from into object into (one undo step). */
  merge(into: number, from: number): void {
    this.commit(A.mergeInto(this.state, into, from));
  }

  /** Shows or hides every object with label (one undo step). */
  setLabelVisible(label: string, visible: boolean): void {
    this.commit(A.setLabelVisible(this.state, label, visible));
  }

  /** Marks the media finished, or not (one undo step, saved). */
  setDone(done: boolean): void {
    this.commit(A.setDone(this.state, done));
  }

  undo(): void {
    if (this.history.undo()) this.edited();
  }

  redo(): void {
    if (this.history.redo()) this.edited();
  }

  /** A colour for a new object: its label's, else the next palette colour. */
  colorFor(label: string, id: number): string {
    return this.opts.labels().find((l) => l.name === label)?.color ?? objectPalette[(id - 1) % objectPalette.length];
  }

  newObject(): void {
    const id = A.nextId(this.state);
    this.commit(A.addObject(this.state, this.defaultLabel, this.colorFor(this.defaultLabel, id)));
  }

  select(id: number | null): void {
    // Selection is not an edit: no undo step, no save.
    this.history.amend(A.select(this.state, id));
    this.render();
  }

  /** Selects the topmost shown object whose mask on this frame covers p
   * (none there: the selection stays). */
  selectAt(p: A.Point): void {
    const key = String(this.frame);
    const [x, y] = [Math.floor(p[0]), Math.floor(p[1])];
    const hit = [...this.state.objects].reverse().find((o) => {
      const m = o.visible ? o.masks[key] : undefined;
      if (!m) return false;
      const bm = bitmapOf(m);
      return x >= 0 && y >= 0 && x < bm.width && y < bm.height && bm.data[y * bm.width + x] === 1;
    });
    if (hit && hit.id !== this.state.current) this.select(hit.id);
  }

  /** Selects object id and zooms to its mask on this frame (if any). */
  zoomToObject(id: number): void {
    this.select(id);
    const rle = A.find(this.state, id)?.masks[String(this.frame)];
    const b = rle ? boundsOfRuns(decodeCounts(rle.counts, rle.size[0] * rle.size[1]), rle.size[0]) : null;
    if (b) this.stage.zoomTo([b[0], b[1], b[2] + 1, b[3] + 1]);
  }

  selectNext(delta: number): void {
    const objs = this.state.objects;
    if (!objs.length) return;
    const i = objs.findIndex((o) => o.id === this.state.current);
    this.select(objs[(i + delta + objs.length) % objs.length].id);
  }

  setLabel(id: number, label: string): void {
    this.defaultLabel = label;
    this.commit(A.updateObject(this.state, id, (o) => ({ ...o, label, color: this.colorFor(label, o.id) })));
  }

  /** Keys 1-9: the n-th project label for the current object (and new ones). */
  setLabelIndex(n: number): void {
    const l = this.opts.labels()[n];
    if (!l) return;
    this.defaultLabel = l.name;
    if (this.current) this.setLabel(this.current.id, l.name);
    else this.render();
  }

  setColor(id: number, color: string): void {
    this.commit(A.updateObject(this.state, id, (o) => ({ ...o, color })));
  }

  /** Copies objects of another media onto this one (one undo step). */
  copyObjects(objects: AnnotatedObject[]): void {
    this.commit(A.appendObjects(this.state, objects));
  }

  setFlag(id: number, name: string, on: boolean): void {
    this.commit(A.setFlag(this.state, id, name, on));
  }

  setNote(id: number, note: string): void {
    if ((A.find(this.state, id)?.note ?? "") !== note) this.commit(A.setNote(this.state, id, note));
  }

  toggleVisible(id: number): void {
    this.commit(A.updateObject(this.state, id, (o) => ({ ...o, visible: !o.visible })));
  }

  remove(id: number): void {
    this.commit(A.removeObject(this.state, id));
  }

  /** Label renamed in the project: follow it here (no undo step). */
  renameLabel(from: string, to: string): void {
    this.history.amend(A.renameLabel(this.state, from, to));
    if (this.defaultLabel === from) this.defaultLabel = to;
    this.render();
  }

  /** Writes unsaved edits to the local journal (page closing, engine
   * unreachable). */
  keepUnsaved(): void {
    if (this.autosave.state.state !== "saved") this.opts.journal?.write(A.toDoc(this.state, this.autosave.version));
  }

  /** Brings back edits kept by the journal as one undo step, and saves them. */
  restore(doc: AnnotationDoc): void {
    this.history.push(A.fromDoc(doc));
    this.edited();
  }

  /** Replaces the document (after loading the engine's copy). */
  load(doc: AnnotationDoc): void {
    this.history.push(A.fromDoc(doc));
    this.autosave.acceptTheirs(doc);
    this.render();
  }

  /** Ensures there is a current object to prompt or paint. */
  private target(): A.AnnotationState {
    if (this.current) return this.state;
    const id = A.nextId(this.state);
    return A.addObject(this.state, this.defaultLabel, this.colorFor(this.defaultLabel, id));
  }

  click(p: A.Point, positive: boolean): void {
    if (this.tool === "exemplar") return;
    const s = this.target();
    const id = s.current!;
    const prompts = A.withClick(A.find(s, id), this.frame, p, positive);
    this.prompt(A.setPrompts(s, id, this.frame, prompts), id, prompts);
  }

  box(b: A.Box, negative = false): void {
    if (this.tool === "exemplar") {
      this.exemplarBox?.(b, negative);
      return;
    }
    const s = this.target();
    const id = s.current!;
    const prompts: A.Prompts = { ...A.promptsOf(A.find(s, id), this.frame), box: b };
    this.prompt(A.setPrompts(s, id, this.frame, prompts), id, prompts);
  }

  /** Clears the current object's prompts on this frame (its mask stays). */
  clearPrompts(): void {
    const cur = this.current;
    if (cur && A.promptsOf(cur, this.frame).points.length + (A.promptsOf(cur, this.frame).box ? 1 : 0) > 0) {
      this.commit(A.setPrompts(this.state, cur.id, this.frame, A.noPrompts));
    }
  }

  private prompt(next: A.AnnotationState, id: number, prompts: A.Prompts): void {
    this.history.push(next);
    this.clickStep = next;
    this.render(); // no save yet: the prompts alone are not annotations
    this.ai.submit({ objectId: id, frame: this.frame, prompts });
  }

  /** An AI answer: it changes only its object, and only if that object
   * still has the prompts it answers (else a newer request is coming, or
   * the click was undone). */
  private applyResult(req: SegmentRequest, rle: RLE | null): void {
    const o = A.find(this.state, req.objectId);
    if (!o || !A.samePrompts(A.promptsOf(o, req.frame), req.prompts)) return;
    const next = A.setMask(this.state, req.objectId, req.frame, rle);
    if (this.state === this.clickStep) this.history.amend(next);
    else this.history.push(next);
    this.clickStep = null;
    this.edited();
  }

  /** Applies an edit computed elsewhere (concept results, propagated
   * masks): a new undo step, or part of the present one (the later batches
   * of one job, a concept result replacing the one it refines). */
  apply(next: A.AnnotationState, newStep: boolean): void {
    if (next === this.state) return;
    if (newStep) this.history.push(next);
    else this.history.amend(next);
    this.edited();
  }

  /** Applies masks computed elsewhere (video propagation). */
  applyMasks(masks: { objectId: number; frame: number; mask: RLE | null }[], newStep: boolean): void {
    let s = this.state;
    for (const m of masks) if (A.find(s, m.objectId)) s = A.setMask(s, m.objectId, m.frame, m.mask);
    this.apply(s, newStep);
  }

  /** Ends object id's track here: removes its masks on this frame and every
   * later one (one undo step). Returns how many frames lost a mask. */
  endTrack(id: number): number {
    const before = Object.keys(A.find(this.state, id)?.masks ?? {}).length;
    this.commit(A.clearMasksFrom(this.state, id, this.frame));
    return before - Object.keys(A.find(this.state, id)?.masks ?? {}).length;
  }

  /** Gives objects a label (one undo step). */
  labelObjects(ids: number[], label: string): void {
    this.commit(A.labelObjects(this.state, ids, label, (id) => this.colorFor(label, id)));
  }

  private setBusy(b: boolean): void {
    if (this.busy === b) return;
    this.busy = b;
    this.stage.root.classList.toggle("busy", b);
    this.notify();
  }

  /** o's mask on this frame to paint on (an empty one if it has none), and
   * the bounds of its set pixels before (null: none; undefined: unknown).
   * The decoded bitmap is taken, not copied (12 MB on a 12-megapixel
   * photo): the mask it was stays in the undo history as its RLE and is
   * decoded again if it comes back. */
  private editableMask(o: A.EditorObject): [Bitmap, Bounds | null | undefined] {
    const rle = o.masks[String(this.frame)];
    if (!rle) return [emptyBitmap(this.stage.imageSize.width, this.stage.imageSize.height), null];
    const bm = takeBitmap(rle);
    const before = bm.box;
    bm.box = undefined; // unknown once painted on
    return [bm, before];
  }

  /** Stamps the brush from a to b on the stroke's mask, widening the
   * bounds its set pixels stay in (erasing keeps them). */
  private stamp(a: A.Point, b: A.Point): void {
    const st = this.stroke!;
    const r = this.brushRadius;
    stampSegment(st.bm, a[0], a[1], b[0], b[1], r, st.erase ? 0 : 1);
    if (!st.erase && st.within !== undefined) {
      st.within = unionBounds(st.within, [Math.floor(Math.min(a[0], b[0]) - r - 1), Math.floor(Math.min(a[1], b[1]) - r - 1), Math.ceil(Math.max(a[0], b[0]) + r + 1), Math.ceil(Math.max(a[1], b[1]) + r + 1)]);
    }
  }

  private strokeStart(p: A.Point, erase: boolean): void {
    let s = this.state;
    let created = false;
    if (!this.current) {
      if (erase) return;
      s = this.target();
      created = true;
    }
    const o = A.find(s, s.current)!;
    const [bm, within] = this.editableMask(o);
    if (created) this.history.push(s);
    this.stroke = { id: o.id, bm, within, last: p, erase, created };
    this.stamp(p, p);
    this.stage.masks.dab(p[0], p[1], this.brushRadius, o.color, erase);
  }

  private strokeMove(p: A.Point): void {
    const st = this.stroke;
    if (!st) return;
    this.stamp(st.last, p);
    const color = A.find(this.state, st.id)?.color ?? "#fff";
    const steps = Math.max(1, Math.ceil(Math.hypot(p[0] - st.last[0], p[1] - st.last[1]) / Math.max(1, this.brushRadius / 2)));
    for (let i = 1; i <= steps; i++) {
      const t = i / steps;
      this.stage.masks.dab(st.last[0] + (p[0] - st.last[0]) * t, st.last[1] + (p[1] - st.last[1]) * t, this.brushRadius, color, st.erase);
    }
    st.last = p;
  }

  private strokeEnd(): void {
    const st = this.stroke;
    this.stroke = null;
    if (!st) return;
    const rle = encode(st.bm, st.within);
    const before = A.find(this.state, st.id)?.masks[String(this.frame)];
    if (!st.created && before?.counts === rle.counts) {
      this.render(); // nothing changed (an eraser off the mask): no undo step, the dabs repainted
      return;
    }
    remember(rle, st.bm);
    const next = A.setMask(this.state, st.id, this.frame, rle);
    if (st.created) this.history.amend(next);
    else this.history.push(next);
    this.edited();
  }

  /** Changes object id's mask on this frame in place: edit changes its
   * bitmap, given the bounds of its set pixels before (null: none;
   * undefined: unknown), and returns the bounds they may newly reach (null:
   * none). One undo step, none when nothing changed; returns the mask
   * (null: no such object). */
  editMask(id: number, edit: (bm: Bitmap, before: Bounds | null | undefined) => Bounds | null): RLE | null {
    const o = A.find(this.state, id);
    if (!o) return null;
    const before = o.masks[String(this.frame)];
    const [bm, within] = this.editableMask(o);
    const grown = edit(bm, within);
    const out = encode(bm, within === undefined ? undefined : unionBounds(within, grown));
    if (before?.counts === out.counts) {
      remember(before, bm); // unchanged: the bitmap taken is still its own
      return before;
    }
    remember(out, bm);
    this.commit(A.setMask(this.state, id, this.frame, out));
    return out;
  }

  /** Fixes object id's mask on this frame: fills its holes, removes its
   * specks (parts smaller than 1 % of it), or grows or shrinks it by a
   * pixel; one undo step. Returns how many pixels changed (0: nothing to
   * do, no step). */
  cleanMask(id: number, how: MaskFix): number {
    const rle = A.find(this.state, id)?.masks[String(this.frame)];
    const pixels = rle ? area(rle) : 0;
    if (!pixels) return 0; // no mask here, or an empty one: nothing to fix
    let n = 0;
    this.editMask(id, (bm, bounds) => {
      const within: Bounds = bounds ?? [0, 0, bm.width - 1, bm.height - 1];
      n =
        how === "fill-holes" ? fillHoles(bm, within)
        : how === "remove-specks" ? removeSpecks(bm, within, Math.max(2, Math.ceil(pixels / 100)))
        : growMask(bm, within, how === "grow" ? 1 : -1);
      return [within[0] - 1, within[1] - 1, within[2] + 1, within[3] + 1];
    });
    return n;
  }

  /** True while a polygon is being drawn (keys then edit it). */
  get drawingPolygon(): boolean {
    return this.polygon !== null;
  }

  /** Adds a corner to the polygon being drawn, or starts one (a cut when
   * shift is held); a click on the first corner closes it, except while
   * tracing an outline (a lasso, closed on release). */
  corner(p: A.Point, shift = false, tracing = false): void {
    const pg = this.polygon;
    if (!pg) {
      this.polygon = { pts: [p], cut: shift };
    } else if (!tracing && pg.pts.length >= 3 && this.nearFirstCorner(p)) {
      this.closePolygon();
      return;
    } else {
      pg.pts.push(p);
    }
    this.stage.redrawUI();
  }

  /** Removes the last corner (the polygon when it was the only one). */
  removeCorner(): void {
    const pg = this.polygon;
    if (!pg) return;
    pg.pts.pop();
    if (pg.pts.length === 0) this.polygon = null;
    this.stage.redrawUI();
  }

  cancelPolygon(): void {
    this.polygon = null;
    this.stage.redrawUI();
  }

  /** Fills the polygon into the current object (one is made if none is
   * selected), or cuts it out: one undo step. Fewer than three corners
   * make nothing. */
  closePolygon(): void {
    const pg = this.polygon;
    this.polygon = null;
    this.stage.redrawUI();
    if (!pg || pg.pts.length < 3 || (pg.cut && !this.current)) return;
    const s = this.target();
    const o = A.find(s, s.current)!;
    if (pg.cut && !o.masks[String(this.frame)]) return;
    const [bm, before] = this.editableMask(o);
    fillPolygon(bm, pg.pts, pg.cut ? 0 : 1);
    let within = before;
    if (!pg.cut && within !== undefined) within = unionBounds(within, polygonBounds(pg.pts));
    const out = encode(bm, within);
    remember(out, bm);
    this.history.push(A.setMask(s, o.id, this.frame, out));
    this.edited();
  }

  private nearFirstCorner(p: A.Point): boolean {
    const [x0, y0] = this.stage.view.toScreen(this.polygon!.pts[0][0], this.polygon!.pts[0][1]);
    const [x, y] = this.stage.view.toScreen(p[0], p[1]);
    return Math.hypot(x - x0, y - y0) <= 8;
  }

  private drawPolygon(ctx: CanvasRenderingContext2D, view: Viewport): void {
    const pg = this.polygon;
    if (!pg) return;
    const pts = pg.pts.map((p) => view.toScreen(p[0], p[1]));
    const cursor = this.stage.pointer;
    const color = pg.cut ? "#e74c3c" : (this.current?.color ?? "#ffffff");
    ctx.beginPath();
    pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    if (cursor) ctx.lineTo(...view.toScreen(cursor[0], cursor[1]));
    ctx.setLineDash(pg.cut ? [6, 4] : []);
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.setLineDash([]);
    // The first corner grows under the pointer when a click there closes it.
    const closing = cursor !== null && pg.pts.length >= 3 && this.nearFirstCorner(cursor);
    for (const [i, [x, y]] of pts.entries()) {
      ctx.beginPath();
      ctx.arc(x, y, i === 0 && closing ? 7 : 3.5, 0, Math.PI * 2);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.strokeStyle = color;
      ctx.stroke();
    }
  }

  private drawPrompts(ctx: CanvasRenderingContext2D, view: Viewport): void {
    for (const fn of this.drawers) fn(ctx, view);
    this.drawPolygon(ctx, view);
    const o = this.current;
    if (!o || this.tool === "exemplar") return;
    const p = A.promptsOf(o, this.frame);
    if (p.box) {
      const [x0, y0] = view.toScreen(p.box[0], p.box[1]);
      const [x1, y1] = view.toScreen(p.box[2], p.box[3]);
      ctx.strokeStyle = "#ffd54a";
      ctx.lineWidth = 2;
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    }
    p.points.forEach((pt, i) => {
      const [x, y] = view.toScreen(pt[0], pt[1]);
      const pos = p.labels[i] === 1;
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, Math.PI * 2);
      ctx.fillStyle = pos ? "#2ecc71" : "#e74c3c";
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x - 3, y);
      ctx.lineTo(x + 3, y);
      if (pos) {
        ctx.moveTo(x, y - 3);
        ctx.lineTo(x, y + 3);
      }
      ctx.stroke();
    });
  }

  destroy(): void {
    this.stage.destroy();
    this.listeners.clear();
  }
}
