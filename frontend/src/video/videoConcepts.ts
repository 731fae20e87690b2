// Concepts on a video: the text (and exemplar boxes) go to a concept
// session (POST /v1/pcs/video/sessions, .../prompts), whose detections on
// the frame are shown as a preview; "Track concept" runs it through the
// video (.../run, a job; under burst: ask the user chooses where it runs,
// as for a propagation). Each track becomes one object with its masks per
// frame, instances entering later become new objects, and the track → object
// ids are remembered with the session, so a reopened video continues.
import type { FrameResult, Label, Media, PCSVideoSession } from "../api/types.gen";
import type { Annotator } from "../app/annotator";
import { choosePlacement } from "../app/placementDialog";
import { labelNamed, type ConceptPrompt, type ConceptResult, type ConceptTarget } from "../app/conceptPanel";
import * as A from "../editor/annotations";
import { mergeTracks, type TrackMap } from "../editor/concepts";
import { withPlacement, type Placement } from "../jobs/placement";
import { SessionMemo } from "./sessions";
import type { VideoApi } from "./videoApi";

/** What the video view does for concepts: follows jobs with its job bar. */
export interface ConceptHost {
  jobRunning(): boolean;
  follow(memo: SessionMemo, jobId: string, label: string, apply: (frames: FrameResult[], newStep: boolean) => void, after?: number): void;
}

export class VideoConcepts implements ConceptTarget {
  readonly restored: ConceptPrompt | null;
  memo: SessionMemo | null;
  private tracks: TrackMap;
  /** The concept set on the session (what Track runs). */
  private prompt: ConceptPrompt | null;

  constructor(
    private readonly api: VideoApi,
    private readonly media: Media,
    private readonly annotator: Annotator,
    private readonly labels: () => Label[],
    private readonly host: ConceptHost,
    private session: PCSVideoSession | null,
  ) {
    this.memo = session ? new SessionMemo(localStorage, session.session_id) : null;
    this.tracks = this.memo?.tracks() ?? new Map();
    const p = session?.prompt;
    this.restored = p ? { text: p.text ?? "", exemplars: p.exemplars ?? [], threshold: p.threshold ?? 0.5, frame: p.frame } : null;
    this.prompt = this.restored;
  }

  get sessionId(): string | null {
    return this.session?.session_id ?? null;
  }

  private async ensureSession(): Promise<PCSVideoSession> {
    if (!this.session) {
      this.session = await this.api.openConcept(this.media.media_id);
      this.memo = new SessionMemo(localStorage, this.session.session_id);
      this.tracks = new Map();
    }
    return this.session;
  }

  /** Sets the concept on the frame and previews what it finds there. */
  async find(p: ConceptPrompt): Promise<ConceptResult> {
    const s = await this.ensureSession();
    const fr = await this.api.conceptPrompt(s.session_id, {
      frame: p.frame,
      text: p.text || undefined,
      exemplars: p.exemplars.length ? p.exemplars : undefined,
      threshold: p.threshold,
    });
    this.prompt = p;
    const masks = fr.objects.flatMap((o) => (o.mask && o.area > 0 ? [o.mask] : []));
    this.annotator.setPreview({ frame: p.frame, masks });
    return { found: masks.length, frame: p.frame };
  }

  /** A find only previews: refining it never duplicates objects. */
  refinable(): boolean {
    return true;
  }

  conceptObjects(): number[] {
    const s = this.annotator.state;
    return [...this.tracks.values()].filter((id) => A.find(s, id));
  }

  canTrack(): boolean {
    return this.prompt !== null && this.session !== null && !this.host.jobRunning();
  }

  /** Detects and tracks the concept from its frame to the end. */
  async track(): Promise<void> {
    const p = this.prompt;
    const s = this.session;
    if (!p || !s || !this.memo) return;
    const req = { start_frame: p.frame };
    const send = (placement?: Placement) => this.api.conceptRun(s.session_id, placement ? { ...req, placement } : req);
    const acc = await withPlacement(send, choosePlacement);
    if (!acc) return;
    this.annotator.setPreview(null);
    this.follow(acc.job_id, -1);
  }

  /** Follows a concept run (started here, or found running on reopen). */
  follow(jobId: string, after: number): void {
    if (!this.memo) return;
    const what = this.prompt?.text || "exemplars";
    this.host.follow(this.memo, jobId, `Track “${what}”`, (frames, newStep) => this.apply(frames, newStep), after);
  }

  /** Frames of a run: tracks become objects (labelled with the concept
   * when the project has that label); the whole run is one undo step. */
  apply(frames: FrameResult[], newStep: boolean): void {
    const a = this.annotator;
    const label = labelNamed(this.labels(), this.prompt?.text ?? "") ?? "";
    const next = mergeTracks(a.state, frames, this.tracks, { label, color: (id) => a.colorFor(label, id) });
    this.memo?.saveTracks(this.tracks);
    a.apply(next, newStep);
  }
}
