// The video view: a tracking session on the video (the newest live one is
// continued, so a reopened video keeps its prompts, results and running
// job), frames shown from GET /v1/media/{id}/frames/{n}, prompts on any
// frame answered at once, propagation forward/backward/both and concept
// tracking as jobs with progress and cancel, and a timeline of prompted and
// masked frames. Masks land in the same annotation document as images (per
// frame), so they autosave and export.
import type { AnnotationDoc, FrameResult, Media, PCSVideoSession, RLE, VideoSession } from "../api/types.gen";
import { Annotator } from "../app/annotator";
import { journalFor, saveError, type MediaView, type ViewContext } from "../app/mediaView";
import { choosePlacement } from "../app/placementDialog";
import type { SegmentRequest } from "../app/segmenter";
import type { Action } from "../app/shortcuts";
import { mergeTracks, restoreResults } from "../editor/concepts";
import { JobBar } from "../jobs/jobBar";
import { withPlacement, type Placement } from "../jobs/placement";
import { isEnded } from "../jobs/progress";
import { el, replace } from "../view/dom";
import { FrameCache } from "./frameCache";
import { pickLive, promptedFrames, SessionMemo } from "./sessions";
import { Timeline } from "./timeline";
import { VideoApi } from "./videoApi";
import { VideoConcepts } from "./videoConcepts";

type Direction = "forward" | "backward" | "both";

export async function openVideo(ctx: ViewContext, media: Media): Promise<MediaView> {
  const api = new VideoApi(ctx.engine);
  const [doc, { sessions }] = await Promise.all([ctx.engine.annotations(ctx.projectId, media.media_id), api.sessions(media.media_id)]);
  const live = pickLive(sessions, "points");
  const liveConcept = pickLive(sessions, "concept");
  const [session, concept] = await Promise.all([live ?? api.openSession(media.media_id), liveConcept ? api.concept(liveConcept.session_id) : null]);
  const view = new VideoView(ctx, api, media, session, concept, doc);
  await view.showFrame(0);
  return view;
}

class VideoView implements MediaView {
  readonly annotator: Annotator;
  readonly root: HTMLElement;
  readonly concepts: VideoConcepts;
  private readonly frames: FrameCache;
  private readonly timeline: Timeline;
  private readonly controls = el("div", { class: "video-controls" });
  /** Propagation applies only the current object's results. */
  private onlyCurrent = false;
  private readonly jobs: JobBar;
  private readonly memo: SessionMemo;
  /** Frames the session had prompts on when the view opened. */
  private readonly sessionPrompted: Set<number>;
  private playing = 0;
  private shown = -1;
  private kept: AnnotationDoc | null;

  constructor(
    private readonly ctx: ViewContext,
    private readonly api: VideoApi,
    readonly media: Media,
    private readonly session: VideoSession,
    concept: PCSVideoSession | null,
    private readonly doc: AnnotationDoc,
  ) {
    this.frames = new FrameCache((n) => api.frame(media.media_id, n));
    const { journal, kept } = journalFor(ctx, media.media_id, doc);
    this.kept = kept;
    this.memo = new SessionMemo(localStorage, session.session_id);
    this.sessionPrompted = promptedFrames(session);
    this.annotator = new Annotator({
      width: media.width,
      height: media.height,
      doc,
      labels: ctx.labels,
      segmenter: { segment: (req) => this.segment(req) },
      outline: (mask, tolerance) => ctx.engine.outline(mask, tolerance),
    save: (d) => ctx.engine.saveAnnotations(ctx.projectId, media.media_id, d),
      toSaveError: saveError,
      onSaveStatus: ctx.onSaveStatus,
      onError: ctx.onError,
      journal,
      saveDelayMs: 800,
    });
    this.jobs = new JobBar(ctx.engine, ctx.onError, () => {
      this.renderControls();
      this.annotator.notify();
    });
    this.concepts = new VideoConcepts(api, media, this.annotator, ctx.labels, {
      jobRunning: () => this.jobs.running,
      follow: (memo, jobId, label, apply, after) => this.follow(memo, jobId, label, apply, after),
    }, concept);
    this.timeline = new Timeline((f) => void this.showFrame(f));
    this.annotator.onChange(() => this.updateTimeline());
    this.root = el("div", { class: "view video-view" }, this.annotator.stage.root, this.timeline.root, el("div", { class: "video-bar" }, this.controls, this.jobs.root));
    this.renderControls();
  }

