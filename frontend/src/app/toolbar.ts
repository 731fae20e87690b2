// Tools (prompt, brush, eraser, polygon, outline), brush size, undo/redo, zoom and fit.
import { el, replace } from "../view/dom";
import type { Tool } from "../view/stage";
import type { Annotator } from "./annotator";
import type { Action } from "./shortcuts";

export class Toolbar {
  readonly root = el("div", { class: "toolbar", role: "toolbar" });
  private annotator: Annotator | null = null;

  /** keys names an action's keys for the buttons' tooltips (they can be changed). */
  constructor(private readonly keys: (a: Action) => string[]) {}

  /** "label (keys)" for a tooltip. */
  private tip(label: string, ...actions: Action[]): string {
    const keys = actions.flatMap((a) => this.keys(a));
    return keys.length ? `${label} (${keys.join(", ")})` : label;
  }

  attach(a: Annotator | null): void {
    this.annotator = a;
    this.render();
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
