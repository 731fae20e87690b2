// The object list (label, colour, visibility, delete; click selects; the
// selected object's flags, note and mask clean-up) and the project's labels
// (add, rename, recolour).
import type { Label } from "../api/types.gen";
import { knownFlags, type EditorObject } from "../editor/annotations";
import { area } from "../mask/rle";
import { el, replace } from "../view/dom";
import type { Annotator, MaskFix } from "./annotator";

export interface PanelEvents {
  add(name: string): void;
  rename(from: string, to: string): void;
  recolor(name: string, color: string): void;
  /** Tells the user something (a clean-up that found nothing to do). */
  info(message: string): void;
}

export class ObjectPanel {
  readonly root = el("aside", { class: "object-panel" });
  private readonly objects = el("ul", { class: "object-list", "aria-label": "Objects" });
  private readonly labels = el("ul", { class: "label-list", "aria-label": "Labels" });
  private annotator: Annotator | null = null;
  private labelList: Label[] = [];

  constructor(private readonly events: PanelEvents) {
    const add = el("input", { class: "label-add", placeholder: "new label, Enter", "aria-label": "New label" });
    add.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" && add.value.trim()) {
        this.events.add(add.value.trim());
        add.value = "";
      }
    });
    this.root.append(
      el("h3", {}, "Objects ", el("button", { class: "small", title: "New object (N)", onclick: () => this.annotator?.newObject() }, "+ New")),
      this.objects,
      el("h3", {}, "Labels"),
      this.labels,
      add,
    );
  }

  attach(a: Annotator | null): void {
    this.annotator = a;
    this.render();
  }

  setLabels(labels: Label[]): void {
    this.labelList = labels;
    this.render();
  }

  render(): void {
    const a = this.annotator;
    const frame = a ? String(a.frame) : "0";
    const cur = a?.state.current ?? null;
    replace(
      this.objects,
      ...(a?.state.objects ?? []).flatMap((o) => {
        const select = el(
          "select",
          { class: "object-label", "aria-label": `Label of object ${o.id}` },
          el("option", { value: "" }, "(no label)"),
          ...this.labelList.map((l) => el("option", { value: l.name, selected: l.name === o.label }, l.name)),
          o.label && !this.labelList.some((l) => l.name === o.label) ? el("option", { value: o.label, selected: true }, o.label) : null,
        );
        select.addEventListener("change", () => a!.setLabel(o.id, select.value));
        select.addEventListener("click", (e) => e.stopPropagation());
        const m = o.masks[frame];
        const px = m ? area(m) : 0;
        const flagged = Object.keys(o.flags ?? {});
        const row = el(
          "li",
          { class: `object-item${o.id === a!.state.current ? " current" : ""}${o.visible ? "" : " hidden-object"}`, "data-object-id": String(o.id), onclick: () => a!.select(o.id), ondblclick: () => a!.zoomToObject(o.id), title: "Double-click: zoom to it (Shift+F)" },
          el("span", { class: "swatch", style: `background:${o.color}` }),
          el("span", { class: "object-id" }, `#${o.id}`),
          select,
          el("span", { class: "object-area", title: `${px.toLocaleString()} pixels on this frame` }, px ? (px < 1e6 ? px.toLocaleString() : `${(px / 1e6).toFixed(1)}M`) : "—"),
          el("button", { class: "icon", title: o.visible ? "Hide (H)" : "Show (H)", onclick: (e: Event) => (e.stopPropagation(), a!.toggleVisible(o.id)) }, o.visible ? "◉" : "○"),
          cur !== null && cur !== o.id
            ? el("button", { class: "icon merge-object", title: `Merge into #${cur} (the selected object)`, onclick: (e: Event) => (e.stopPropagation(), a!.merge(cur, o.id)) }, "⊕")
            : el("span", { class: "icon-space" }),
          el("button", { class: "icon", title: "Delete (Del)", onclick: (e: Event) => (e.stopPropagation(), a!.remove(o.id)) }, "✕"),
          flagged.length || o.note ? el("span", { class: "object-flags", title: [...flagged, o.note ?? ""].filter(Boolean).join(" · ") }, flagged.length ? flagged.join(", ") : "✎") : null,
        );
        return o.id === cur ? [row, this.details(a!, o)] : [row];
      }),
    );
    replace(
      this.labels,
      ...this.labelList.map((l, i) => {
        const name = el("input", { class: "label-name", value: l.name, "aria-label": `Label ${i + 1} name` });
        name.addEventListener("keydown", (e) => {
          e.stopPropagation();
          if (e.key === "Enter") name.blur();
        });
        name.addEventListener("change", () => {
          const to = name.value.trim();
          if (to && to !== l.name) this.events.rename(l.name, to);
          else name.value = l.name;
        });
        const color = el("input", { type: "color", value: l.color, class: "label-color", "aria-label": `Label ${i + 1} colour` });
        color.addEventListener("change", () => this.events.recolor(l.name, color.value));
        const mine = (a?.state.objects ?? []).filter((o) => o.label === l.name);
        const shown = mine.some((o) => o.visible);
        return el(
          "li",
          { class: `label-item${a?.defaultLabel === l.name ? " default" : ""}` },
          el("kbd", {}, i < 9 ? String(i + 1) : ""),
          color,
          name,
          el("span", { class: "label-count", title: `${mine.length} object${mine.length === 1 ? "" : "s"} with this label here` }, String(mine.length)),
          el(
            "button",
            {
              class: "icon label-visible",
              title: shown ? `Hide every “${l.name}” object` : `Show every “${l.name}” object`,
              disabled: !mine.length,
              onclick: () => a?.setLabelVisible(l.name, !shown),
            },
            shown || !mine.length ? "◉" : "○",
          ),
        );
      }),
    );
  }

  /** The selected object's flags (those the engine knows, and any a file
   * brought), its note and its mask's clean-up; each change is one undo
   * step. */
  private details(a: Annotator, o: EditorObject): HTMLElement {
    const names = [...knownFlags, ...Object.keys(o.flags ?? {}).filter((f) => !knownFlags.includes(f))];
    const note = el("input", { class: "object-note", value: o.note ?? "", placeholder: "note", "aria-label": `Note on object ${o.id}` });
    note.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") note.blur();
    });
    note.addEventListener("change", () => a.setNote(o.id, note.value.trim()));
    return el(
      "li",
      { class: "object-details", "data-object-id": String(o.id) },
      ...names.map((f) => {
        const box = el("input", { type: "checkbox", class: "object-flag", "data-flag": f, checked: !!o.flags?.[f] });
        box.addEventListener("change", () => a.setFlag(o.id, f, box.checked));
        return el("label", { class: "flag" }, box, ` ${f}`);
      }),
      note,
      el(
        "div",
        { class: "object-cleanup" },
        this.cleanup(a, o, "fill-holes", "Fill holes", "Fill the holes inside this object's mask on this frame", "no holes to fill"),
        this.cleanup(a, o, "remove-specks", "Remove specks", "Remove the parts of this object's mask smaller than 1 % of it, on this frame", "no specks to remove"),
        this.cleanup(a, o, "grow", "Grow", "Grow this object's mask by a pixel all round, on this frame", "nothing to grow"),
        this.cleanup(a, o, "shrink", "Shrink", "Shrink this object's mask by a pixel all round, on this frame", "nothing to shrink"),
      ),
    );
  }

  private cleanup(a: Annotator, o: EditorObject, how: MaskFix, label: string, title: string, none: string): HTMLElement {
    return el(
      "button",
      {
        class: `small ${how}`,
        title,
        disabled: !o.masks[String(a.frame)],
        onclick: () => {
          if (!a.cleanMask(o.id, how)) this.events.info(`Object #${o.id}: ${none}.`);
        },
      },
      label,
    );
  }
}
