import { describe, expect, it, vi } from "vitest";
import type { Media } from "../api/types.gen";
import { connectDesktop, engineNote, menuTakes, openPaths, type DesktopBridge, type DesktopHost, type EngineStatus, type OpenResult } from "./desktop";
import { exportProject } from "./exportMenu";

const media = (id: string): Media => ({ media_id: id, kind: "image", format: "png", width: 4, height: 4, frames: 1, fps: 0, size: 1, sha256: id, created_at: "" });

/** A stand-in for app/bridge.js: events are emitted by hand, and like the
 * real bridge, undo/redo are replayed as key presses while nobody
 * subscribed to them. */
class FakeBridge implements DesktopBridge {
  readonly desktop = true;
  readonly listeners = new Map<string, Set<(...a: unknown[]) => void>>();
  readonly registered: string[][] = [];
  readonly exported: [string, string, { done_only?: boolean; pictures?: boolean; val?: number; tolerance?: number } | undefined][] = [];
  readonly replayed: string[] = [];
  savePath = "/home/u/project.json";
  status: EngineStatus = { state: "ready", restarts: 0 };

  private on(event: string, cb: (...a: unknown[]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(cb);
    return () => set.delete(cb);
  }

  emit(event: string, ...args: unknown[]): void {
    const set = this.listeners.get(event);
    if (!set?.size && (event === "undo" || event === "redo")) this.replayed.push(event);
    set?.forEach((cb) => cb(...args));
  }

  registerPaths = async (paths: string[]): Promise<OpenResult> => {
    this.registered.push(paths);
    const ok = paths.filter((p) => !p.endsWith(".txt"));
    return { media: ok.map((p) => media(`m-${p.split("/").pop()}`)), failed: paths.filter((p) => p.endsWith(".txt")).map((path) => ({ path, error: "not an image or video" })) };
  };
  saveExport = async (format: string, projectId: string, opts?: { done_only?: boolean; pictures?: boolean; val?: number; tolerance?: number }) => {
    this.exported.push([format, projectId, opts]);
    return this.savePath;
  };
  engineStatus = async () => this.status;
  onOpenPaths = (cb: (paths: string[], source: "menu" | "drop") => void) => this.on("open-paths", cb as (...a: unknown[]) => void);
  onEngine = (cb: (st: EngineStatus) => void) => this.on("engine", cb as (...a: unknown[]) => void);
  onUndo = (cb: () => void) => this.on("undo", cb);
  onRedo = (cb: () => void) => this.on("redo", cb);
  onExport = (cb: () => void) => this.on("export", cb);
  onImport = (cb: () => void) => this.on("import", cb);
}

/** A page that opens paths like App.addPaths and records the rest. */
function page(bridge: FakeBridge) {
  const seen = { added: [] as string[][], errors: [] as string[], posted: [] as string[], undo: 0, redo: 0, exports: 0, imports: 0, engine: [] as string[] };
  let opening = Promise.resolve();
  const host: DesktopHost = {
    openPaths: (paths) =>
      (opening = openPaths(bridge, paths, {
        register: async (p) => (seen.posted.push(p), media(p)),
        add: async (ids) => void seen.added.push(ids),
        error: (m) => seen.errors.push(m),
      })),
    undo: () => seen.undo++,
    redo: () => seen.redo++,
    chooseExport: () => seen.exports++,
    chooseImport: () => seen.imports++,
    engine: (st) => seen.engine.push(st.state),
  };
  const off = connectDesktop(bridge, host);
  return { seen, off, opened: () => opening };
}

describe("the desktop bridge", () => {
  it("registers paths from the menu or a drop through the shell and adds the media", async () => {
    const b = new FakeBridge();
    const { seen, opened } = page(b);
    b.emit("open-paths", ["/data/a.png", "/data/notes.txt", "/data/clip.mp4"], "drop");
    await opened();
    expect(b.registered).toEqual([["/data/a.png", "/data/notes.txt", "/data/clip.mp4"]]);
    expect(seen.added).toEqual([["m-a.png", "m-clip.mp4"]]);
    expect(seen.errors).toEqual(["/data/notes.txt: not an image or video"]);
    expect(seen.posted).toEqual([]);
  });

  it("posts each path when the shell cannot register, and adds nothing when all are refused", async () => {
    const errors: string[] = [];
    const added: string[][] = [];
    const register = vi.fn(async (p: string) => {
      if (p.endsWith(".txt")) throw new Error("not an image or video");
      return media(p);
    });
    await openPaths({ desktop: true }, ["/x/1.png", "/x/2.txt"], { register, add: async (ids) => void added.push(ids), error: (m) => errors.push(m) });
    expect(register.mock.calls.map((c) => c[0])).toEqual(["/x/1.png", "/x/2.txt"]);
    expect(added).toEqual([["/x/1.png"]]);
    expect(errors).toEqual(["/x/2.txt: not an image or video"]);
    await openPaths(null, ["/x/3.txt"], { register, add: async (ids) => void added.push(ids), error: (m) => errors.push(m) });
    expect(added).toHaveLength(1);
  });

  it("takes undo and redo from the menu, which stops the key replay; unsubscribing gives it back", () => {
    const b = new FakeBridge();
    const { seen, off } = page(b);
    b.emit("undo");
    b.emit("undo");
    b.emit("redo");
    expect([seen.undo, seen.redo, b.replayed.length]).toEqual([2, 1, 0]);
    off();
    b.emit("undo");
    expect(seen.undo).toBe(2);
    expect(b.replayed).toEqual(["undo"]);
  });

  it("lets the page's key handler skip the keys the menu delivers", () => {
    const k = (key: string, m: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }>) => ({ key, ctrlKey: false, metaKey: false, altKey: false, ...m });
    const b = new FakeBridge();
    expect(menuTakes(b, k("z", { ctrlKey: true }))).toBe(true);
    expect(menuTakes(b, k("Z", { ctrlKey: true }))).toBe(true);
    expect(menuTakes(b, k("z", { metaKey: true }))).toBe(true);
    expect(menuTakes(b, k("z", {}))).toBe(false);
    expect(menuTakes(b, k("y", { ctrlKey: true }))).toBe(false);
    expect(menuTakes(null, k("z", { ctrlKey: true }))).toBe(false);
  });

  it("passes File > Export, File > Import and the engine's state on, asking the state once at start", async () => {
    const b = new FakeBridge();
    b.status = { state: "starting", restarts: 0 };
    const { seen } = page(b);
    await Promise.resolve();
    b.emit("engine", { state: "restarting", restarts: 1, last_error: "signal: killed" });
    b.emit("engine", { state: "ready", restarts: 1 });
    b.emit("export");
    b.emit("import");
    expect(seen.engine).toEqual(["starting", "restarting", "ready"]);
    expect(seen.exports).toBe(1);
    expect(seen.imports).toBe(1);
  });

  it("words the engine's state for the badge", () => {
    expect(engineNote({ state: "ready", restarts: 0 })).toBeNull();
    expect(engineNote({ state: "restarting", restarts: 2 })).toBe("engine restarting…");
    expect(engineNote({ state: "stopped", restarts: 0 })).toBe("engine stopped");
  });
});