  get frameCount(): number {
    return this.session.frames || this.media.frames;
  }

  /** The sessions this view continues (for the tests and the curious). */
  get sessions(): { points: string; concept: string | null } {
    return { points: this.session.session_id, concept: this.concepts.sessionId };
  }

  mounted(): void {
    this.annotator.stage.fit();
    this.updateTimeline();
    if (this.kept) {
      this.annotator.restore(this.kept);
      this.ctx.onNote("Restored edits that were not saved in the last session.");
    }
    void this.continueSessions().catch((e) => this.ctx.onError(`continuing the video's sessions: ${(e as Error).message}`));
  }

  /** Picks up what the sessions did while the video was closed: results of
   * a document never saved in this project, and the job that was followed
   * (or one still running) from where this UI left it. */
  private async continueSessions(): Promise<void> {
    if (this.doc.version === 0) await this.restoreSessionResults();
    const { jobs } = await this.ctx.engine.jobs();
    const memos = [this.memo, this.concepts.memo].filter((m): m is SessionMemo => m !== null);
    for (const memo of memos) {
      if (this.jobs.running) return;
      const kept = memo.job();
      const job = jobs.find((j) => j.session_id === memo.sessionId && !isEnded(j.state)) ?? jobs.find((j) => j.job_id === kept?.jobId);
      if (!job) {
        memo.saveJob(null);
        continue;
      }
      const after = kept?.jobId === job.job_id ? kept.cursor : -1;
      const only = kept?.jobId === job.job_id ? kept.only : undefined;
      if (memo === this.memo) this.follow(memo, job.job_id, only === undefined ? "Propagate" : `Propagate #${only}`, (fr, step) => this.applyPropagated(fr, step, only), after, only);
      else this.concepts.follow(job.job_id, after);
    }
  }

