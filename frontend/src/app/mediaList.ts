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

/** The thumbnail size asked of the engine: the list's 56 px thumbnails,
 * twice over for high-density screens. */
const thumbSize = 128;

/** A media's thumbnail (an object URL of the engine's small JPEG, made and
 * cached there), fetched once per media. */
function thumbnail(engine: Engine, id: string): Promise<string> {
  let t = thumbs.get(id);
  if (!t) {
    t = engine.thumbnail(id, thumbSize).then((b) => URL.createObjectURL(b)).catch(() => "");
    thumbs.set(id, t);
  }
  return t;
}

export class MediaList {
  readonly root = el("aside", { class: "media-panel" });
  private readonly list = el("ul", { class: "media-list", "aria-label": "Media" });
  private readonly filterSelect = el("select", { class: "media-filter", "aria-label": "Show" });
  private filter: MediaFilter = "all";
  /** Fetches a thumbnail when its item scrolls into view, so a project of
   * thousands of media asks only for those shown. */
  private readonly lazy = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        const img = e.target as HTMLImageElement;
        this.lazy.unobserve(img);
        void thumbnail(this.engine, img.dataset.mediaId!).then((u) => u && (img.src = u));
      }
    },
    { root: this.list, rootMargin: "200px" },
  );
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

  /** Updates one media's status after a save: its item only, unless the
   * filter now shows or hides it. */
  setStatus(mediaId: string, status: { objects: number; frames: number; version: number; done: boolean }): void {
    const it = this.items.find((m) => m.media.media_id === mediaId);
    if (!it || (it.objects === status.objects && it.frames === status.frames && it.version === status.version && it.done === status.done)) return;
    const moved = it.done !== status.done && this.filter !== "all" && mediaId !== this.current;
    Object.assign(it, status);
    const li = [...this.list.children].find((c) => (c as HTMLElement).dataset.mediaId === mediaId);
    if (moved || !li) {
      this.render();
      return;
    }
    li.replaceWith(this.item(it));
    this.renderFilter();
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

  /** The images likely to be opened after the current one: the next n
   * images the list shows and the next one to do. */
  upcoming(n: number): string[] {
    const shown = this.shown;
    const i = shown.findIndex((m) => m.media.media_id === this.current);
    const next = shown.slice(i + 1).filter((m) => m.media.kind === "image").slice(0, n).map((m) => m.media.media_id);
    const todo = this.nextToDo();
    if (todo && todo !== this.current && !next.includes(todo) && this.items.find((m) => m.media.media_id === todo)?.media.kind === "image") next.push(todo);
    return next;
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
    this.renderFilter();
    this.lazy.disconnect();
    replace(this.list, ...this.shown.map((m) => this.item(m)));
  }

  /** The filter's choices with their counts. */
  private renderFilter(): void {
    const done = this.items.filter((m) => m.done).length;
    replace(
      this.filterSelect,
      el("option", { value: "all" }, `All (${this.items.length})`),
      el("option", { value: "todo" }, `To do (${this.items.length - done})`),
      el("option", { value: "done" }, `Done (${done})`),
    );
    this.filterSelect.value = this.filter;
  }

  private item(m: ProjectMedia): HTMLElement {
    const img = el("img", { class: "thumb", alt: "", "data-media-id": m.media.media_id });
    this.lazy.observe(img);
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
      m.media.kind === "video" ? el("div", { class: "thumb-wrap" }, img, el("span", { class: "play-badge" }, "▶")) : img,
      el("div", { class: "media-text" }, el("div", { class: "media-name" }, m.media.name || m.media.media_id.slice(0, 8)), el("div", { class: "media-status" }, status)),
    );
  }
}
