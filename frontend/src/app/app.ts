// The annotator application: header (project, model, save state, export,
// help), media list, the current media's view, tools and object panels, and
// the keyboard. It talks only to the engine's /v1 API.
import { ApiError } from "../api/client";
import type { Engine } from "../api/engine";
import type { Label, Media, Project } from "../api/types.gen";
import type { SaveStatus } from "../editor/autosave";
import { el, replace } from "../view/dom";
import { ConceptPanel } from "./conceptPanel";
import { connectDesktop, desktop, menuTakes, openPaths, type DesktopHost } from "./desktop";
import { ask } from "./dialogs";
import { exportMenu, exportProject, openExportMenu, saveBlob, type ExportOptions } from "./exportMenu";
import { showStats } from "./statsDialog";
import { showHelp } from "./help";
import { JobBar } from "../jobs/jobBar";
import { confirmImport, importButton, importSummary, isAnnotationFile } from "./importDialog";
import { openImage } from "./imageView";
import { MediaList } from "./mediaList";
import type { MediaView, ViewContext } from "./mediaView";
import { Messages } from "./messages";
import { ObjectPanel } from "./objectPanel";
import { Precompute } from "./precompute";
import { ReadyBadge } from "./readyBadge";
import { SaveBadge } from "./saveBadge";
import { actionFor, keymap, keysOf, loadKeyOverrides, saveKeyOverrides, type Action, type KeyOverrides } from "./shortcuts";
import { Toolbar } from "./toolbar";

const projectKey = "samwise.project";
const labelPalette = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#fabed4"];

/** Opens a video; loaded on demand so the image tool never waits for it. */
type VideoOpener = (ctx: ViewContext, media: Media) => Promise<MediaView>;

export class App {
  readonly messages = new Messages();
  /** The user's rebound keys and the key map they make. */
  private keyOverrides: KeyOverrides = loadKeyOverrides();
  private keys = keymap(this.keyOverrides);
  readonly ready: ReadyBadge;
  readonly save = new SaveBadge();
  readonly toolbar = new Toolbar((a) => keysOf(a, this.keyOverrides));
  readonly objects: ObjectPanel;
  readonly concepts: ConceptPanel;
  readonly media: MediaList;
  readonly precompute: Precompute;
  /** Follows the job that segments an import's boxes. */
  private readonly importBar: JobBar;
  /** A concept looked for on every image of the project. */
  private readonly conceptBar: JobBar;
  project: Project | null = null;
  view: MediaView | null = null;
  private readonly projectSelect = el("select", { class: "project-select", "aria-label": "Project" });
  private readonly centre = el("main", { class: "centre" });
  private readonly exports = exportMenu((f, o) => void this.export(f, o));
  private readonly importer = importButton((f) => void this.importFile(f));
  private opening: Promise<void> = Promise.resolve();
  private loadingProjects = false;

  constructor(
    private readonly engine: Engine,
    private readonly openVideo: VideoOpener,
  ) {
    this.ready = new ReadyBadge(engine, (m) => this.messages.error(m));
    this.concepts = new ConceptPanel({
      labels: () => this.labels,
      createLabel: (name) => this.addLabel(name),
      error: (m) => this.messages.error(m),
      images: () => ({ count: this.images().length, running: this.conceptBar.running }),
      findInAll: (text, threshold, semantic) => void this.findInAll(text, threshold, semantic),
    });
    this.objects = new ObjectPanel({
      add: (name) => void this.addLabel(name),
      rename: (from, to) => void this.renameLabel(from, to),
      recolor: (name, color) => void this.recolorLabel(name, color),
      info: (message) => this.messages.info(message),
    });
    this.media = new MediaList(engine, {
      open: (id) => void this.open(id),
      files: (files) => void this.addFiles(files),
      paths: (paths) => void this.addPaths(paths),
    });
    this.precompute = new Precompute(engine, () => this.images(), this.messages);
    this.importBar = new JobBar(engine, (m) => this.messages.error(m));
    this.conceptBar = new JobBar(engine, (m) => this.messages.error(m), () => this.concepts.render());
    this.conceptBar.root.classList.add("concept-job");
    this.media.footer.append(this.precompute.root, this.importBar.root, this.conceptBar.root);
    this.projectSelect.addEventListener("change", () => void this.switchProject(this.projectSelect.value));
  }

