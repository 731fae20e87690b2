// Modal dialogs: a message with buttons, and a one-line text question.
import { el } from "../view/dom";

export function showDialog(
  title: string,
  body: (Node | string)[],
  buttons: { label: string; primary?: boolean; onclick?: () => void }[] = [{ label: "Close", primary: true }],
  onClose?: () => void,
): HTMLElement {
  const close = () => {
    if (!back.isConnected) return;
    back.remove();
    onClose?.();
  };
  const box = el(
    "div",
    { class: "dialog", role: "dialog", "aria-modal": "true", "aria-label": title },
    el("h2", {}, title),
    el("div", { class: "dialog-body" }, ...body),
    el(
      "div",
      { class: "dialog-buttons" },
      ...buttons.map((b) =>
        el("button", { class: b.primary ? "primary" : "", onclick: () => (close(), b.onclick?.()) }, b.label),
      ),
    ),
  );
  const back = el("div", { class: "dialog-backdrop", onclick: (e: Event) => e.target === back && close() }, box);
  back.addEventListener("keydown", (e) => {
    e.stopPropagation();
    if (e.key === "Escape") close();
  });
  document.body.append(back);
  box.querySelector<HTMLElement>("input, button.primary")?.focus();
  return back;
}

/** Asks for one line of text; null when cancelled. */
export function ask(title: string, label: string, initial = "", secret = false): Promise<string | null> {
  return new Promise((resolve) => {
    const input = el("input", { type: secret ? "password" : "text", value: initial, "aria-label": label, class: "dialog-input" });
    let answered = false;
    const finish = (v: string | null) => {
      if (!answered) resolve(v);
      answered = true;
    };
    const dlg = showDialog(title, [el("label", {}, label), input], [
      { label: "Cancel", onclick: () => finish(null) },
      { label: "OK", primary: true, onclick: () => finish(input.value) },
    ]);
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        finish(input.value);
        dlg.remove();
      }
    });
    new MutationObserver((_, obs) => {
      if (!dlg.isConnected) {
        finish(null);
        obs.disconnect();
      }
    }).observe(document.body, { childList: true });
    input.focus();
  });
}
