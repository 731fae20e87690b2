// Browser end-to-end tests of the video view against a real engine on the
// demo video models: annotate frame 0, propagate, the mask follows the
// object to frame 100, cancel keeps the frames done; the concept "red"
// tracked through a video gives one object per red box with the same id on
// every frame, and a box entering later is a new object; reopening a video
// continues its sessions and the job that ran while it was closed; a
// polygon drawn on a frame is that frame's mask. Needs
// the video backend (engine/video, engine/jobs) and ffmpeg.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, outDir, screenshot, snapshot, startApp, stopApp, until } from "./harness.mjs";

let engine, chrome, page;
const video = path.join(outDir, "moving-box.mp4");
const conceptVideo = path.join(outDir, "red-boxes.mp4");
// A red 60×60 box moving right 20 px a second on grey, 25 fps, 160 frames.
const fps = 25;
const boxAt = (frame) => [40 + (20 * frame) / fps + 30, 90 + 30];
// red-boxes.mp4, 80 frames: red boxes A (top) and B (bottom) moving right,
// a blue box standing still, and red box C entering from the right at
// frame 30; all 50×50. Centres:
const red = {
  a: (f) => [20 + (20 * f) / fps + 25, 45],
  b: (f) => [20 + (20 * f) / fps + 25, 195],
  c: (f) => [330 - (60 * f) / fps + 25, 120],
};
const blue = [275, 45];

before(async () => {
  mkdirSync(outDir, { recursive: true });
  execFileSync("ffmpeg", [
    "-y", "-v", "error",
    "-f", "lavfi", "-i", `color=c=0x5a6478:s=320x240:r=${fps}:d=6.4`,
    "-f", "lavfi", "-i", `color=c=0xdc2828:s=60x60:r=${fps}:d=6.4`,
    "-filter_complex", "[0][1]overlay=x='40+t*20':y=90:shortest=1",
    "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p", video,
  ]);
  execFileSync("ffmpeg", [
    "-y", "-v", "error",
    "-f", "lavfi", "-i", `color=c=0x5a6478:s=320x240:r=${fps}:d=3.2`,
    "-f", "lavfi", "-i", `color=c=0xdc2828:s=50x50:r=${fps}:d=3.2`,
    "-f", "lavfi", "-i", `color=c=0x2846dc:s=50x50:r=${fps}:d=3.2`,
    "-filter_complex", "[0][1]overlay=x='20+t*20':y=20[a];[a][1]overlay=x='20+t*20':y=170[b];[b][2]overlay=x=250:y=20[c];[c][1]overlay=x='330-t*60':y=95:enable='gte(t,1.2)'",
    "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p", conceptVideo,
  ]);
  ({ engine, chrome, page } = await startApp());
});

after(() => stopApp({ engine, chrome }));

const seek = (n) => page.evaluate((n) => window.__samwise.app.view.showFrame(n), n);
/** The ids of the objects whose masks cover a point on a frame. */
const objectsAt = (frame, [x, y]) => page.evaluate(([f, x, y]) => window.__samwise.snapshot().objects.filter((o) => window.__samwise.maskAt(o.id, f, x, y)).map((o) => o.id), [frame, x, y]);
const jobText = () => page.locator(".video-bar .job-bar .job-text").textContent();

/** Opens the project's media item whose name starts with name. */
async function openMedia(name) {
  await page.click(`.media-item:has(.media-name:text-is("${name}"))`);
  await until(page, (n) => document.querySelector(".media-item.current .media-name")?.textContent === n && window.__samwise.snapshot().mediaId && document.querySelector(".video-view") && window.__samwise.snapshot().sessions, name, `${name} to open`, 30_000);
}

