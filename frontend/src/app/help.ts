// The shortcut overlay (?): the mouse gestures and every action's keys,
// each of which can be changed there (press "Change", then the new key).
import { el, replace } from "../view/dom";
import { showDialog } from "./dialogs";
import { bindings, gestures, keyName, keysOf, rebind, type KeyOverrides } from "./shortcuts";

export interface KeySettings {
  get(): KeyOverrides;
  set(o: KeyOverrides): void;
}

export function showHelp(settings: KeySettings): void {
  const rows = el("tbody", {});
  const note = el("p", { class: "muted key-note" }, "Every edit, AI results included, is one undo step and is saved automatically.");
  const render = () =>
    replace(
      rows,
      ...gestures.map((g) => el("tr", {}, el("th", {}, g.keys), el("td", {}, g.help), el("td", {}))),
      ...bindings.map((b) => {
        const keys = keysOf(b.action, settings.get());
        const change = el("button", { class: "small change-key", "data-action": b.action, title: `Give “${b.help}” another key` }, "Change");
        change.addEventListener("click", () => {
          change.textContent = "Press a key… (Esc cancels)";
          change.classList.add("capturing");
        });
        change.addEventListener("keydown", (e) => {
          if (!change.classList.contains("capturing")) return;
          e.preventDefault();
          e.stopPropagation();
          if (e.key === "Escape") return render();
          const name = keyName(e);
          if (name === null) return; // a modifier alone: wait for the key
          const { overrides, from } = rebind(settings.get(), b.action, name);
          settings.set(overrides);
          note.textContent = from ? `${name} now does “${b.help}”; it no longer does “${bindings.find((x) => x.action === from)!.help}”.` : `${name} now does “${b.help}”.`;
          render();
          rows.querySelector<HTMLElement>(`.change-key[data-action="${b.action}"]`)?.focus();
        });
        return el("tr", {}, el("th", {}, ...(keys.length ? keys.map((k) => el("kbd", {}, k)) : ["—"])), el("td", {}, b.help), el("td", {}, change));
      }),
    );
  render();
  showDialog("Keyboard shortcuts", [el("table", { class: "shortcuts" }, rows), note], [
    {
      label: "Reset to defaults",
      onclick: () => settings.set({}),
    },
    { label: "Close", primary: true },
  ]);
}
