// The video view: a tracking session on the video, frames shown from
// GET /v1/media/{id}/frames/{n}, prompts on any frame answered at once,
// propagation forward/backward/both with progress and cancel, and a
// timeline of prompted and masked frames. Masks land in the same
// annotation document as images (per frame), so they autosave and export.
import type { AnnotationDoc, FrameResult, Media, RLE, VideoSession } from "../api/types.gen";
import { Annotator } from "../app/annotator";
import { journalFor, saveError, type MediaView, type ViewContext } from "../app/mediaView";
import type { SegmentRequest } from "../app/segmenter";
import type { Action } from "../app/shortcuts";
import { el, replace } from "../view/dom";
import { FrameCache } from "./frameCache";
import { Propagation } from "./propagation";
import { Timeline } from "./timeline";
import { VideoApi } from "./videoApi";

type Direction = "forward" | "backward" | "both";

export async function openVideo(ctx: ViewContext, media: Media): Promise<MediaView> {
  const api = new VideoApi(ctx.engine);
  const [doc, session] = await Promise.all([ctx.engine.annotations(ctx.projectId, media.media_id), api.openSession(media.media_id)]);
  const view = new VideoView(ctx, api, media, session, doc);
  await view.showFrame(0);
  return view;
}

class VideoView implements MediaView {
  readonly annotator: Annotator;
  readonly root: HTMLElement;
  private readonly frames: FrameCache;
  private readonly timeline: Timeline;
  private readonly controls = el("div", { class: "video-controls" });
  private readonly progress = el("div", { class: "propagation" });
  private job: Propagation | null = null;
  private playing = 0;
  private shown = -1;
  private firstBatch = true;
  private kept: AnnotationDoc | null;

  constructor(
    private readonly ctx: ViewContext,
    private readonly api: VideoApi,
    readonly media: Media,
    private readonly session: VideoSession,
    doc: AnnotationDoc,
  ) {
    this.frames = new FrameCache((n) => api.frame(media.media_id, n));
    const { journal, kept } = journalFor(ctx, media.media_id, doc);
    this.kept = kept;
    this.annotator = new Annotator({
      width: media.width,
      height: media.height,
      doc,
      labels: ctx.labels,
      segmenter: { segment: (req) => this.segment(req) },
      save: (d) => ctx.engine.saveAnnotations(ctx.projectId, media.media_id, d),
      toSaveError: saveError,
      onSaveStatus: ctx.onSaveStatus,
      onError: ctx.onError,
      journal,
      saveDelayMs: 800,
    });
    this.timeline = new Timeline((f) => void this.showFrame(f));
    this.annotator.onChange(() => this.updateTimeline());
    this.root = el("div", { class: "view video-view" }, this.annotator.stage.root, this.timeline.root, el("div", { class: "video-bar" }, this.controls, this.progress));
    this.renderControls();
  }

  get frameCount(): number {
    return this.session.frames || this.media.frames;
  }

  mounted(): void {
    this.annotator.stage.fit();
    this.updateTimeline();
    if (this.kept) {
      this.annotator.restore(this.kept);
      this.ctx.onNote("Restored edits that were not saved in the last session.");
    }
  }

  async showFrame(n: number): Promise<void> {
    n = Math.max(0, Math.min(this.frameCount - 1, n));
    this.shown = n;
    let bmp: ImageBitmap;
    try {
      bmp = await this.frames.get(n);
    } catch (e) {
      this.ctx.onError(`frame ${n}: ${(e as Error).message}`);
      return;
    }
    if (this.shown !== n) return; // a later seek won
    this.annotator.stage.setPicture(bmp, this.media.width, this.media.height, false);
    this.annotator.frame = n;
    this.annotator.render();
    this.frames.prefetch(n + 1, 8, this.frameCount - 1);
  }

  /** Prompts on a frame: the session answers that frame's masks at once. */
  private async segment(req: SegmentRequest): Promise<RLE | null> {
    const { points, labels, box } = req.prompts;
    const res = await this.api.annotate(this.session.session_id, {
      frame: req.frame,
      object_id: req.objectId,
      points: points.length ? points : undefined,
      labels: points.length ? labels : undefined,
      box,
      clear: !points.length && !box ? true : undefined,
    });
    this.ctx.onSegmented(null);
    return res.objects.find((o) => o.object_id === req.objectId)?.mask ?? null;
  }

