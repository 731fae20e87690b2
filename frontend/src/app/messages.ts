// Toasts: errors stay until dismissed (they say what to fix), notes fade,
// progress notes stay until the work they describe ends.
import { el } from "../view/dom";

export class Messages {
  readonly root = el("div", { class: "toasts", role: "status", "aria-live": "polite" });

  error(message: string): void {
    this.show(message, "error", 0);
  }

  info(message: string): void {
    this.show(message, "info", 4000);
  }

  /** A note that stays while something runs; call the answer when it ends. */
  progress(message: string): () => void {
    const t = this.show(message, "info progress", 0);
    return () => t.remove();
  }

  private show(message: string, kind: string, ms: number): HTMLElement {
    const close = el("button", { class: "toast-close", title: "Dismiss", "aria-label": "Dismiss" }, "×");
    const t = el("div", { class: `toast ${kind}` }, el("span", { class: "toast-text" }, message), close);
    close.addEventListener("click", () => t.remove());
    this.root.append(t);
    while (this.root.children.length > 5) this.root.firstElementChild?.remove();
    if (ms) setTimeout(() => t.remove(), ms);
    return t;
  }
}
