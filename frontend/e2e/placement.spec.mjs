// Browser end-to-end test of the `burst: ask` question (docs/remote.md):
// an engine with a tiny threshold and a GPU worker configured (its Vast
// address is a closed port: nothing is rented, the question needs no
// worker) answers a propagation 409 placement_required; the page shows the
// estimate, Cancel starts nothing, and "Run here" repeats the request with
// "placement": "local". Needs the video backend and ffmpeg.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, outDir, screenshot, startApp, stopApp, until } from "./harness.mjs";

let engine, chrome, page;
const video = path.join(outDir, "ask-box.mp4");
const fps = 25;
const frames = 40;
// A red 60×60 box moving right 20 px a second on grey.
const boxAt = (frame) => [40 + (20 * frame) / fps + 30, 90 + 30];

const askArgs = [
  "--burst", "ask", "--burst-threshold", "1ms", "--secrets", "file",
  "--worker-url", "https://gpu.example.com", "--worker-image", "samwise-worker:test", "--vast-url", "http://127.0.0.1:9",
  "--r2-endpoint", "https://0123.r2.cloudflarestorage.com", "--r2-bucket", "samwise",
];
const askSecrets = {
  SAMWISE_VAST_API_KEY: "vk-test",
  SAMWISE_WORKER_TUNNEL_TOKEN: "tunnel-token",
  SAMWISE_R2_ACCESS_KEY_ID: "AKID",
  SAMWISE_R2_SECRET_ACCESS_KEY: "r2-secret",
};

before(async () => {
  mkdirSync(outDir, { recursive: true });
  execFileSync("ffmpeg", [
    "-y", "-v", "error",
    "-f", "lavfi", "-i", `color=c=0x5a6478:s=320x240:r=${fps}:d=${frames / fps}`,
    "-f", "lavfi", "-i", `color=c=0xdc2828:s=60x60:r=${fps}:d=${frames / fps}`,
    "-filter_complex", "[0][1]overlay=x='40+t*20':y=90:shortest=1",
    "-c:v", "mpeg4", "-q:v", "2", "-pix_fmt", "yuv420p", video,
  ]);
  ({ engine, chrome, page } = await startApp(askArgs, askSecrets));
});

after(() => stopApp({ engine, chrome }));

const api = (method, url, body) =>
  page.evaluate(async ([method, url, body]) => (await fetch(url, { method, headers: { "Content-Type": "application/json" }, body: body && JSON.stringify(body) })).json(), [method, url, body]);

test("a propagation over the threshold asks where to run; Run here runs it locally", async () => {
  await page.setInputFiles(".media-panel input[type=file]", video);
  await until(page, () => document.querySelector(".video-view") && window.__samwise.snapshot().sessions && document.querySelector("canvas.picture")?.width > 0, null, "the video view", 60_000);
  await clickImage(page, ...boxAt(0));
  await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0; }, null, "a mask on frame 0");
  const session = (await page.evaluate(() => window.__samwise.snapshot().sessions)).points;
  const est = await api("POST", `/v1/pvs/video/${session}/estimate`, { direction: "forward", start_frame: 0 });
  assert.equal(est.needs_confirmation, true, JSON.stringify(est));

  // Cancel: the dialog goes, nothing runs, nothing is reported as an error.
  await page.click('button[title="Track forward from this frame"]');
  const dialog = page.locator(".placement-dialog");
  await dialog.waitFor();
  await screenshot(page, "30-placement-ask.png");
  const text = await dialog.textContent();
  assert.ok(text.includes(`${est.frames} frames × 1 object`), text);
  assert.match(text, /Here: about \d+:\d\d/);
  assert.match(text, /GPU worker: about \d+:\d\d.*\$\d/);
  assert.deepEqual(await dialog.locator("button").allTextContents(), ["Cancel", "Run here", "Send to GPU"]);
  await dialog.locator("button", { hasText: "Cancel" }).click();
  await page.waitForTimeout(300);
  assert.equal(await page.locator(".placement-dialog").count(), 0);
  assert.deepEqual((await api("GET", "/v1/jobs")).jobs, [], "no job after Cancel");
  assert.equal(await page.locator(".toast.error").count(), 0);

  // Run here: the same request again with "placement": "local".
  const sent = [];
  page.on("request", (r) => r.url().endsWith(`/v1/pvs/video/${session}/propagate`) && sent.push(JSON.parse(r.postData())));
  await page.click('button[title="Track forward from this frame"]');
  await dialog.locator("button", { hasText: "Run here" }).click();
  await until(page, () => /done/.test(document.querySelector(".video-bar .job-text")?.textContent ?? ""), null, "the propagation to finish", 120_000);
  assert.deepEqual(sent, [{ direction: "forward", start_frame: 0 }, { direction: "forward", start_frame: 0, placement: "local" }]);
  const { jobs } = await api("GET", "/v1/jobs");
  assert.equal(jobs.length, 1);
  assert.equal(jobs[0].placement, "local");
  assert.equal(jobs[0].state, "succeeded");
  assert.equal(jobs[0].estimate?.frames, est.frames);
  const last = await page.evaluate((f) => window.__samwise.snapshot().objects[0].frames.includes(f), frames - 1);
  assert.ok(last, "the last frame has a mask");
  assert.equal(await page.locator(".toast.error").count(), 0);
});
