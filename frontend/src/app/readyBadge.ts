// The model badge (GET /ready: model, label, provider, timings) and, for
// the demo model, the banner that says it is not SAM 3 and how to get it.
import type { Engine } from "../api/engine";
import type { Ready } from "../api/types.gen";
import { el, replace } from "../view/dom";
import { showDialog } from "./dialogs";

export const pullCommand = "engine models pull sam3-tracker";

export class ReadyBadge {
  readonly badge = el("div", { class: "model-badge", title: "Model status (GET /ready)" }, "engine…");
  readonly banner = el("div", { class: "demo-banner", hidden: true });
  ready: Ready | null = null;

  constructor(private readonly engine: Engine) {}

  async refresh(timing?: { encode_ms: number; decode_ms: number } | null): Promise<void> {
    try {
      this.ready = await this.engine.ready();
    } catch (e) {
      replace(this.badge, el("span", { class: "dot bad" }), "engine unreachable");
      return;
    }
    const r = this.ready;
    const m = r.models.find((x) => x.active) ?? r.models[0];
    const enc = timing?.encode_ms ?? m?.encode_ms;
    const dec = timing?.decode_ms ?? m?.decode_ms;
    const parts = [m ? `${m.name}` : "no model", r.runtime.provider || "?"];
    if (enc !== undefined) parts.push(`enc ${fmt(enc)} ms`);
    if (dec !== undefined) parts.push(`dec ${fmt(dec)} ms`);
    replace(this.badge, el("span", { class: `dot ${r.ready ? "ok" : "bad"}` }), parts.join(" · "));
    this.badge.title = [m?.label, r.runtime.library && `ONNX Runtime ${r.runtime.version} (${r.runtime.library})`, r.runtime.error].filter(Boolean).join("\n");
    this.banner.hidden = !r.demo;
    if (r.demo) {
      replace(
        this.banner,
        el("strong", {}, "demo model — not SAM 3."),
        " It segments simple, flat-coloured scenes so you can try everything; real photos need SAM 3. ",
        el("button", { class: "link", onclick: () => this.explain() }, "Get SAM 3…"),
      );
    }
  }

  private explain(): void {
    const cmd = el("code", { class: "command" }, pullCommand);
    showDialog("Get SAM 3", [
      el("p", {}, "Samwise runs the built-in demo model until SAM 3 is installed. Download the SAM 3 tracker (about 1–3 GB, resumable, checksummed) with:"),
      el("pre", {}, cmd),
      el("p", {}, "then restart the engine. Pulling from the app is coming; for now run the command in a terminal."),
    ], [
      { label: "Copy command", onclick: () => void navigator.clipboard?.writeText(pullCommand) },
      { label: "Close", primary: true },
    ]);
  }
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : Math.round(ms).toString();
}
