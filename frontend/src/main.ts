// Entry point: the client (with the token prompt), the app, and a read-only
// window.__samwise hook that the browser tests use to find objects and
// screen positions.
import { Client } from "./api/client";
import { Engine } from "./api/engine";
import { App } from "./app/app";
import { ask } from "./app/dialogs";
import { area } from "./mask/rle";
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
      save: a?.autosave.state ?? null,
      objects: (a?.state.objects ?? []).map((o) => ({
        id: o.id,
        label: o.label,
        visible: o.visible,
        frames: Object.keys(o.masks).map(Number),
        area: o.masks[String(a!.frame)] ? area(o.masks[String(a!.frame)]) : 0,
      })),
    };
  },
  /** Client (page) coordinates of an image point in the current view. */
  toClient(x: number, y: number) {
    return app.view?.annotator.stage.toClient([x, y]) ?? null;
  },
};

void app.start(document.getElementById("app")!);
