// The local journal: when a save cannot reach the engine (or the page is
// closing with unsaved edits), the document is kept in localStorage, and
// offered back the next time the media opens, so a crash or an engine that
// is down loses nothing.
import type { AnnotationDoc } from "../api/types.gen";

export interface Store {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}

export class Journal {
  constructor(
    private readonly store: Store,
    private readonly key: string,
  ) {}

  static key(projectId: string, mediaId: string): string {
    return `samwise.unsaved.${projectId}.${mediaId}`;
  }

  /** Keeps doc (its version is the engine version it was edited from).
   * False when it does not fit. */
  write(doc: AnnotationDoc): boolean {
    try {
      this.store.setItem(this.key, JSON.stringify(doc));
      return true;
    } catch {
      return false;
    }
  }

  clear(): void {
    this.store.removeItem(this.key);
  }

  /** The kept document if it was edited from the engine's current version
   * (else it is stale and dropped). */
  recover(current: AnnotationDoc): AnnotationDoc | null {
    const raw = this.store.getItem(this.key);
    if (!raw) return null;
    try {
      const doc = JSON.parse(raw) as AnnotationDoc;
      if (doc.version === current.version && Array.isArray(doc.objects)) return doc;
    } catch {
      // unreadable: drop it
    }
    this.clear();
    return null;
  }
}
