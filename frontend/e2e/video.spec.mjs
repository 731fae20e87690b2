// Browser end-to-end test of the video view against a real engine on the
// demo video model: annotate frame 0, propagate, the mask follows the
// object to frame 100, cancel keeps the frames done. Needs the video
// backend (engine/video, engine/jobs) and ffmpeg.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, openApp, outDir, screenshot, snapshot, startBrowser, startEngine, until } from "./harness.mjs";

let engine, chrome, page;
const video = path.join(outDir, "moving-box.mp4");
// A red 60×60 box moving right 20 px a second on grey, 25 fps, 160 frames.
const fps = 25;
const boxAt = (frame) => [40 + (20 * frame) / fps + 30, 90 + 30];

before(async () => {
  mkdirSync(outDir, { recursive: true });
  execFileSync("ffmpeg", [
    "-y", "-v", "error",
    "-f", "lavfi", "-i", `color=c=0x5a6478:s=320x240:r=${fps}:d=6.4`,
    "-f", "lavfi", "-i", `color=c=0xdc2828:s=60x60:r=${fps}:d=6.4`,
    "-filter_complex", "[0][1]overlay=x='40+t*20':y=90:shortest=1",
    "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p", video,
  ]);
  engine = await startEngine();
  chrome = await startBrowser();
  page = await openApp(chrome, engine.url);
});

after(async () => {
  await chrome?.stop();
  await engine?.stop();
});

const seek = (n) => page.evaluate((n) => window.__samwise.app.view.showFrame(n), n);

test("annotate frame 0, propagate forward, the mask is on frame 100", async () => {
  await page.setInputFiles(".media-panel input[type=file]", video);
  await until(page, () => document.querySelector(".video-view") && window.__samwise.snapshot().mediaId, null, "the video view", 60_000);
  await until(page, () => document.querySelector("canvas.picture")?.width > 0, null, "frame 0");
  await clickImage(page, ...boxAt(0));
  const first = await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0 && s.objects[0].area; }, null, "a mask on frame 0");
  assert.ok(first > 0.8 * 3600 && first < 1.2 * 3600, `frame 0 mask area ${first}, the box has 3600 pixels`);

  await page.click('button[title="Track forward from this frame"]');
  await until(page, () => /done/.test(document.querySelector(".propagation-text")?.textContent ?? ""), null, "the propagation to finish", 120_000);
  await screenshot(page, "10-video-propagated.png");
  await seek(100);
  const s = await snapshot(page);
  assert.equal(s.frame, 100);
  assert.ok(s.objects[0].area > 0.8 * 3600 && s.objects[0].area < 1.2 * 3600, `frame 100 mask area ${s.objects[0].area}`);
  assert.ok(s.objects[0].frames.length >= 150, `masks on ${s.objects[0].frames.length} frames`);
  await screenshot(page, "11-video-frame-100.png");
  // The masks are in the project's annotations (autosaved).
  await until(page, () => window.__samwise.snapshot().save?.state === "saved", null, "autosave of the propagated frames", 30_000);
});

test("correct a frame, re-propagate and cancel: frames done are kept", async () => {
  await seek(50);
  const before = (await snapshot(page)).objects[0].frames.length;
  await clickImage(page, ...boxAt(50));
  await until(page, () => !window.__samwise.snapshot().busy, null, "the correction");
  await page.click('button[title="Track forward from this frame"]');
  await page.click('button[title="Stop tracking (frames done are kept)"]');
  const text = await until(page, () => { const t = document.querySelector(".propagation-text")?.textContent ?? ""; return /frames kept|done:/.test(t) && t; }, null, "the job to end", 60_000);
  const after = await snapshot(page);
  assert.ok(after.objects[0].frames.length >= before, `frames with masks went from ${before} to ${after.objects[0].frames.length}`);
  assert.match(text, /cancelled \(\d+ frames kept\)|done:/);
});
