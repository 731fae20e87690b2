// Browser end-to-end test of the page inside the desktop app, with a
// stand-in for app/bridge.js (window.samwise) against a real engine that
// accepts local paths as the desktop's does: paths from the File menu or a
// drop are registered and added, the page's own drop uploads nothing, the
// Edit menu's undo/redo reach the editor (and the bridge's key replay is
// off), exports go through saveExport, the engine's state shows in the
// badge, a model folder chosen in the model panel is installed, and a page
// that loaded before the engine was ready loads the project once it is.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, openApp, outDir, repoDir, screenshot, snapshot, startBrowser, startEngine, until } from "./harness.mjs";
import { standardScene } from "./scene.mjs";

let engine, chrome, page;
const scene = standardScene(640, 480, 5);
const picture = path.join(outDir, "desktop-scene.png");
const notes = path.join(outDir, "desktop-notes.txt");
const conceptExport = path.join(outDir, "SAM3-Concept");
const uploads = [];
const downloads = [];

/** Runs in the page before its scripts, like the desktop's bridge.js. */
function fakeBridge() {
  const listeners = {};
  const takers = { undo: 0, redo: 0 };
  const log = (window.__bridgeLog = { registered: [], exported: [], replayed: [], chose: [] });
  const on = (event, cb) => {
    (listeners[event] ??= new Set()).add(cb);
    return () => listeners[event].delete(cb);
  };
  const take = (kind, cb) => {
    takers[kind]++;
    const off = on(kind, cb);
    return () => (takers[kind]--, off());
  };
  window.__emit = (event, payload) => {
    if ((event === "undo" || event === "redo") && !takers[event]) {
      // What bridge.js does until the page subscribes: a key press.
      log.replayed.push(event);
      const redo = event === "redo";
      (document.activeElement || document.body).dispatchEvent(new KeyboardEvent("keydown", { key: redo ? "Z" : "z", code: "KeyZ", ctrlKey: true, shiftKey: redo, bubbles: true, cancelable: true }));
      return;
    }
    for (const cb of listeners[event] ?? []) cb(payload);
  };
  window.samwise = Object.freeze({
    desktop: true,
    openDialog: async () => [],
    chooseFolder: async (title) => (log.chose.push(title), window.__folder ?? ""),
    registerPaths: async (paths) => {
      log.registered.push(paths);
      const out = { media: [], failed: [] };
      for (const p of paths) {
        const r = await fetch("/v1/media", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ path: p }) });
        const body = await r.json();
        if (r.ok) out.media.push(body);
        else out.failed.push({ path: p, error: body.error.message });
      }
      return out;
    },
    saveExport: async (format, projectId, opts) => (log.exported.push([format, projectId, opts]), "/home/someone/annotations.json"),
    engineStatus: async () => ({ state: "ready", restarts: 0, log_file: "/tmp/engine.log" }),
    setTitle: async () => {},
    onOpenPaths: (cb) => on("open-paths", (e) => cb(e.paths, e.source)),
    onEngine: (cb) => on("engine", cb),
    onUndo: (cb) => take("undo", cb),
    onRedo: (cb) => take("redo", cb),
    onExport: (cb) => on("export", cb),
    onImport: (cb) => on("import", cb),
  });
}

before(async () => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(picture, scene.png);
  writeFileSync(notes, "not a picture\n");
  // The demo concept graphs laid out as an unpacked SAM 3 concept export.
  const demo = path.join(repoDir, "assets", "models", "demo-concept");
  for (const f of ["onnx/vision-encoder.onnx", "onnx/text-encoder.onnx", "onnx/decoder.onnx", "tokenizer.json"]) {
    mkdirSync(path.dirname(path.join(conceptExport, f)), { recursive: true });
    copyFileSync(path.join(demo, f), path.join(conceptExport, f));
  }
  engine = await startEngine(["--allow-local-paths"]);
  chrome = await startBrowser();
  await chrome.context.addInitScript(fakeBridge);
  chrome.context.on("request", (r) => r.method() === "POST" && /\/v1\/media$/.test(r.url()) && /multipart/.test(r.headers()["content-type"] ?? "") && uploads.push(r.url()));
  page = await openApp(chrome, engine.url);
  page.on("download", (d) => downloads.push(d.suggestedFilename()));
});

after(async () => {
  await chrome?.stop();
  await engine?.stop();
});

const bridgeLog = () => page.evaluate(() => window.__bridgeLog);
const errors = () => page.evaluate(() => [...document.querySelectorAll(".toast.error")].map((t) => t.textContent));

test("paths dropped on the window are registered and added; the page's own drop uploads nothing", async () => {
  await page.evaluate((paths) => window.__emit("open-paths", { paths, source: "drop" }), [picture, notes]);
  await until(page, () => window.__samwise.snapshot().mediaId && document.querySelector("canvas.picture")?.width > 0, null, "the dropped picture to open");
  assert.deepEqual((await bridgeLog()).registered, [[picture, notes]]);
  assert.equal(await page.locator(".media-item").count(), 1);
  assert.match(await page.locator(".media-item .media-name").textContent(), /desktop-scene/);
  const msg = await until(page, () => [...document.querySelectorAll(".toast.error")].map((t) => t.textContent).find((t) => t.includes("desktop-notes.txt")), null, "the refused text file's message");
  assert.match(msg, /desktop-notes\.txt: /);

  // The webview's HTML drop fires as well in the app: it must not upload.
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(["x"], "second.png", { type: "image/png" }));
    return d;
  });
  await page.dispatchEvent("body", "drop", { dataTransfer: dt });
  await page.waitForTimeout(300);
  assert.deepEqual(uploads, [], "no upload from the page's drop");
  assert.ok(!(await errors()).some((t) => t.includes("second.png")));
  assert.equal(await page.locator(".media-item").count(), 1);
});

