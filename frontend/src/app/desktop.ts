// What the desktop shell (app/bridge.js, docs/desktop.md) offers the page
// as window.samwise, and how the page answers it: paths from the File menu
// and from files dropped on the window are registered and added to the
// project, the Edit menu's undo/redo and File > Export reach the editor,
// and the supervised engine's state reaches the status badge. In a plain
// browser (`engine serve --ui`) window.samwise is absent and none of this
// runs; every method is optional so an older or newer shell still works.
import type { Media } from "../api/types.gen";

export interface OpenResult {
  media: Media[];
  failed: { path: string; error: string }[] | null;
}

/** The supervised engine (the shell's supervisor.Status). */
export interface EngineStatus {
  state: "starting" | "ready" | "restarting" | "stopping" | "stopped";
  pid?: number;
  restarts: number;
  last_error?: string;
  next_start?: string;
  log_file?: string;
}

type Unsubscribe = () => void;

export interface DesktopBridge {
  desktop?: boolean;
  openDialog?: (opts: { multiple?: boolean; kinds?: string[]; folder?: boolean; title?: string }) => Promise<string[]>;
  /** A native folder dialog: the folder's absolute path, "" when cancelled. */
  chooseFolder?: (title: string) => Promise<string>;
  registerPaths?: (paths: string[]) => Promise<OpenResult>;
  /** Export → native save dialog → file; the saved path, "" when cancelled. */
  saveExport?: (format: string, projectId: string, opts?: { done_only?: boolean; pictures?: boolean; val?: number; tolerance?: number }) => Promise<string>;
  engineStatus?: () => Promise<EngineStatus>;
  onOpenPaths?: (cb: (paths: string[], source: "menu" | "drop") => void) => Unsubscribe;
  onEngine?: (cb: (status: EngineStatus) => void) => Unsubscribe;
  /** Subscribing turns off the bridge's replay of Ctrl+Z as a keydown. */
  onUndo?: (cb: () => void) => Unsubscribe;
  onRedo?: (cb: () => void) => Unsubscribe;
  onExport?: (cb: () => void) => Unsubscribe;
  /** File > Import Annotations…. */
  onImport?: (cb: () => void) => Unsubscribe;
  /** Restarts the engine the app supervises (e.g. to load a new model). */
  restartEngine?: () => Promise<unknown>;
}

declare global {
  interface Window {
    samwise?: DesktopBridge;
  }
}

export function desktop(): DesktopBridge | null {
  return (typeof window !== "undefined" && window.samwise) || null;
}

/** What the page does for the shell's menu, drops and engine events. */
export interface DesktopHost {
  /** Adds paths to the project like uploads (see registerPaths). */
  openPaths(paths: string[]): void;
  undo(): void;
  redo(): void;
  /** File > Export…: let the user pick a format. */
  chooseExport(): void;
  /** File > Import Annotations…: let the user pick a file. */
  chooseImport(): void;
  engine(status: EngineStatus): void;
}

/** Subscribes the page to the shell's events; returns the unsubscribe. */
export function connectDesktop(bridge: DesktopBridge, host: DesktopHost): Unsubscribe {
  const offs: Unsubscribe[] = [];
  if (bridge.onOpenPaths) offs.push(bridge.onOpenPaths((paths) => paths?.length && host.openPaths(paths)));
  if (bridge.onUndo) offs.push(bridge.onUndo(() => host.undo()));
  if (bridge.onRedo) offs.push(bridge.onRedo(() => host.redo()));
  if (bridge.onExport) offs.push(bridge.onExport(() => host.chooseExport()));
  if (bridge.onImport) offs.push(bridge.onImport(() => host.chooseImport()));
  if (bridge.onEngine) offs.push(bridge.onEngine((st) => host.engine(st)));
  // The shell sends the engine's state when the page is ready, possibly
  // before this subscription: ask once too.
  bridge.engineStatus?.().then(
    (st) => host.engine(st),
    () => {},
  );
  return () => offs.splice(0).forEach((off) => off());
}

/** Registers local paths with the engine and adds the media to the
 * project: through the shell when it can (folders then give the media
 * inside them), else POST /v1/media {"path"} each. Refused paths are
 * reported with the engine's reason; the rest are added. */
export async function openPaths(
  bridge: DesktopBridge | null,
  paths: string[],
  to: { register: (path: string) => Promise<Media>; add: (mediaIds: string[]) => Promise<void>; error: (message: string) => void },
): Promise<void> {
  const ids: string[] = [];
  if (bridge?.registerPaths) {
    try {
      const r = await bridge.registerPaths(paths);
      ids.push(...(r.media ?? []).map((m) => m.media_id));
      for (const f of r.failed ?? []) to.error(`${f.path}: ${f.error}`);
    } catch (e) {
      to.error((e as Error).message);
    }
  } else {
    for (const p of paths) {
      try {
        ids.push((await to.register(p)).media_id);
      } catch (e) {
        to.error(`${p}: ${(e as Error).message}`);
      }
    }
  }
  if (ids.length) await to.add(ids);
}

/** Whether the desktop menu delivers this key press (its accelerators
 * Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z come as onUndo/onRedo), so the page's own
 * key handler must not act on it as well. */
export function menuTakes(bridge: DesktopBridge | null, e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): boolean {
  return !!bridge?.onUndo && (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "z";
}

/** The badge's words for the engine's state; null when it is ready. */
export function engineNote(st: EngineStatus): string | null {
  if (st.state === "ready") return null;
  const words: Record<EngineStatus["state"], string> = {
    starting: "engine starting…",
    ready: "",
    restarting: "engine restarting…",
    stopping: "engine stopping…",
    stopped: "engine stopped",
  };
  return words[st.state] ?? `engine ${st.state}`;
}