describe("exports", () => {
  const blob = new Blob(["{}"]);

  it("go through the shell's save dialog in the desktop app, never a download", async () => {
    const b = new FakeBridge();
    const download = vi.fn(async () => ({ blob, filename: "p.json" }));
    const save = vi.fn();
    expect(await exportProject("coco", "p1", { doneOnly: false, pictures: false, val: 0, tolerance: 2 }, { bridge: b, download, save })).toBe("Exported to /home/u/project.json");
    expect(await exportProject("yolo", "p1", { doneOnly: true, pictures: true, val: 0.2, tolerance: 0 }, { bridge: b, download, save })).toBe("Exported to /home/u/project.json");
    // The polygon detail goes with the polygon formats only.
    expect(b.exported).toEqual([
      ["coco", "p1", { done_only: false, pictures: false, val: 0, tolerance: undefined }],
      ["yolo", "p1", { done_only: true, pictures: true, val: 0.2, tolerance: 0 }],
    ]);
    expect(download).not.toHaveBeenCalled();
    expect(save).not.toHaveBeenCalled();
    b.savePath = "";
    expect(await exportProject("yolo", "p1", { doneOnly: false, pictures: false, val: 0 }, { bridge: b, download, save })).toBeNull(); // cancelled
  });

  it("download the engine's file in a browser", async () => {
    const download = vi.fn(async () => ({ blob, filename: "p-coco.json" }));
    const save = vi.fn();
    const opts = { doneOnly: true, pictures: true, val: 0.1, tolerance: 4 };
    expect(await exportProject("coco", "p1", opts, { bridge: null, download, save })).toBe("Exported p-coco.json");
    expect(download).toHaveBeenCalledWith("p1", "coco", { ...opts, tolerance: undefined });
    await exportProject("labelme", "p1", opts, { bridge: null, download, save });
    expect(download).toHaveBeenLastCalledWith("p1", "labelme", { ...opts, val: 0 });
    expect(save).toHaveBeenCalledWith(blob, "p-coco.json");
  });
});
