// Autosave: every edit schedules a save after a short quiet period; one save
// is in flight at a time; edits made meanwhile are saved right after. A save
// carries the version it edits, so a concurrent edit elsewhere is reported
// as a conflict instead of being overwritten.
import type { AnnotationDoc } from "../api/types.gen";

export type SaveState = "saved" | "pending" | "saving" | "error" | "conflict";

export interface SaveStatus {
  state: SaveState;
  version: number;
  message?: string;
  /** The engine's document when state is "conflict". */
  theirs?: AnnotationDoc;
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A rejected save; conflict carries the current document (HTTP 409). */
export interface SaveError {
  message: string;
  conflict?: AnnotationDoc;
}

export class Autosaver {
  private timer: unknown = null;
  private dirty = false;
  private inFlight: Promise<void> | null = null;
  private status: SaveStatus;

  constructor(
    private readonly opts: {
      version: number;
      delayMs: number;
      /** The document to save (called when the save starts). */
      snapshot: (version: number) => AnnotationDoc;
      save: (doc: AnnotationDoc) => Promise<AnnotationDoc>;
      onStatus: (s: SaveStatus) => void;
      toError: (e: unknown) => SaveError;
      timers?: Timers;
    },
  ) {
    this.status = { state: "saved", version: opts.version };
  }

  get version(): number {
    return this.status.version;
  }

  get state(): SaveStatus {
    return this.status;
  }

  /** Call after every edit. */
  changed(): void {
    this.dirty = true;
    if (this.status.state === "conflict") return; // wait for the user's choice
    this.set({ state: this.inFlight ? "saving" : "pending", version: this.status.version });
    const t = this.opts.timers ?? realTimers;
    if (this.timer !== null) t.clear(this.timer);
    this.timer = t.set(() => {
      this.timer = null;
      void this.run();
    }, this.opts.delayMs);
  }

  /** Saves now if anything is unsaved; resolves when all is saved. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      (this.opts.timers ?? realTimers).clear(this.timer);
      this.timer = null;
    }
    while (this.inFlight) await this.inFlight;
    if (this.dirty && this.status.state !== "conflict") await this.run();
  }

  /** After a conflict: save this editor's document over the current one. */
  keepMine(): Promise<void> {
    const theirs = this.status.theirs;
    if (!theirs) return Promise.resolve();
    this.dirty = true;
    this.set({ state: "pending", version: theirs.version });
    return this.run();
  }

  /** After a conflict: the caller loaded theirs; continue from it. */
  acceptTheirs(doc: AnnotationDoc): void {
    this.dirty = false;
    this.set({ state: "saved", version: doc.version });
  }

  private run(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (!this.dirty) return Promise.resolve();
    this.dirty = false;
    const doc = this.opts.snapshot(this.status.version);
    this.set({ state: "saving", version: this.status.version });
    this.inFlight = this.opts
      .save(doc)
      .then(
        (saved) => this.set({ state: this.dirty ? "pending" : "saved", version: saved.version }),
        (e) => {
          const err = this.opts.toError(e);
          this.dirty = true;
          if (err.conflict) this.set({ state: "conflict", version: this.status.version, message: err.message, theirs: err.conflict });
          else this.set({ state: "error", version: this.status.version, message: err.message });
        },
      )
      .finally(() => {
        this.inFlight = null;
        if (this.dirty && this.status.state === "pending") this.changed();
      });
    return this.inFlight;
  }

  /** Retries after an error. */
  retry(): Promise<void> {
    this.dirty = true;
    return this.run();
  }

  private set(s: SaveStatus): void {
    this.status = s;
    this.opts.onStatus(s);
  }
}
