// Entry point: the client (with the token prompt), the app, and a read-only
// window.__samwise hook that the browser tests use to find objects and
// screen positions.
import { Client } from "./api/client";
import { Engine } from "./api/engine";
import { App } from "./app/app";
import { ask } from "./app/dialogs";
import { area } from "./mask/rle";
import { bitmapOf } from "./view/overlay";
import "./styles.css";

const client = new Client((reason) => ask("Engine token", `${reason} It is printed by the engine (or set with SAMWISE_TOKEN).`, "", true));
const engine = new Engine(client);
const app = new App(engine, async (ctx, media) => (await import("./video/videoView")).openVideo(ctx, media));

declare global {
  interface Window {
    __samwise?: unknown;
  }
}

window.__samwise = {
  app,
  /** What the editor holds now: media, frame, objects with areas, save state. */
  snapshot() {
    const v = app.view;
    const a = v?.annotator;
    return {
      mediaId: v?.media.media_id ?? null,
      frame: a?.frame ?? 0,
      busy: a?.busy ?? false,
      current: a?.state.current ?? null,
      tool: a?.tool ?? null,
      solo: a?.solo ?? false,
      /** The handles of the outline the outline tool shows (0: none). */
      outline: a?.outlineHandles ?? 0,
      sessions: v?.sessions ?? null,
      save: a?.autosave.state ?? null,
      /** The job bars shown: state and text. */
      jobs: [...document.querySelectorAll<HTMLElement>(".job-bar:not([hidden])")].map((b) => `${b.dataset.state}: ${b.textContent}`),
      objects: (a?.state.objects ?? []).map((o) => ({
        id: o.id,
        label: o.label,
        visible: o.visible,
        frames: Object.keys(o.masks).map(Number),
        area: o.masks[String(a!.frame)] ? area(o.masks[String(a!.frame)]) : 0,
      })),
    };
  },
  /** Whether an object's mask on a frame covers an image point. */
  maskAt(objectId: number, frame: number, x: number, y: number): boolean {
    const o = app.view?.annotator.state.objects.find((x) => x.id === objectId);
    const m = o?.masks[String(frame)];
    if (!m) return false;
    const bm = bitmapOf(m);
    return bm.data[Math.round(y) * bm.width + Math.round(x)] === 1;
  },
  /** Client (page) coordinates of an image point in the current view. */
  toClient(x: number, y: number) {
    return app.view?.annotator.stage.toClient([x, y]) ?? null;
  },
};

void app.start(document.getElementById("app")!);