  private async propagate(direction: Direction): Promise<void> {
    if (this.job) return;
    await this.annotator.autosave.flush();
    try {
      const acc = await this.api.propagate(this.session.session_id, { direction, start_frame: this.annotator.frame });
      this.firstBatch = true;
      const job = new Propagation(this.api, acc.job_id, {
        progress: (j) => this.showProgress(`${j.state} ${j.progress.done}/${j.progress.total}${j.progress.fps ? ` · ${j.progress.fps.toFixed(1)} fps` : ""}`, j.progress.total ? j.progress.done / j.progress.total : 0),
        frames: (fr) => this.apply(fr),
        done: (j) => {
          this.job = null;
          this.showProgress(j.state === "succeeded" ? `done: ${j.progress.done} frames` : `${j.state}${j.error ? `: ${j.error}` : ""} (${j.progress.done} frames kept)`, null);
          this.renderControls();
        },
        error: (m) => {
          this.job = null;
          this.ctx.onError(m);
          this.renderControls();
        },
      });
      this.job = job;
      this.renderControls();
      void job.run();
    } catch (e) {
      this.ctx.onError((e as Error).message);
    }
  }

  /** Frames from a job: the whole propagation is one undo step. */
  private apply(frames: FrameResult[]): void {
    const masks = frames.flatMap((f) => f.objects.map((o) => ({ objectId: o.object_id, frame: f.frame, mask: o.mask && o.area > 0 ? o.mask : null })));
    this.annotator.applyMasks(masks, this.firstBatch);
    this.firstBatch = false;
  }

  private showProgress(text: string, fraction: number | null): void {
    replace(
      this.progress,
      fraction === null ? null : el("progress", { max: 1, value: fraction, "aria-label": "Propagation progress" }),
      el("span", { class: "propagation-text" }, text),
    );
    this.progress.dataset.state = fraction === null ? "idle" : "running";
  }

  private renderControls(): void {
    const b = (label: string, title: string, fn: () => void, disabled = false) => el("button", { title, onclick: fn, disabled }, label);
    const running = this.job !== null;
    replace(
      this.controls,
      b("‹ Prev", "Previous frame (←)", () => void this.showFrame(this.annotator.frame - 1)),
      b(this.playing ? "Pause" : "Play", "Play / pause (K)", () => this.togglePlay()),
      b("Next ›", "Next frame (→)", () => void this.showFrame(this.annotator.frame + 1)),
      el("span", { class: "sep" }),
      b("◀ Propagate", "Track the prompted objects backward from this frame", () => void this.propagate("backward"), running),
      b("Propagate ◀▶", "Track both ways from this frame", () => void this.propagate("both"), running),
      b("Propagate ▶", "Track forward from this frame", () => void this.propagate("forward"), running),
      running ? b("Cancel", "Stop tracking (frames done are kept)", () => void this.job?.cancel().catch((e) => this.ctx.onError(e.message))) : null,
    );
  }

  private togglePlay(): void {
    if (this.playing) {
      clearInterval(this.playing);
      this.playing = 0;
    } else {
      const fps = this.session.fps || this.media.fps || 10;
      this.playing = window.setInterval(() => {
        if (this.annotator.frame >= this.frameCount - 1) this.togglePlay();
        else void this.showFrame(this.annotator.frame + 1);
      }, 1000 / fps);
    }
    this.renderControls();
  }

  private updateTimeline(): void {
    const masked = new Set<number>();
    const prompted = new Set<number>();
    for (const o of this.annotator.state.objects) {
      for (const k of Object.keys(o.masks)) masked.add(Number(k));
      for (const [k, p] of Object.entries(o.prompts)) if (p.points.length || p.box) prompted.add(Number(k));
    }
    this.timeline.set(this.frameCount, this.annotator.frame, { masked, prompted });
  }

  action(a: Action): boolean {
    switch (a) {
      case "prev-frame":
        void this.showFrame(this.annotator.frame - 1);
        return true;
      case "next-frame":
        void this.showFrame(this.annotator.frame + 1);
        return true;
      case "play":
        this.togglePlay();
        return true;
    }
    return false;
  }

  destroy(): void {
    if (this.playing) clearInterval(this.playing);
    this.job?.detach();
    this.frames.clear();
    this.annotator.destroy();
    void this.api.endSession(this.session.session_id).catch(() => {});
  }
}
