// The project's media: thumbnails, names and annotation status (objects,
// frames, done), filtered to all / to do / done; opening files (picker,
// drag-and-drop, or the desktop's native dialog).
import type { Engine } from "../api/engine";
import type { ProjectMedia } from "../api/types.gen";
import { el, replace } from "../view/dom";
import { desktop } from "./desktop";

/** Which media the list shows. */
export type MediaFilter = "all" | "todo" | "done";

const thumbs = new Map<string, Promise<string>>();

/** A small thumbnail (object URL) of an image, made once per media. */
function thumbnail(engine: Engine, m: ProjectMedia): Promise<string> {
  let t = thumbs.get(m.media.media_id);
  if (!t) {
    t = (async () => {
      if (m.media.kind !== "image") return "";
      const blob = await engine.mediaFile(m.media.media_id);
      const w = 96;
      const bmp = await createImageBitmap(blob, { resizeWidth: w, resizeHeight: Math.max(1, Math.round((w * m.media.height) / m.media.width)), resizeQuality: "medium" });
      const c = document.createElement("canvas");
      c.width = bmp.width;
      c.height = bmp.height;
      c.getContext("2d")!.drawImage(bmp, 0, 0);
      bmp.close();
      return new Promise<string>((res) => c.toBlob((b) => res(b ? URL.createObjectURL(b) : ""), "image/png"));
    })().catch(() => "");
    thumbs.set(m.media.media_id, t);
  }
  return t;
}

export class MediaList {
  readonly root = el("aside", { class: "media-panel" });
  private readonly list = el("ul", { class: "media-list", "aria-label": "Media" });
  private readonly filterSelect = el("select", { class: "media-filter", "aria-label": "Show" });
  private filter: MediaFilter = "all";
  private readonly fileInput = el("input", { type: "file", multiple: true, accept: "image/*,video/*", hidden: true });
  /** Below the list: project-wide actions (precompute). */
  readonly footer = el("div", { class: "media-footer" });
  items: ProjectMedia[] = [];
  current: string | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly on: { open: (mediaId: string) => void; files: (files: File[]) => void; paths: (paths: string[]) => void },
  ) {
    const openBtn = el("button", { class: "primary", onclick: () => this.pick() }, "Open images or videos…");
    this.fileInput.addEventListener("change", () => {
      const files = [...(this.fileInput.files ?? [])];
      this.fileInput.value = "";
      if (files.length) this.on.files(files);
    });
    this.filterSelect.addEventListener("change", () => {
      this.filter = this.filterSelect.value as MediaFilter;
      this.render();
    });
    this.root.append(el("div", { class: "panel-head" }, openBtn, this.fileInput, this.filterSelect), this.list, el("p", { class: "hint" }, "or drop files anywhere"), this.footer);
  }

  private async pick(): Promise<void> {
    const native = desktop()?.openDialog;
    if (native) {
      const paths = await native({ multiple: true, kinds: ["image", "video"] });
      if (paths.length) this.on.paths(paths);
      return;
    }
    this.fileInput.click();
  }

  set(items: ProjectMedia[]): void {
    this.items = items;
    this.render();
  }

  setCurrent(id: string | null): void {
    this.current = id;
    this.render();
  }

  /** Updates one media's status after a save. */
  setStatus(mediaId: string, status: { objects: number; frames: number; version: number; done: boolean }): void {
    const it = this.items.find((m) => m.media.media_id === mediaId);
    if (it && (it.objects !== status.objects || it.frames !== status.frames || it.version !== status.version || it.done !== status.done)) {
      Object.assign(it, status);
      this.render();
    }
  }

  /** The media the filter shows (the current one always). */
  private get shown(): ProjectMedia[] {
    return this.items.filter((m) => this.filter === "all" || m.media.media_id === this.current || m.done === (this.filter === "done"));
  }

  /** The next (delta 1) or previous (−1) media the list shows. */
  neighbour(delta: number): string | null {
    const shown = this.shown;
    const i = shown.findIndex((m) => m.media.media_id === this.current);
    const j = i + delta;
    return j >= 0 && j < shown.length ? shown[j].media.media_id : null;
  }

  /** The first media not done after the current one (wrapping), or null. */
  nextToDo(): string | null {
    const i = this.items.findIndex((m) => m.media.media_id === this.current);
    for (let k = 1; k < this.items.length; k++) {
      const m = this.items[(i + k) % this.items.length];
      if (!m.done) return m.media.media_id;
    }
    return null;
  }

  private render(): void {
    const done = this.items.filter((m) => m.done).length;
    replace(
      this.filterSelect,
      el("option", { value: "all" }, `All (${this.items.length})`),
      el("option", { value: "todo" }, `To do (${this.items.length - done})`),
      el("option", { value: "done" }, `Done (${done})`),
    );
    this.filterSelect.value = this.filter;
    replace(
      this.list,
      ...this.shown.map((m) => {
        const img = el("img", { class: "thumb", alt: "" });
        void thumbnail(this.engine, m).then((u) => u && (img.src = u));
        const objects = m.objects ? `${m.objects} object${m.objects === 1 ? "" : "s"}${m.media.kind === "video" ? ` · ${m.frames} frame${m.frames === 1 ? "" : "s"}` : ""}` : m.version ? "no objects" : "not annotated";
        const status = m.done ? `✓ done · ${objects}` : objects;
        return el(
          "li",
          {
            class: `media-item${m.media.media_id === this.current ? " current" : ""}${m.objects ? " annotated" : ""}${m.done ? " finished" : ""}`,
            "data-media-id": m.media.media_id,
            onclick: () => this.on.open(m.media.media_id),
            title: `${m.media.name ?? m.media.media_id} — ${m.media.width}×${m.media.height}${m.media.kind === "video" ? `, ${m.media.frames} frames` : ""}`,
          },
          m.media.kind === "video" ? el("div", { class: "thumb video-thumb" }, "▶") : img,
          el("div", { class: "media-text" }, el("div", { class: "media-name" }, m.media.name || m.media.media_id.slice(0, 8)), el("div", { class: "media-status" }, status)),
        );
      }),
    );
  }
}
