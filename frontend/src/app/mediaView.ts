// What the app shows for one media: an image view or a video view, both
// built on an Annotator.
import type { ApiError } from "../api/client";
import type { Engine } from "../api/engine";
import type { AnnotationDoc, Label, Media } from "../api/types.gen";
import type { SaveError, SaveStatus } from "../editor/autosave";
import { Journal } from "../editor/journal";
import type { Annotator } from "./annotator";
import type { ConceptTarget } from "./conceptPanel";
import type { Action } from "./shortcuts";

export interface MediaView {
  readonly media: Media;
  readonly annotator: Annotator;
  /** The element that fills the centre (stage, plus a timeline for video). */
  readonly root: HTMLElement;
  /** Text and exemplar prompts on this media. */
  readonly concepts: ConceptTarget;
  /** Called once the root is in the document (layout is known). */
  mounted(): void;
  /** The engine sessions a video view continues. */
  readonly sessions?: { points: string; concept: string | null };
  /** Handles view-specific keys (frames); false when not handled. */
  action(a: Action): boolean;
  /** Stops applying results from the engine (a job followed), so that the
   * last save before the view closes holds everything applied. */
  closing?(): void;
  destroy(): void;
}

/** What views need from the app. */
export interface ViewContext {
  engine: Engine;
  projectId: string;
  labels: () => Label[];
  onSaveStatus: (s: SaveStatus) => void;
  onError: (message: string) => void;
  onNote: (message: string) => void;
  /** Called after each AI answer (timings for the model badge). */
  onSegmented: (timing: { encode_ms: number; decode_ms: number; cached?: boolean } | null) => void;
}

export function saveError(e: unknown): SaveError {
  const err = e as ApiError;
  if (err.status === 409 && err.details) return { message: err.message, conflict: err.details as AnnotationDoc };
  return { message: err.message ?? String(e) };
}

/** The journal of one media, and the edits it kept from an earlier session
 * (null when none apply to the engine's current document). */
export function journalFor(ctx: ViewContext, mediaId: string, doc: AnnotationDoc): { journal: Journal; kept: AnnotationDoc | null } {
  const journal = new Journal(localStorage, Journal.key(ctx.projectId, mediaId));
  return { journal, kept: journal.recover(doc) };
}
