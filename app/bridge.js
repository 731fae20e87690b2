// window.samwise: the desktop app's API for the frontend. The desktop app
// (app/middleware.go) injects this script into index.html; in a plain
// browser (engine serve --ui) it is absent, so the frontend tests
// `window.samwise?.…`. Calls return Promises; docs/desktop.md has the shapes.
(() => {
  "use strict";
  const bound = () => window.go && window.go.app && window.go.app.Desktop;
  const call = (name, ...args) => {
    const d = bound();
    if (!d || typeof d[name] !== "function") {
      return Promise.reject(new Error(`samwise desktop: ${name} is not available (the Wails bindings did not load)`));
    }
    return d[name](...args);
  };
  const runtime = () => (window.runtime && typeof window.runtime.EventsOn === "function" ? window.runtime : null);
  // on subscribes to an app event and returns the unsubscribe function.
  const on = (event, cb) => {
    const rt = runtime();
    return rt ? rt.EventsOn(event, cb) : () => {};
  };

  // The Edit menu's Ctrl+Z / Ctrl+Shift+Z are menu accelerators: the page
  // never sees those key presses. Until the page subscribes with
  // onUndo/onRedo, each event is replayed as a keydown on the focused
  // element, so the page's own shortcut handler still runs.
  const takers = { undo: 0, redo: 0 };
  const take = (kind, cb) => {
    takers[kind]++;
    const off = on(`samwise:${kind}`, () => cb());
    return () => {
      takers[kind]--;
      off();
    };
  };
  const replay = (kind) => {
    if (takers[kind] > 0) return;
    const redo = kind === "redo";
    const target = document.activeElement || document.body || document;
    target.dispatchEvent(new KeyboardEvent("keydown", { key: redo ? "Z" : "z", code: "KeyZ", ctrlKey: true, shiftKey: redo, bubbles: true, cancelable: true }));
  };
  const replayShortcuts = () => {
    on("samwise:undo", () => replay("undo"));
    on("samwise:redo", () => replay("redo"));
  };
  if (runtime()) replayShortcuts();
  else document.addEventListener("DOMContentLoaded", replayShortcuts, { once: true });

  window.samwise = Object.freeze({
    desktop: true,
    openDialog: (opts) => call("OpenDialog", opts || {}),
    openImages: () => call("OpenImages"),
    openFolder: () => call("OpenFolder"),
    chooseFolder: (title) => call("ChooseFolder", title || ""),
    openVideo: () => call("OpenVideo"),
    registerPaths: (paths) => call("RegisterPaths", paths),
    saveExport: (format, projectId, opts) => call("SaveExport", format, projectId, { done_only: !!(opts && opts.done_only), pictures: !!(opts && opts.pictures), val: Number((opts && opts.val) || 0), tolerance: opts && typeof opts.tolerance === "number" ? opts.tolerance : undefined }),
    engineStatus: () => call("EngineStatus"),
    restartEngine: () => call("RestartEngine"),
    setTitle: (title) => call("SetTitle", title),
    onOpenPaths: (cb) => on("samwise:open-paths", (e) => cb(e.paths, e.source)),
    onEngine: (cb) => on("samwise:engine", (st) => cb(st)),
    onUndo: (cb) => take("undo", cb),
    onRedo: (cb) => take("redo", cb),
    onExport: (cb) => on("samwise:export", () => cb()),
    onImport: (cb) => on("samwise:import", () => cb()),
  });
})();