  /** Builds the page into root and loads the last project. */
  async start(root: HTMLElement): Promise<void> {
    const header = el(
      "header",
      { class: "topbar" },
      el("span", { class: "brand" }, "Samwise"),
      this.projectSelect,
      el("button", { class: "small", title: "Rename project", onclick: () => void this.renameProject() }, "Rename"),
      el("button", { class: "small stats-button", title: "Media, objects and masks per label", onclick: () => void this.openStats() }, "Stats"),
      el("span", { class: "spacer" }),
      this.save.root,
      this.ready.badge,
      this.importer,
      this.exports,
      el("button", { class: "small", title: "Keyboard shortcuts (?)", onclick: () => this.showHelp() }, "?"),
    );
    const right = el("div", { class: "right" }, this.toolbar.root, this.concepts.root, this.objects.root);
    replace(root, header, this.ready.banner, el("div", { class: "body" }, this.media.root, this.centre, right), this.messages.root);
    this.showEmpty();
    this.listen();
    const bridge = desktop();
    if (bridge) connectDesktop(bridge, this.desktopHost());
    void this.ready.refresh();
    await this.loadProjects();
  }

  private showEmpty(): void {
    replace(
      this.centre,
      el("div", { class: "empty" }, el("h2", {}, "Open images to start"), el("p", {}, "Drop images or videos here, or use “Open images or videos…”. Click an object to segment it; press ? for shortcuts.")),
    );
  }

  get labels(): Label[] {
    return this.project?.labels ?? [];
  }

  private async loadProjects(): Promise<void> {
    this.loadingProjects = true;
    try {
      let { projects } = await this.engine.projects();
      if (!projects.length) projects = [await this.engine.createProject("My project", [])];
      const last = localStorage.getItem(projectKey);
      const p = projects.find((x) => x.project_id === last) ?? projects[0];
      this.fillProjects(projects, p.project_id);
      await this.useProject(p);
    } catch (e) {
      this.fail(e);
    } finally {
      this.loadingProjects = false;
    }
  }

  private fillProjects(projects: Project[], current: string): void {
    replace(
      this.projectSelect,
      ...projects.map((p) => el("option", { value: p.project_id, selected: p.project_id === current }, p.name)),
      el("option", { value: "__new" }, "New project…"),
    );
  }

  private async switchProject(id: string): Promise<void> {
    try {
      await this.closeView();
    } catch (e) {
      this.projectSelect.value = this.project?.project_id ?? "";
      this.fail(e);
      return;
    }
    try {
      if (id === "__new") {
        const name = await ask("New project", "Name");
        if (name?.trim()) await this.useProject(await this.engine.createProject(name.trim(), []));
        const { projects } = await this.engine.projects();
        this.fillProjects(projects, this.project?.project_id ?? "");
        return;
      }
      const { projects } = await this.engine.projects();
      const p = projects.find((x) => x.project_id === id);
      if (p) await this.useProject(p);
    } catch (e) {
      this.fail(e);
    }
  }

  private async useProject(p: Project): Promise<void> {
    this.project = p;
    localStorage.setItem(projectKey, p.project_id);
    this.objects.setLabels(p.labels);
    const { media } = await this.engine.projectMedia(p.project_id);
    this.media.set(media);
    this.precompute.render();
    this.media.setCurrent(null);
    this.showEmpty();
    if (media.length) await this.open(media[0].media.media_id);
  }

