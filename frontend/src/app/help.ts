// The shortcut overlay (?).
import { el } from "../view/dom";
import { showDialog } from "./dialogs";
import { shortcuts } from "./shortcuts";

export function showHelp(): void {
  showDialog("Keyboard shortcuts", [
    el(
      "table",
      { class: "shortcuts" },
      ...shortcuts.map((s) => el("tr", {}, el("th", {}, s.keys), el("td", {}, s.help))),
    ),
    el("p", { class: "muted" }, "Every edit, AI results included, is one undo step and is saved automatically."),
  ]);
}
