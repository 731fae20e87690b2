// "Find by concept": a text prompt ("red", "blue square"), exemplar boxes
// (the X tool: drag a box around an example, Shift-drag for a counter-
// example), a threshold, and what was found. On an image every instance
// becomes a new object; on a video the detections on the frame are shown
// and "Track concept" follows them through the video. On an image, "One mask"
// takes the model's semantic segmentation (every pixel of the concept) as a
// single object instead. Refining the prompt (a box, the threshold, one
// mask) right after a find replaces that find's result. "In all N images"
// hands the text to a job over the project's images (src/app/app.ts).
import type { Exemplar, Label } from "../api/types.gen";
import type { Box } from "../editor/annotations";
import { LatestOnly } from "../editor/latest";
import { el, replace } from "../view/dom";
import type { Viewport } from "../view/viewport";
import type { Annotator } from "./annotator";

export interface ConceptPrompt {
  text: string;
  exemplars: Exemplar[];
  threshold: number;
  frame: number;
  /** One object from the semantic segmentation instead of one per instance. */
  semantic?: boolean;
}

export interface ConceptResult {
  found: number;
  /** "One mask" was asked for and the model gives no semantic segmentation. */
  noSemantic?: boolean;
  /** The probability that the concept is on the image (images only). */
  presence?: number;
  frame: number;
}

/** What a view does with concepts (images: src/app/imageConcepts.ts,
 * videos: src/video/videoConcepts.ts). */
export interface ConceptTarget {
  find(p: ConceptPrompt): Promise<ConceptResult>;
  /** True while a new find would replace the last one's result (nothing
   * was edited since), so refining the prompt re-runs it by itself. */
  refinable(): boolean;
  /** The objects the concept made that still exist (to label them). */
  conceptObjects(): number[];
  /** Videos: follow the concept through the video, and whether that can
   * start now. */
  track?(): Promise<void>;
  canTrack?(): boolean;
  /** The concept found before (a reopened video session). */
  readonly restored?: ConceptPrompt | null;
  /** Whether "One mask" (semantic segmentation) applies (images). */
  readonly semantic?: boolean;
}

/** The project label named like the text (any case), if there is one. */
export function labelNamed(labels: Label[], text: string): string | undefined {
  const t = text.trim().toLowerCase();
  return t ? labels.find((l) => l.name.toLowerCase() === t)?.name : undefined;
}

export interface ConceptEvents {
  labels(): Label[];
  /** Creates a project label; false when it could not. */
  createLabel(name: string): Promise<boolean>;
  error(message: string): void;
  /** How many images the project has, and whether a search over them
   * runs now (images: "In all images"). */
  images?(): { count: number; running: boolean };
  /** Looks for the concept on every image of the project, in a job
   * (semantic: one object per image, as "One mask"). */
  findInAll?(text: string, threshold: number, semantic: boolean): void;
}

export class ConceptPanel {
  readonly root = el("section", { class: "concept-panel", "aria-label": "Find by concept" });
  private readonly text = el("input", { class: "concept-text", type: "text", placeholder: "type a concept: red, blue square…", "aria-label": "Concept" });
  private readonly threshold = el("input", { class: "concept-threshold", type: "range", min: "0.05", max: "0.95", step: "0.05", value: "0.5", "aria-label": "Threshold" });
  private readonly thresholdLabel = el("span", { class: "threshold-value" }, "0.50");
  private readonly semantic = el("input", { class: "concept-semantic", type: "checkbox", "aria-label": "One mask" });
  private readonly semanticRow = el("label", { class: "concept-row", title: "One object covering every pixel of the concept (the model's semantic segmentation), instead of one per instance" }, this.semantic, " One mask");
  private readonly status = el("div", { class: "concept-status" });
  private readonly actions = el("div", { class: "concept-actions" });
  private annotator: Annotator | null = null;
  private target: ConceptTarget | null = null;
  private exemplars: (Exemplar & { frame: number })[] = [];
  private result: ConceptResult | null = null;
  private busy = false;
  private undraw: (() => void) | null = null;
  private readonly runner: LatestOnly<{ target: ConceptTarget; prompt: ConceptPrompt }, ConceptResult>;