  private async renameProject(): Promise<void> {
    if (!this.project) return;
    const name = await ask("Rename project", "Name", this.project.name);
    if (!name?.trim()) return;
    try {
      this.project = await this.engine.updateProject(this.project.project_id, { name: name.trim() });
      const { projects } = await this.engine.projects();
      this.fillProjects(projects, this.project.project_id);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Uploads files, adds them to the project and opens the first. A file
   * the engine refuses (not an image or video, unreadable, empty) is
   * reported with the engine's message; nothing else changes. */
  async addFiles(files: File[]): Promise<void> {
    const ids: string[] = [];
    for (const f of files) {
      try {
        ids.push((await this.engine.upload(f, f.name)).media_id);
      } catch (e) {
        this.messages.error(`${f.name}: ${(e as Error).message}`);
      }
    }
    await this.added(ids);
  }

  /** Registers local paths (the desktop app's dialogs, menu and drops)
   * and adds them like uploads. */
  async addPaths(paths: string[]): Promise<void> {
    paths = paths.filter((p) => !isAnnotationFile(p)); // dropped ones are imported by the page's drop
    if (!paths.length) return;
    await openPaths(desktop(), paths, {
      register: (p) => this.engine.registerPath(p),
      add: (ids) => this.added(ids),
      error: (m) => this.messages.error(m),
    });
  }

  private async added(ids: string[]): Promise<void> {
    if (!ids.length || !this.project) return;
    try {
      this.project = await this.engine.addMedia(this.project.project_id, ids);
      this.media.set((await this.engine.projectMedia(this.project.project_id)).media);
      this.precompute.render();
      await this.open(ids[0]);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Opens a media of the project (saving the current one first). */
  open(mediaId: string): Promise<void> {
    this.opening = this.opening.then(() => this.doOpen(mediaId));
    return this.opening;
  }

  private async doOpen(mediaId: string): Promise<void> {
    if (!this.project || this.view?.media.media_id === mediaId) return;
    const item = this.media.items.find((m) => m.media.media_id === mediaId);
    if (!item) return;
    try {
      await this.closeView();
    } catch (e) {
      this.fail(e);
      return;
    }
    try {
      this.media.setCurrent(mediaId);
      replace(this.centre, el("div", { class: "empty" }, "Loading…"));
      const ctx = this.viewContext();
      const view =
        item.media.kind === "video"
          ? await this.openVideo(ctx, item.media)
          : await openImage(ctx, item.media, await this.engine.annotations(this.project.project_id, mediaId));
      this.view = view;
      replace(this.centre, view.root);
      view.mounted();
      view.annotator.onChange(() => {
        this.objects.render();
        this.toolbar.render();
        this.concepts.render();
      });
      this.toolbar.attach(view.annotator);
      this.toolbar.setTool("prompt");
      this.objects.attach(view.annotator);
      this.concepts.attach(view.annotator, view.concepts);
      this.onSaveStatus(view.annotator.autosave.state);
      view.annotator.stage.root.focus();
      this.prefetch(item.media);
    } catch (e) {
      this.fail(e);
      this.showEmpty();
    }
  }

  /** Has the engine encode the image just opened, and the next ones in
   * the background (for concepts too once one was looked for), so their
   * first clicks are quick (best effort: a failure shows when the image is
   * clicked). */
  private prefetch(opened: Media): void {
    const open = opened.kind === "image" ? opened.media_id : undefined;
    this.engine.prefetch(open, open ? this.media.upcoming(2) : [], this.concepts.used).catch(() => {});
  }

  private viewContext(): ViewContext {
    const projectId = this.project!.project_id;
    return {
      engine: this.engine,
      projectId,
      labels: () => this.labels,
      onSaveStatus: (s) => this.onSaveStatus(s),
      onError: (m) => this.messages.error(m),
      onNote: (m) => this.messages.info(m),
      onSegmented: (t) => void this.ready.refresh(t),
    };
  }

  private onSaveStatus(s: SaveStatus): void {
    const v = this.view;
    this.save.show(s, {
      retry: () => void v?.annotator.autosave.retry(),
      keepMine: () => void v?.annotator.autosave.keepMine(),
      loadTheirs: () => {
        if (v && s.theirs) v.annotator.load(s.theirs);
      },
    });
    if (v && s.state === "saved") {
      const objs = v.annotator.state.objects.filter((o) => Object.keys(o.masks).length);
      const frames = new Set(objs.flatMap((o) => Object.keys(o.masks)));
      this.media.setStatus(v.media.media_id, { objects: objs.length, frames: frames.size, version: s.version, done: v.annotator.state.done });
    }
  }

  /** Saves and closes the current view; throws (keeping the view) when
   * its annotations cannot be saved. */
  private async closeView(): Promise<void> {
    const v = this.view;
    if (!v) return;
    const saved = async () => {
      await v.annotator.autosave.flush();
      const st = v.annotator.autosave.state;
      if (st.state === "error" || st.state === "conflict") {
        throw new Error(`The annotations of ${v.media.name ?? v.media.media_id} are not saved (${st.message ?? st.state}): retry or resolve the conflict first.`);
      }
    };
    await saved();
    if (v.closing) {
      // Results of a followed job could arrive during that save, after the
      // job's cursor had passed them: stop taking them in, save the rest.
      v.closing();
      await saved();
    }
    this.view = null;
    this.toolbar.attach(null);
    this.objects.attach(null);
    this.concepts.attach(null, null);
    this.save.show(null, { retry: () => {}, keepMine: () => {}, loadTheirs: () => {} });
    v.destroy();
  }

  private async addLabel(name: string): Promise<boolean> {
    if (!this.project) return false;
    if (this.labels.some((l) => l.name === name)) {
      this.messages.error(`There is already a label “${name}”.`);
      return false;
    }
    const labels = [...this.labels, { name, color: labelPalette[this.labels.length % labelPalette.length] }];
    if (!(await this.updateLabels({ labels }))) return false;
    if (this.view && !this.view.annotator.defaultLabel) this.view.annotator.defaultLabel = name;
    return true;
  }

  private async renameLabel(from: string, to: string): Promise<void> {
    if (this.labels.some((l) => l.name === to)) {
      this.messages.error(`There is already a label “${to}”.`);
      this.objects.render();
      return;
    }
    // Save first so the engine renames the label in what this view has.
    await this.view?.annotator.autosave.flush();
    const labels = this.labels.map((l) => (l.name === from ? { ...l, name: to } : l));
    if (await this.updateLabels({ labels, renames: { [from]: to } })) {
      const a = this.view?.annotator;
      if (a) a.load(await this.engine.annotations(this.project!.project_id, this.view!.media.media_id));
    }
  }

  private async recolorLabel(name: string, color: string): Promise<void> {
    await this.updateLabels({ labels: this.labels.map((l) => (l.name === name ? { ...l, color } : l)) });
  }

  private async updateLabels(update: { labels: Label[]; renames?: Record<string, string> }): Promise<boolean> {
    try {
      this.project = await this.engine.updateProject(this.project!.project_id, update);
      this.objects.setLabels(this.project.labels);
      return true;
    } catch (e) {
      this.fail(e);
      this.objects.render();
      return false;
    }
  }

  private async export(format: string, opts: ExportOptions): Promise<void> {
    if (!this.project) return;
    const ended = opts.pictures ? this.messages.progress("Exporting the dataset with its pictures (video frames are decoded, so a large project takes a while)…") : null;
    try {
      await this.view?.annotator.autosave.flush();
      const done = await exportProject(format, this.project.project_id, opts, {
        bridge: desktop(),
        download: (id, f, o) => this.engine.export(id, f, o),
        save: saveBlob,
      });
      if (done) this.messages.info(done);
    } catch (e) {
      this.fail(e);
    } finally {
      ended?.();
    }
  }

  /** Shows the project's statistics (what is saved: the open media first). */
  private async openStats(): Promise<void> {
    const p = this.project;
    if (!p) return;
    try {
      await this.view?.annotator.autosave.flush();
      showStats(await this.engine.stats(p.project_id));
    } catch (e) {
      this.fail(e);
    }
  }

  /** Copies the objects of the previous image in the list onto the open
   * one, when both are images of one size (a burst, a sequence): the
   * annotator refines them instead of starting over. One undo step. */
  private async copyPrevious(): Promise<void> {
    const p = this.project;
    const a = this.view?.annotator;
    const here = this.media.items.find((m) => m.media.media_id === this.media.current)?.media;
    const prevId = this.media.neighbour(-1);
    const prev = this.media.items.find((m) => m.media.media_id === prevId)?.media;
    if (!p || !a || !here) return;
    if (!prev) return this.messages.info("There is no previous image to copy from.");
    if (here.kind !== "image" || prev.kind !== "image") return this.messages.info("Copying objects works between images; videos are tracked.");
    if (here.width !== prev.width || here.height !== prev.height) {
      return this.messages.info(`The previous image is ${prev.width}×${prev.height}, this one ${here.width}×${here.height}: masks copy only between images of one size.`);
    }
    try {
      const doc = await this.engine.annotations(p.project_id, prev.media_id);
      const objects = doc.objects.filter((o) => o.masks["0"]);
      if (!objects.length) return this.messages.info(`${prev.name ?? "The previous image"} has no objects to copy.`);
      if (this.view?.annotator !== a) return; // another media opened meanwhile
      a.copyObjects(objects);
      this.messages.info(`Copied ${objects.length} object${objects.length === 1 ? "" : "s"} from ${prev.name ?? "the previous image"}.`);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Imports a COCO, YouTube-VIS, LabelMe, YOLO, VOC or mask PNG file after the user confirms the dry
   * run's summary, then shows the new labels, statuses and objects. */
  private async importFile(file: File): Promise<void> {
    const p = this.project;
    if (!p) return;
    try {
      await this.view?.annotator.autosave.flush(); // the import merges with what is saved
      // Offer to segment the boxes; an engine without an image model (503)
      // imports the masks alone.
      const dry = await this.engine
        .importAnnotations(p.project_id, file, { dryRun: true, segmentBoxes: true })
        .catch((e) => (e instanceof ApiError && e.status === 503 ? this.engine.importAnnotations(p.project_id, file, { dryRun: true, segmentBoxes: false }) : Promise.reject(e)));
      const choice = await confirmImport(file.name, dry);
      if (!choice) return;
      const res = await this.engine.importAnnotations(p.project_id, file, { dryRun: false, ...choice });
      this.messages.info(`${file.name}: ${importSummary(res)[0]}`);
      await this.reloadProject(res.media_ids);
      if (res.job_id) {
        const n = `${res.boxes} box${res.boxes === 1 ? "" : "es"}`;
        this.importBar.follow(res.job_id, {
          label: `Segment ${n}`,
          unit: "images",
          ended: (j) => {
            if (j.state === "succeeded") this.messages.info(`${file.name}: masks made of ${n}.`);
            this.reloadProject(this.media.items.map((m) => m.media.media_id)).catch((e) => this.fail(e));
          },
        });
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** The project's images (ids, in order). */
  private images(): string[] {
    return this.media.items.filter((m) => m.media.kind === "image").map((m) => m.media.media_id);
  }

  /** Looks for a concept on every image of the project in a job, then shows
   * what it added. */
  private async findInAll(text: string, threshold: number, semantic: boolean): Promise<void> {
    const p = this.project;
    if (!p) return;
    try {
      await this.view?.annotator.autosave.flush(); // the job merges with what is saved
      const images = this.images().length;
      const { job_id } = await this.engine.findConceptInProject(p.project_id, { text, threshold, semantic: semantic || undefined });
      let added = 0;
      const changed = new Set<string>();
      this.conceptBar.follow(job_id, {
        label: `Find “${text}” in ${images} images`,
        unit: "images",
        frames: (frames) => {
          for (const f of frames) {
            added += f.objects.length;
            if (f.objects.length && f.media_id) changed.add(f.media_id);
          }
        },
        ended: (j) => {
          if (j.state === "succeeded") this.messages.info(`“${text}”: ${added} object${added === 1 ? "" : "s"} added on ${changed.size} of ${images} images.`);
          this.reloadProject([...changed]).catch((e) => this.fail(e));
        },
      });
    } catch (e) {
      this.fail(e);
    }
  }

  /** Shows the project's labels and media statuses again, and reopens the
   * current media when it is one of changed. */
  private async reloadProject(changed: string[]): Promise<void> {
    const p = this.project;
    if (!p) return;
    const { projects } = await this.engine.projects();
    this.project = projects.find((x) => x.project_id === p.project_id) ?? p;
    this.objects.setLabels(this.project.labels);
    this.media.set((await this.engine.projectMedia(p.project_id)).media);
    const cur = this.view?.media.media_id;
    if (cur && changed.includes(cur)) {
      await this.closeView();
      await this.open(cur);
    }
  }

  private fail(e: unknown): void {
    this.messages.error(e instanceof ApiError || e instanceof Error ? e.message : String(e));
  }

  private listen(): void {
    window.addEventListener("keydown", (e) => {
      if (menuTakes(desktop(), e)) return; // it comes as the menu's undo/redo
      const t = e.target as HTMLElement;
      if (t.closest("input, select, textarea, .dialog")) return;
      const act = actionFor(e, this.keys);
      if (act && this.run(act)) e.preventDefault();
    });
    // Drag-and-drop anywhere.
    window.addEventListener("dragover", (e) => {
      e.preventDefault();
      document.body.classList.add("dropping");
    });
    window.addEventListener("dragleave", (e) => {
      if (!e.relatedTarget) document.body.classList.remove("dropping");
    });
    window.addEventListener("drop", (e) => {
      e.preventDefault();
      document.body.classList.remove("dropping");
      // The desktop app sends the dropped files' paths (onOpenPaths) too;
      // annotation files are imported from here in both.
      const files = [...(e.dataTransfer?.files ?? [])];
      const media = files.filter((f) => !isAnnotationFile(f.name));
      if (media.length && !desktop()) void this.addFiles(media);
      void (async () => {
        for (const f of files.filter((f) => isAnnotationFile(f.name))) await this.importFile(f);
      })();
    });
    // Leaving the page: save now, and keep what is not saved yet locally.
    const leave = () => {
      const a = this.view?.annotator;
      if (!a) return;
      a.keepUnsaved();
      void a.autosave.flush();
    };
    window.addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && leave());
    window.addEventListener("beforeunload", (e) => {
      const st = this.view?.annotator.autosave.state.state;
      if (st && st !== "saved") {
        this.view!.annotator.keepUnsaved();
        e.preventDefault();
      }
    });
  }

  /** What the desktop shell's menu, drops and engine events do here. */
  private desktopHost(): DesktopHost {
    // The Edit menu's undo/redo: a text field's own, else the editor's.
    const edit = (kind: "undo" | "redo") => {
      const t = document.activeElement;
      if (t?.closest("input, textarea, [contenteditable]")) document.execCommand(kind);
      else if (!t?.closest("select, .dialog")) this.run(kind);
    };
    return {
      openPaths: (paths) => void this.addPaths(paths),
      undo: () => edit("undo"),
      redo: () => edit("redo"),
      chooseExport: () => openExportMenu(this.exports),
      chooseImport: () => this.importer.querySelector("input")?.click(),
      engine: (st) => {
        this.ready.showEngine(st);
        // The page can load before the engine is ready (the desktop proxy
        // answers 503 meanwhile): load the projects once it is.
        if (st.state === "ready" && !this.project && !this.loadingProjects) void this.loadProjects();
      },
    };
  }

  /** The shortcuts, where keys can be changed (kept in this browser). */
  private showHelp(): void {
    showHelp({
      get: () => this.keyOverrides,
      set: (o) => {
        this.keyOverrides = o;
        this.keys = keymap(o);
        saveKeyOverrides(o);
      },
    });
  }

  /** Runs a shortcut; false when it does nothing here. */
  run(act: Action): boolean {
    if (act === "help") {
      this.showHelp();
      return true;
    }
    if (act === "next-media" || act === "prev-media") {
      const id = this.media.neighbour(act === "next-media" ? 1 : -1);
      if (id) void this.open(id);
      return true;
    }
    const v = this.view;
    if (!v) return false;
    if (v.action(act)) return true;
    const a = v.annotator;
    if (act === "toggle-done" || act === "done-next") {
      a.setDone(act === "done-next" || !a.state.done);
      if (act === "done-next") {
        const next = this.media.nextToDo();
        if (next) void this.open(next);
        else this.messages.info(`All ${this.media.items.length} media are done.`);
      }
      return true;
    }
    if (act.startsWith("label-")) {
      a.setLabelIndex(Number(act.slice(6)));
      return true;
    }
    if (act === "copy-previous") {
      void this.copyPrevious();
      return true;
    }
    switch (act) {
      case "new-object":
        a.newObject();
        break;
      case "undo":
        a.undo();
        break;
      case "redo":
        a.redo();
        break;
      case "brush":
      case "eraser":
      case "polygon":
      case "outline":
      case "prompt":
        this.toolbar.setTool(act);
        break;
      case "grow-mask":
      case "shrink-mask":
        if (a.current) a.cleanMask(a.current.id, act === "grow-mask" ? "grow" : "shrink");
        break;
      case "finish-polygon":
        if (!a.drawingPolygon) return false;
        a.closePolygon();
        break;
      case "exemplar":
        this.toolbar.setTool(a.tool === "exemplar" ? "prompt" : "exemplar");
        break;
      case "concept":
        this.concepts.focus();
        break;
      case "clear-prompts":
        if (a.drawingPolygon) a.cancelPolygon();
        else if (a.tool !== "prompt") this.toolbar.setTool("prompt");
        else a.clearPrompts();
        break;
      case "smaller":
        this.toolbar.resizeBrush(1 / 1.2);
        break;
      case "larger":
        this.toolbar.resizeBrush(1.2);
        break;
      case "fit":
        a.stage.fit();
        break;
      case "fit-object":
        if (a.current) a.zoomToObject(a.current.id);
        break;
      case "zoom-in":
        a.stage.zoom(1.25);
        break;
      case "zoom-out":
        a.stage.zoom(1 / 1.25);
        break;
      case "solo":
        a.toggleSolo();
        break;
      case "toggle-masks":
        this.toolbar.toggleMasks();
        break;
      case "toggle-visible":
        if (a.current) a.toggleVisible(a.current.id);
        break;
      case "delete-object":
        if (a.drawingPolygon) a.removeCorner();
        else if (a.removeHandleUnderPointer()) break;
        else if (a.current) a.remove(a.current.id);
        break;
      case "next-object":
        a.selectNext(1);
        break;
      case "prev-object":
        a.selectNext(-1);
        break;
      default:
        return false;
    }
    return true;
  }
}
