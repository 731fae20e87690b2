// The model badge (GET /ready: model, label, provider, timings) and, for
// the demo model, the banner that says it is not SAM 3 and opens the model
// panel to download it (its progress stays in the banner). In the desktop
// app the badge also shows the supervised engine starting or restarting.
import type { Engine } from "../api/engine";
import type { Ready } from "../api/types.gen";
import { el, replace } from "../view/dom";
import { engineNote, type EngineStatus } from "./desktop";
import { ModelPanel } from "./modelPanel";

export class ReadyBadge {
  readonly badge = el("button", { class: "model-badge", title: "Model status (GET /ready); click for the models" }, "engine…");
  readonly banner = el("div", { class: "demo-banner", hidden: true });
  readonly models: ModelPanel;
  private readonly bannerText = el("div", { class: "banner-text" });
  ready: Ready | null = null;
  /** The desktop shell's engine state (null in a browser). */
  private engineStatus: EngineStatus | null = null;

  constructor(
    private readonly engine: Engine,
    onError: (message: string) => void,
  ) {
    this.models = new ModelPanel(engine, onError, () => this.ready?.models ?? []);
    this.banner.append(this.bannerText, this.models.dock);
    this.badge.addEventListener("click", () => void this.models.open());
  }

  /** The desktop shell's engine state: starting, restarting or stopped
   * say so (with the last error in the tooltip); back to ready, the model
   * status again. */
  showEngine(st: EngineStatus): void {
    const was = this.engineStatus?.state;
    this.engineStatus = st;
    const note = engineNote(st);
    if (!note) {
      if (was !== "ready") void this.refresh();
      return;
    }
    replace(this.badge, el("span", { class: `dot ${st.state === "stopped" ? "bad" : "wait"}` }), note);
    this.badge.title = [st.last_error && `Last engine error: ${st.last_error}`, st.log_file && `Engine log: ${st.log_file}`].filter(Boolean).join("\n");
  }

  async refresh(timing?: { encode_ms: number; decode_ms: number; cached?: boolean } | null): Promise<void> {
    let r: Ready;
    try {
      r = await this.engine.ready();
    } catch {
      r = {} as Ready;
    }
    if (this.engineStatus && engineNote(this.engineStatus)) return; // the shell says more
    if (!Array.isArray(r.models) || !r.runtime) {
      // Not the engine's answer (e.g. the desktop proxy's 503 while the engine restarts).
      replace(this.badge, el("span", { class: "dot bad" }), "engine unreachable");
      return;
    }
    this.ready = r;
    const m = r.models.find((x) => x.active && x.task === "pvs-image") ?? r.models.find((x) => x.active) ?? r.models[0];
    const enc = timing?.encode_ms ?? m?.encode_ms;
    const dec = timing?.decode_ms ?? m?.decode_ms;
    const parts = [m ? `${m.name}` : "no model", r.runtime.provider || "?"];
    if (timing?.cached) parts.push("enc cached");
    else if (enc !== undefined) parts.push(`enc ${fmt(enc)} ms`);
    if (dec !== undefined) parts.push(`dec ${fmt(dec)} ms`);
    replace(this.badge, el("span", { class: `dot ${r.ready ? "ok" : "bad"}` }), parts.join(" · "));
    this.badge.title = [m?.label, r.runtime.library && `ONNX Runtime ${r.runtime.version} (${r.runtime.library})`, r.runtime.error].filter(Boolean).join("\n");
    this.banner.hidden = !r.demo;
    if (r.demo) {
      replace(
        this.bannerText,
        el("strong", {}, "demo model — not SAM 3."),
        " It segments simple, flat-coloured scenes so you can try everything; real photos need SAM 3. ",
        el("button", { class: "link get-sam3", onclick: () => void this.models.open() }, "Get SAM 3…"),
      );
    }
  }
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(1) : Math.round(ms).toString();
}