test("the Edit menu's undo and redo reach the editor, once", async () => {
  await clickImage(page, ...scene.points.red);
  const area = await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0 && s.objects[0].area; }, null, "a mask after the click");
  await page.locator(".stage").focus();
  // In the app the menu takes Ctrl+Z: a key press the page sees anyway is not a second undo.
  await page.keyboard.press("Control+z");
  await page.waitForTimeout(200);
  assert.equal((await snapshot(page)).objects[0]?.area, area);
  await page.evaluate(() => window.__emit("undo"));
  await until(page, () => !window.__samwise.snapshot().objects.some((o) => o.area > 0), null, "the menu's undo");
  await page.evaluate(() => window.__emit("redo"));
  await until(page, (a) => window.__samwise.snapshot().objects[0]?.area === a, area, "the menu's redo");
  assert.deepEqual((await bridgeLog()).replayed, [], "the bridge replayed no key press");
});

test("exports are saved through the desktop's save dialog, not downloaded", async () => {
  await page.evaluate(() => window.__emit("export"));
  await page.waitForSelector("details.export-menu[open]");
  await page.click('.export-menu button[data-format="coco"]');
  await until(page, () => [...document.querySelectorAll(".toast")].some((t) => t.textContent.includes("Exported to /home/someone/annotations.json")), null, "the export note");
  const project = await page.evaluate(() => window.__samwise.app.project.project_id);
  assert.deepEqual((await bridgeLog()).exported, [["coco", project, { done_only: false, pictures: false, val: 0, tolerance: undefined }]]);
  assert.deepEqual(downloads, []);
});

test("File > Import Annotations… opens the file picker and the import's summary", async () => {
  const [chooser] = await Promise.all([page.waitForEvent("filechooser"), page.evaluate(() => window.__emit("import"))]);
  await chooser.setFiles({ name: "other.json", mimeType: "application/json", buffer: Buffer.from('{"images": [{"id": 1, "file_name": "nowhere.jpg", "width": 4, "height": 4}]}') });
  await page.waitForSelector(".dialog");
  const text = await page.locator(".dialog").textContent();
  assert.match(text, /Import other\.json/);
  assert.match(text, /Nothing to add/);
  assert.match(text, /1 picture not in this project.*nowhere\.jpg/);
  await page.click(".dialog button.primary");
});

test("a model folder chosen in the model panel is installed and waits for a restart", async () => {
  await page.click(".demo-banner .get-sam3");
  await page.waitForSelector(".dialog .import-model");
  await page.click(".dialog .import-model"); // cancelled: nothing happens
  await until(page, () => window.__bridgeLog.chose.length === 1, null, "the folder dialog");
  assert.equal(await page.locator(".dialog .job-bar[data-state]").count(), 0, "no job for a cancelled dialog");
  await page.evaluate((dir) => (window.__folder = dir), conceptExport);
  await page.click(".dialog .import-model");
  const text = await until(page, () => { const b = document.querySelector(".dialog .job-bar"); return b?.dataset.state === "succeeded" && b.textContent; }, null, "the folder's import", 30_000);
  assert.match(text, /Add SAM3-Concept.*done/);
  await page.waitForSelector(".dialog .installed-model[data-model='sam3-concept']");
  assert.match(await page.locator(".dialog .restart-note").textContent(), /Installed\. Quit and reopen Samwise/);
  assert.match((await bridgeLog()).chose[0], /folder of a SAM 3 model/);
  await screenshot(page, "21-desktop-model-folder.png");
  await page.click(".dialog-buttons button");
});

test("the engine's restarts show in the badge", async () => {
  const badge = page.locator(".model-badge");
  await page.evaluate(() => window.__emit("engine", { state: "restarting", restarts: 1, last_error: "the engine exited: signal: killed", log_file: "/tmp/engine.log" }));
  await until(page, () => document.querySelector(".model-badge").textContent === "engine restarting…", null, "the restarting badge");
  assert.match(await badge.getAttribute("title"), /signal: killed/);
  await screenshot(page, "20-desktop-restarting.png");
  await page.evaluate(() => window.__emit("engine", { state: "ready", restarts: 1 }));
  await until(page, () => /demo/.test(document.querySelector(".model-badge").textContent), null, "the model back in the badge");
});

test("a page that loaded before the engine was ready loads the project once it is", async () => {
  const p2 = await chrome.context.newPage();
  const starting = (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "unavailable", message: "the engine is starting; try again in 3s" } }) });
  try {
    await p2.route("**/v1/projects", starting);
    await p2.goto(engine.url);
    await until(p2, () => [...document.querySelectorAll(".toast.error")].some((t) => t.textContent.includes("the engine is starting")), null, "the 503's message");
    assert.equal(await p2.locator(".project-select option").count(), 0);
    await p2.unroute("**/v1/projects", starting);
    await p2.evaluate(() => window.__emit("engine", { state: "starting", restarts: 0 }));
    await p2.evaluate(() => window.__emit("engine", { state: "ready", restarts: 0 }));
    await until(p2, () => document.querySelector(".media-item .media-name")?.textContent.includes("desktop-scene"), null, "the project's media");
    const { projects } = await p2.evaluate(async () => (await fetch("/v1/projects")).json());
    assert.equal(projects.length, 1, "no second project was made");
  } finally {
    await p2.close();
  }
});