  /** Every stored result of the sessions, for a document that has none. */
  private async restoreSessionResults(): Promise<void> {
    const read = async (id: string) => {
      const out: FrameResult[] = [];
      for (let after = -1; ; ) {
        const page = await this.api.results(id, after);
        out.push(...page.frames);
        if (page.next === null || !page.frames.length) return out;
        after = page.next;
      }
    };
    const cm = this.concepts.memo;
    const points = await read(this.session.session_id);
    const concept = cm ? await read(cm.sessionId) : [];
    // Computed from the state after the reads: edits made meanwhile stay.
    const a = this.annotator;
    const style = { label: "", color: (id: number) => a.colorFor("", id) };
    let next = restoreResults(a.state, points, style);
    if (cm) {
      const tracks = cm.tracks();
      next = mergeTracks(next, concept, tracks, style);
      cm.saveTracks(tracks);
    }
    if (next !== a.state) {
      a.apply(next, true);
      this.ctx.onNote("Restored the masks kept by the video's tracking sessions.");
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
    const { points, labels, box, mask } = req.prompts;
    const res = await this.api.annotate(this.session.session_id, {
      frame: req.frame,
      object_id: req.objectId,
      points: points.length ? points : undefined,
      labels: points.length ? labels : undefined,
      box,
      mask,
      clear: !points.length && !box ? true : undefined,
    });
    this.ctx.onSegmented(null);
    return res.objects.find((o) => o.object_id === req.objectId)?.mask ?? null;
  }

  private async propagate(direction: Direction): Promise<void> {
    if (this.jobs.running) return;
    if (this.onlyCurrent && !this.annotator.current) {
      this.ctx.onNote("Select the object to propagate (only the current object is ticked).");
      return;
    }
    await this.annotator.autosave.flush();
    try {
      const req = { direction, start_frame: this.annotator.frame };
      const send = (placement?: Placement) => this.api.propagate(this.session.session_id, placement ? { ...req, placement } : req);
      const acc = await withPlacement(send, choosePlacement);
      if (!acc) return;
      const arrow = { forward: "▶", backward: "◀", both: "◀▶" }[direction];
      const only = this.onlyCurrent ? this.annotator.current?.id : undefined;
      const label = only === undefined ? `Propagate ${arrow}` : `Propagate ${arrow} #${only} only`;
      this.follow(this.memo, acc.job_id, label, (fr, step) => this.applyPropagated(fr, step, only), -1, only);
    } catch (e) {
      this.ctx.onError((e as Error).message);
    }
  }

  /** Follows a job of a session with the job bar; the first batch of
   * frames is a new undo step and the rest join it, so a whole run is one
   * step. The session's memo keeps how far it got, for a reopened video. */
  private follow(memo: SessionMemo, jobId: string, label: string, apply: (frames: FrameResult[], newStep: boolean) => void, after = -1, only?: number): void {
    let cursor = after;
    let first = true;
    memo.saveJob({ jobId, cursor, only });
    this.jobs.follow(jobId, {
      label,
      unit: "frames",
      after,
      frames: (frames) => {
        apply(frames, first);
        first = false;
        cursor += frames.length;
        memo.saveJob({ jobId, cursor, only });
      },
      ended: () => memo.saveJob(null),
    });
  }

  /** Applies propagated frames: every object's masks, or only object
   * only's (the others keep theirs, edits included). */
  private applyPropagated(frames: FrameResult[], newStep: boolean, only?: number): void {
    const masks = frames.flatMap((f) =>
      f.objects.filter((o) => only === undefined || o.object_id === only).map((o) => ({ objectId: o.object_id, frame: f.frame, mask: o.mask && o.area > 0 ? o.mask : null })),
    );
    this.annotator.applyMasks(masks, newStep);
  }

  private renderControls(): void {
    const b = (label: string, title: string, fn: () => void, disabled = false) => el("button", { title, onclick: fn, disabled }, label);
    const running = this.jobs.running;
    replace(
      this.controls,
      b("‹ Prev", "Previous frame (←)", () => void this.showFrame(this.annotator.frame - 1)),
      b(this.playing ? "Pause" : "Play", "Play / pause (K)", () => this.togglePlay()),
      b("Next ›", "Next frame (→)", () => void this.showFrame(this.annotator.frame + 1)),
      el("span", { class: "sep" }),
      b("◀ Propagate", "Track the prompted objects backward from this frame", () => void this.propagate("backward"), running),
      b("Propagate ◀▶", "Track both ways from this frame", () => void this.propagate("both"), running),
      b("Propagate ▶", "Track forward from this frame", () => void this.propagate("forward"), running),
      el(
        "label",
        { class: "only-current", title: "Propagate: apply only the current object's tracked masks; the other objects keep their frames (and your edits on them) as they are" },
        el("input", { type: "checkbox", checked: this.onlyCurrent, onchange: (e: Event) => (this.onlyCurrent = (e.target as HTMLInputElement).checked) }),
        "only the current object",
      ),
      el("span", { class: "sep" }),
      b("End track ▶", "Delete the current object's masks from this frame to the last (it left the scene); one undo step", () => this.endTrack(), running),
    );
  }

  private endTrack(): void {
    const o = this.annotator.current;
    if (!o) {
      this.ctx.onNote("Select the object whose track ends here first.");
      return;
    }
    const n = this.annotator.endTrack(o.id);
    this.ctx.onNote(n ? `Object #${o.id}: masks removed from ${n} frame${n === 1 ? "" : "s"}, frame ${this.annotator.frame} on.` : `Object #${o.id} has no masks from frame ${this.annotator.frame} on.`);
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
    const prompted = new Set(this.sessionPrompted);
    for (const o of this.annotator.state.objects) {
      for (const k of Object.keys(o.masks)) masked.add(Number(k));
      for (const [k, p] of Object.entries(o.prompts)) if (p.points.length || p.box) prompted.add(Number(k));
    }
    const o = this.annotator.current;
    const object = o && { frames: new Set(Object.keys(o.masks).map(Number)), color: o.color };
    this.timeline.set(this.frameCount, this.annotator.frame, { masked, prompted, object });
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

  /** Stops following the job: no more frames are applied (the job goes on
   * in the engine and is followed again from its cursor on reopening). */
  closing(): void {
    this.jobs.detach();
  }

  /** Closes the view; the sessions and their jobs go on in the engine and
   * are continued when the video opens again. */
  destroy(): void {
    if (this.playing) clearInterval(this.playing);
    this.jobs.detach();
    this.frames.clear();
    this.annotator.destroy();
  }
}