test("annotate frame 0, propagate forward, the mask is on frame 100", async () => {
  await page.setInputFiles(".media-panel input[type=file]", video);
  await until(page, () => document.querySelector(".video-view") && window.__samwise.snapshot().mediaId, null, "the video view", 60_000);
  await until(page, () => document.querySelector("canvas.picture")?.width > 0, null, "frame 0");
  await clickImage(page, ...boxAt(0));
  const first = await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0 && s.objects[0].area; }, null, "a mask on frame 0");
  assert.ok(first > 0.8 * 3600 && first < 1.2 * 3600, `frame 0 mask area ${first}, the box has 3600 pixels`);

  await page.click('button[title="Track forward from this frame"]');
  await until(page, () => /done/.test(document.querySelector(".video-bar .job-text")?.textContent ?? ""), null, "the propagation to finish", 120_000);
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
  await page.click(".video-bar .job-cancel");
  const text = await until(page, () => { const t = document.querySelector(".video-bar .job-text")?.textContent ?? ""; return /frames? kept|done:/.test(t) && t; }, null, "the job to end", 60_000);
  const after = await snapshot(page);
  assert.ok(after.objects[0].frames.length >= before, `frames with masks went from ${before} to ${after.objects[0].frames.length}`);
  assert.match(text, /cancelled \(\d+ frames? kept\)|done:/);
});

test("End track removes the object's masks from this frame on, one undo step", async () => {
  await seek(120);
  const before = (await snapshot(page)).objects[0].frames;
  assert.ok(before.some((f) => f >= 120) && before.some((f) => f < 120), "masks before and after frame 120");
  assert.equal(await page.locator(".timeline").getAttribute("data-object-frames"), String(before.length), "the timeline marks the object's frames");
  await page.click(".video-bar button:text-is('End track ▶')");
  const after = await until(page, (n) => { const f = window.__samwise.snapshot().objects[0].frames; return f.length < n && f; }, before.length, "the track ended");
  assert.deepEqual(after.sort((a, b) => a - b), before.filter((f) => f < 120).sort((a, b) => a - b), "only the frames before 120 keep their masks");
  // The timeline's strip of the current object's frames follows.
  await until(page, (n) => document.querySelector(".timeline").dataset.objectFrames === String(n), after.length, "the timeline's object strip");
  await until(page, () => [...document.querySelectorAll(".toast")].some((t) => /masks removed from \d+ frames, frame 120 on/.test(t.textContent)), null, "the note");
  await page.locator(".stage").focus();
  await page.keyboard.press("z");
  await until(page, (n) => window.__samwise.snapshot().objects[0].frames.length === n, before.length, "undo of the track's end");
});

test("propagating only the current object leaves the other objects' frames as they are", async () => {
  await seek(0);
  const first = (await snapshot(page)).objects[0];
  // A second object, prompted on frame 0 only: the background.
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await clickImage(page, 300, 220);
  const second = await until(page, (n) => { const s = window.__samwise.snapshot(); return !s.busy && s.objects.length === n + 1 && s.objects[n].area > 0 && s.objects[n]; }, 1, "a mask of the background");
  assert.deepEqual(second.frames, [0]);
  await page.keyboard.press("Tab"); // back to the first object
  await until(page, (id) => window.__samwise.snapshot().current === id, first.id, "the first object selected");
  await page.check(".only-current input");
  await page.click('button[title="Track forward from this frame"]');
  const text = await until(page, () => { const t = document.querySelector(".video-bar .job-text")?.textContent ?? ""; return /done/.test(t) && t; }, null, "the propagation to finish", 120_000);
  assert.match(await page.locator(".video-bar .job-bar").textContent(), new RegExp(`#${first.id} only`));
  const after = await snapshot(page);
  assert.deepEqual(after.objects.find((o) => o.id === second.id).frames, [0], `the other object kept its one frame (${text})`);
  assert.ok(after.objects.find((o) => o.id === first.id).frames.length >= 150, "the current object's frames were tracked");
  await page.uncheck(".only-current input");
  await page.locator(".stage").focus();
  await page.keyboard.press("Tab");
  await until(page, (id) => window.__samwise.snapshot().current === id, second.id, "the second object selected");
  await page.keyboard.press("Delete");
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, 1, "the second object deleted");
});