  /** A concept was looked for in this session (the next images' concept
   * embeddings are then prefetched too). */
  used = false;

  constructor(private readonly events: ConceptEvents) {
    this.runner = new LatestOnly(
      (req) => req.target.find(req.prompt),
      (req, r) => {
        if (req.target === this.target) this.result = r; // else the media changed meanwhile
      },
      (_, e) => this.events.error((e as Error).message ?? String(e)),
      () => {
        this.busy = false;
        this.render();
      },
    );
    this.text.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") this.find();
      if (e.key === "Escape") this.annotator?.stage.root.focus();
    });
    this.text.addEventListener("input", () => this.render());
    this.threshold.addEventListener("input", () => {
      this.thresholdLabel.textContent = Number(this.threshold.value).toFixed(2);
      if (this.result && this.target?.refinable()) this.find();
    });
    this.semantic.addEventListener("change", () => {
      if (this.result && this.target?.refinable()) this.find();
    });
    this.root.append(
      el("h3", {}, "Find by concept"),
      el("div", { class: "concept-row" }, this.text, el("button", { class: "small concept-find", title: "Find every instance (Enter)", onclick: () => this.find() }, "Find")),
      el("label", { class: "concept-row threshold", title: "Keep instances scoring at least this" }, "Threshold", this.threshold, this.thresholdLabel),
      this.semanticRow,
      this.actions,
      this.status,
    );
    this.root.hidden = true;
  }

  attach(a: Annotator | null, t: ConceptTarget | null): void {
    if (this.annotator) this.annotator.exemplarBox = null;
    this.undraw?.();
    this.undraw = null;
    this.annotator = a;
    this.target = t;
    this.exemplars = [];
    this.result = null;
    this.root.hidden = !a || !t;
    this.semanticRow.hidden = !t?.semantic;
    this.semantic.checked = false;
    const r = t?.restored;
    this.text.value = r?.text ?? "";
    this.threshold.value = String(r?.threshold ?? 0.5);
    this.thresholdLabel.textContent = Number(this.threshold.value).toFixed(2);
    if (r) this.exemplars = r.exemplars.map((e) => ({ ...e, frame: r.frame }));
    if (a) {
      a.exemplarBox = (b, negative) => this.addExemplar(b, negative);
      this.undraw = a.addDrawer((ctx, view) => this.drawExemplars(ctx, view));
    }
    this.render();
  }

  /** T: type a concept. */
  focus(): void {
    if (!this.root.hidden) this.text.focus();
  }

  private get frame(): number {
    return this.annotator?.frame ?? 0;
  }

  private prompt(): ConceptPrompt {
    const exemplars = this.exemplars.filter((e) => e.frame === this.frame).map(({ box, label }) => ({ box, label }));
    const semantic = this.target?.semantic && this.semantic.checked ? true : undefined;
    return { text: this.text.value.trim(), exemplars, threshold: Number(this.threshold.value), frame: this.frame, semantic };
  }

  find(): void {
    if (!this.target) return;
    const p = this.prompt();
    if (!p.text && !p.exemplars.length) {
      this.events.error("Type a concept (e.g. “red”) or drag exemplar boxes with the X tool first.");
      return;
    }
    this.used = true;
    this.busy = true;
    this.render();
    this.runner.submit({ target: this.target, prompt: p });
  }

  private addExemplar(b: Box, negative: boolean): void {
    this.exemplars.push({ box: b, label: negative ? 0 : 1, frame: this.frame });
    this.annotator?.stage.redrawUI();
    // A box refines the last find (or is the first prompt); after other
    // edits it waits for Find, so it cannot duplicate objects.
    if (!this.result || this.target?.refinable()) this.find();
    else this.render();
  }

  private clearExemplars(): void {
    this.exemplars = [];
    this.annotator?.stage.redrawUI();
    this.render();
  }

  private async createLabel(name: string): Promise<void> {
    if (!(await this.events.createLabel(name))) return;
    const ids = this.target?.conceptObjects() ?? [];
    if (ids.length) this.annotator?.labelObjects(ids, name);
    this.render();
  }

  render(): void {
    const a = this.annotator;
    const t = this.target;
    if (!a || !t) return;
    const here = this.exemplars.filter((e) => e.frame === this.frame);
    const pos = here.filter((e) => e.label === 1).length;
    const exemplarTool = a.tool === "exemplar";
    replace(
      this.actions,
      el(
        "button",
        { class: `small tool exemplar-tool${exemplarTool ? " active" : ""}`, title: "Exemplar boxes (X): drag around an example, Shift-drag around a counter-example", onclick: () => a.setTool(exemplarTool ? "prompt" : "exemplar") },
        "▭ Exemplar boxes",
      ),
      here.length ? el("span", { class: "exemplar-count" }, `${pos} + / ${here.length - pos} −`) : null,
      here.length ? el("button", { class: "small", title: "Remove the exemplar boxes", onclick: () => this.clearExemplars() }, "Clear") : null,
      !t.track && this.events.findInAll ? this.findInAllButton() : null,
      t.track ? el("button", { class: "small primary concept-track", title: "Detect and track every instance from this frame on", disabled: !t.canTrack?.(), onclick: () => void t.track!().catch((e: Error) => this.events.error(e.message)) }, "Track concept ▶") : null,
    );
    const r = this.result;
    const text = this.text.value.trim();
    const offer = r && r.found > 0 && text && !labelNamed(this.events.labels(), text);
    replace(
      this.status,
      this.busy ? el("span", { class: "busy-label" }, "finding…") : null,
      r && !this.busy
        ? el("span", { class: "concept-found", "data-found": String(r.found) }, `found ${r.found}${r.presence !== undefined ? ` · presence ${r.presence.toFixed(3)}` : ""}${t.track ? ` on frame ${r.frame}` : ""}`)
        : null,
      r?.noSemantic && !this.busy ? el("span", { class: "no-semantic" }, " (this model gives no semantic mask: one object per instance)") : null,
      offer ? el("span", { class: "label-offer" }, ` No label “${text}”. `, el("button", { class: "link create-label", onclick: () => void this.createLabel(text) }, "Create it")) : null,
    );
  }

  /** "In all N images": the text (exemplar boxes belong to one image) on
   * every image of the project. */
  private findInAllButton(): HTMLElement | null {
    const imgs = this.events.images?.() ?? { count: 0, running: false };
    if (imgs.count < 2) return null;
    const text = this.text.value.trim();
    return el(
      "button",
      {
        class: "small concept-all",
        title: "Find the concept on every image of the project (a job); instances that overlap an object with its label are not added again",
        disabled: !text || imgs.running,
        onclick: () => this.events.findInAll!(text, Number(this.threshold.value), !!this.target?.semantic && this.semantic.checked),
      },
      `In all ${imgs.count} images`,
    );
  }

  private drawExemplars(ctx: CanvasRenderingContext2D, view: Viewport): void {
    for (const e of this.exemplars) {
      if (e.frame !== this.frame) continue;
      const [x0, y0] = view.toScreen(e.box[0], e.box[1]);
      const [x1, y1] = view.toScreen(e.box[2], e.box[3]);
      ctx.setLineDash(e.label ? [] : [6, 4]);
      ctx.strokeStyle = e.label ? "#2ecc71" : "#e74c3c";
      ctx.lineWidth = 2;
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
    }
    ctx.setLineDash([]);
  }
}
