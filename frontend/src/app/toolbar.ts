// Tools (prompt, brush, eraser, polygon, outline), brush size, undo/redo,
// zoom and fit, and how the picture and masks are shown (view/display.ts).
import { el, replace } from "../view/dom";
import { defaultDisplay, displayRange, loadDisplay, saveDisplay, type Display } from "../view/display";
import type { Tool } from "../view/stage";
import type { Annotator } from "./annotator";
import type { Action } from "./shortcuts";

export class Toolbar {
  readonly root = el("div", { class: "toolbar", role: "toolbar" });
  private annotator: Annotator | null = null;
  private display: Display = loadDisplay();
  private masksHidden = false;
  private displayOpen = false;

  /** keys names an action's keys for the buttons' tooltips (they can be changed). */
  constructor(private readonly keys: (a: Action) => string[]) {}

  /** "label (keys)" for a tooltip. */
  private tip(label: string, ...actions: Action[]): string {
    const keys = actions.flatMap((a) => this.keys(a));
    return keys.length ? `${label} (${keys.join(", ")})` : label;
  }

  attach(a: Annotator | null): void {
    this.annotator = a;
    a?.stage.setDisplay(this.display, this.masksHidden);
    this.render();
  }

  /** Hides the masks, or shows them again (M). */
  toggleMasks(): void {
    this.masksHidden = !this.masksHidden;
    this.annotator?.stage.setDisplay(this.display, this.masksHidden);
    this.render();
  }

  private setDisplay(d: Display): void {
    this.display = d;
    saveDisplay(d);
    this.annotator?.stage.setDisplay(d, this.masksHidden);
  }

  /** The display settings, folded under "View" until opened (and kept
   * open across renders). */
  private displaySettings(): HTMLElement {
    const details = el(
      "details",
      { class: "display" },
      el("summary", {}, "View"),
      this.displaySlider("masks", "Masks"),
      this.displaySlider("brightness", "Brightness"),
      this.displaySlider("contrast", "Contrast"),
      el("button", { class: "display-reset", title: "Masks, brightness and contrast as they were", onclick: () => (this.setDisplay({ ...defaultDisplay }), this.render()) }, "Reset view"),
    ) as HTMLDetailsElement;
    details.open = this.displayOpen;
    details.addEventListener("toggle", () => (this.displayOpen = details.open));
    return details;
  }

  /** A slider for one display setting, in percent. */
  private displaySlider(key: keyof Display, label: string): HTMLElement {
    const [lo, hi] = displayRange[key];
    const input = el("input", { type: "range", min: String(lo * 100), max: String(hi * 100), value: String(Math.round(this.display[key] * 100)), "aria-label": label, "data-display": key });
    const value = el("span", { class: "size-label" }, `${Math.round(this.display[key] * 100)}%`);
    input.addEventListener("input", () => {
      this.setDisplay({ ...this.display, [key]: Number(input.value) / 100 });
      value.textContent = `${input.value}%`;
    });
    return el("label", { class: "display-setting", title: label }, label, input, value);
  }

  render(): void {
    const a = this.annotator;
    if (!a) {
      replace(this.root);
      return;
    }
    const tool = (t: Tool, label: string) =>
      el("button", { class: `tool${a.tool === t ? " active" : ""}`, "data-tool": t, title: this.tip(label, t), onclick: () => this.setTool(t) }, label);
    const size = el("input", { type: "range", min: "1", max: "200", value: String(a.brushRadius), "aria-label": "Brush size" });
    size.addEventListener("input", () => {
      a.brushRadius = Number(size.value);
      sizeLabel.textContent = `${a.brushRadius}px`;
      a.stage.redrawUI();
    });
    const sizeLabel = el("span", { class: "size-label" }, `${a.brushRadius}px`);
    replace(
      this.root,
      tool("prompt", "AI click"),
      tool("brush", "Brush"),
      tool("eraser", "Eraser"),
      tool("polygon", "Polygon"),
      tool("outline", "Outline"),
      el("label", { class: "brush-size", title: this.tip("Brush size", "smaller", "larger") }, size, sizeLabel),
      el("span", { class: "sep" }),
      el("button", { title: this.tip("Undo", "undo"), disabled: !a.history.canUndo, onclick: () => a.undo() }, "↶ Undo"),
      el("button", { title: this.tip("Redo", "redo"), disabled: !a.history.canRedo, onclick: () => a.redo() }, "↷ Redo"),
      el("span", { class: "sep" }),
      el("button", { title: this.tip("Zoom out", "zoom-out"), onclick: () => a.stage.zoom(1 / 1.25) }, "−"),
      el("button", { title: this.tip("Fit", "fit"), onclick: () => a.stage.fit() }, "Fit"),
      el("button", { title: this.tip("Zoom in", "zoom-in"), onclick: () => a.stage.zoom(1.25) }, "+"),
      el("span", { class: "sep" }),
      el(
        "button",
        {
          class: `done-toggle${a.state.done ? " active" : ""}`,
          title: a.state.done ? this.tip("Marked done: click to mark it to do again", "toggle-done") : `${this.tip("Mark this media done", "toggle-done")}; ${this.keys("done-next").join(", ") || "no key"}: done, then the next one to do`,
          "aria-pressed": String(a.state.done),
          onclick: () => a.setDone(!a.state.done),
        },
        a.state.done ? "✓ Done" : "Mark done",
      ),
      a.busy ? el("span", { class: "busy-label" }, "segmenting…") : null,
      el("span", { class: "sep" }),
      el(
        "button",
        { class: `masks-toggle${this.masksHidden ? " active" : ""}`, title: this.tip(this.masksHidden ? "Show the masks" : "Hide the masks", "toggle-masks"), "aria-pressed": String(this.masksHidden), onclick: () => this.toggleMasks() },
        this.masksHidden ? "Masks hidden" : "Hide masks",
      ),
      el(
        "button",
        { class: `solo-toggle${a.solo ? " active" : ""}`, title: this.tip(a.solo ? "Show every object's masks" : "Show only the current object's masks", "solo"), "aria-pressed": String(a.solo), onclick: () => a.toggleSolo() },
        a.solo ? "Only current" : "Solo",
      ),
      this.displaySettings(),
    );
  }

  setTool(t: Tool): void {
    this.annotator?.setTool(t);
  }

  resizeBrush(factor: number): void {
    const a = this.annotator;
    if (!a) return;
    a.brushRadius = Math.max(1, Math.min(200, Math.round(a.brushRadius * factor + (factor > 1 ? 1 : -1))));
    a.stage.redrawUI();
    this.render();
  }
}