test("the concept “red” tracked through a video: one object per box, the same id on every frame", async () => {
  await page.setInputFiles(".media-panel input[type=file]", conceptVideo);
  await until(page, () => document.querySelector(".media-item.current .media-name")?.textContent === "red-boxes.mp4" && window.__samwise.snapshot().sessions, null, "the second video", 60_000);
  await until(page, () => document.querySelector("canvas.picture")?.width > 0, null, "frame 0");
  await page.fill(".concept-text", "red");
  await page.press(".concept-text", "Enter");
  await until(page, () => document.querySelector(".concept-found")?.dataset.found === "2", null, "the two red boxes on frame 0");
  assert.equal((await snapshot(page)).objects.length, 0, "detections on the frame are a preview, not objects yet");
  assert.match(await page.locator(".concept-found").textContent(), /found 2 on frame 0/);
  await screenshot(page, "12-video-concept-preview.png");

  await page.click(".concept-track");
  await until(page, () => /done/.test(document.querySelector(".video-bar .job-text")?.textContent ?? ""), null, "the concept run to finish", 120_000);
  assert.match(await jobText(), /done: 80 frames/);
  assert.match(await page.locator(".video-bar .job-place").textContent(), /local/);
  const s = await snapshot(page);
  assert.equal(s.objects.length, 3, "three red boxes, three objects");
  const [a] = await objectsAt(5, red.a(5));
  const [b] = await objectsAt(5, red.b(5));
  assert.ok(a && b && a !== b, `boxes A and B are two objects (${a}, ${b})`);
  // The same ids follow the same boxes to the end.
  assert.deepEqual(await objectsAt(75, red.a(75)), [a]);
  assert.deepEqual(await objectsAt(75, red.b(75)), [b]);
  // C entered at frame 30: a new object, absent before.
  const [c] = await objectsAt(75, red.c(75));
  assert.ok(c && c !== a && c !== b, `box C is a third object (${c})`);
  const cFrames = s.objects.find((o) => o.id === c).frames;
  assert.ok(Math.min(...cFrames) >= 28, `C has masks from frame ${Math.min(...cFrames)} on`);
  assert.deepEqual(await objectsAt(40, blue), [], "the blue box is no object");
  await seek(75);
  await screenshot(page, "13-video-concept-tracked.png");
  await until(page, () => window.__samwise.snapshot().save?.state === "saved", null, "autosave of the tracked concept", 30_000);
});

test("reopening a video continues its sessions and the job that ran while it was closed", async () => {
  await seek(0);
  const before = await snapshot(page);
  assert.ok(before.sessions.concept, "the video has a concept session");
  // Click the blue box (a new object in the points session) and propagate,
  // then leave the video at once.
  await clickImage(page, ...blue);
  const id = await until(page, () => { const s = window.__samwise.snapshot(); const o = s.objects.find((o) => o.frames.includes(0) && o.id > 3); return !s.busy && o?.area > 0 && o.id; }, null, "the blue box's mask");
  await page.click('button[title="Track forward from this frame"]');
  await until(page, () => document.querySelector(".video-bar .job-bar")?.dataset.jobId, null, "the propagation to start");
  await openMedia("moving-box.mp4");
  await openMedia("red-boxes.mp4");

  const after = await snapshot(page);
  assert.deepEqual(after.sessions, before.sessions, "the same sessions were continued");
  assert.equal(await page.inputValue(".concept-text"), "red", "the concept came back");
  await until(page, () => /done/.test(document.querySelector(".video-bar .job-text")?.textContent ?? ""), null, "the continued propagation", 120_000);
  assert.deepEqual(await objectsAt(70, blue), [id], "the blue box's mask reached frame 70");
  const s = await snapshot(page);
  assert.equal(s.objects.length, 4);
  assert.ok(s.objects.find((o) => o.id === id).frames.length >= 75, "every propagated frame was applied");
  await seek(70);
  await screenshot(page, "14-video-reopened.png");
});

test("a polygon drawn on a video frame is that frame's mask of a new object", async () => {
  await seek(40);
  const before = (await snapshot(page)).objects.length;
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await page.keyboard.press("p");
  for (const [x, y] of [[10, 200], [50, 200], [50, 230], [10, 230]]) {
    const c = await page.evaluate(([x, y]) => window.__samwise.toClient(x, y), [x, y]);
    await page.mouse.click(c[0], c[1]);
  }
  await page.keyboard.press("Enter");
  const o = await until(page, (n) => { const s = window.__samwise.snapshot(); return s.objects.length === n + 1 && s.objects[n].area > 0 && s.objects[n]; }, before, "the polygon's object");
  assert.deepEqual(o.frames, [40], "a mask on frame 40 only");
  assert.ok(Math.abs(o.area - 40 * 30) < 0.1 * 40 * 30, `a 40×30 polygon filled ${o.area} pixels`);
  assert.deepEqual(await objectsAt(40, [30, 215]), [o.id]);
  await page.keyboard.press("v");
});
