// The save state: saved / saving / unsaved / error (retry) / conflict
// (keep mine or load theirs).
import type { SaveStatus } from "../editor/autosave";
import { el, replace } from "../view/dom";

export class SaveBadge {
  readonly root = el("div", { class: "save-badge", "aria-live": "polite" });

  show(s: SaveStatus | null, actions: { retry: () => void; keepMine: () => void; loadTheirs: () => void }): void {
    this.root.dataset.state = s?.state ?? "none";
    if (!s) {
      replace(this.root);
      return;
    }
    switch (s.state) {
      case "saved":
        replace(this.root, `✓ Saved${s.version ? ` (v${s.version})` : ""}`);
        break;
      case "pending":
        replace(this.root, "● Unsaved");
        break;
      case "saving":
        replace(this.root, "Saving…");
        break;
      case "error":
        replace(this.root, el("span", { title: s.message }, "⚠ Not saved: " + (s.message ?? "")), el("button", { class: "small", onclick: actions.retry }, "Retry"));
        break;
      case "conflict":
        replace(
          this.root,
          el("span", { title: s.message }, "⚠ Changed elsewhere"),
          el("button", { class: "small", onclick: actions.keepMine }, "Keep mine"),
          el("button", { class: "small", onclick: actions.loadTheirs }, "Load theirs"),
        );
        break;
    }
  }
}
