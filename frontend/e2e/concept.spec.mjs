// Browser end-to-end tests of concepts, precompute and the model panel on
// images, against a real engine on the demo models: "red" finds the three
// red shapes as new objects next to an existing one; a negative click
// refines one of them; exemplar boxes refine a find; "One mask" gives one
// object from the semantic segmentation; precomputing images
// makes the first click on them cached; "In all 3 images" adds the red
// shapes that were not annotated yet, once; the model panel lists the catalog
// and a download that cannot reach the hub fails with the engine's message
// (the engine's hub is pointed at a closed port: nothing is downloaded).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, outDir, screenshot, snapshot, startApp, stopApp, until } from "./harness.mjs";
import { conceptScene, standardScene } from "./scene.mjs";

let engine, chrome, page;
const W = 1000;
const H = 750;
const scene = conceptScene(W, H);
const files = { scene: path.join(outDir, "concept-scene.png"), a: path.join(outDir, "precompute-a.png"), b: path.join(outDir, "precompute-b.png") };

before(async () => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(files.scene, scene.png);
  writeFileSync(files.a, standardScene(640, 480, 11).png);
  writeFileSync(files.b, standardScene(640, 480, 12).png);
  ({ engine, chrome, page } = await startApp(["--hf-endpoint", "http://127.0.0.1:9"]));
});

after(() => stopApp({ engine, chrome }));

const objects = async () => (await snapshot(page)).objects;
const idle = () => until(page, () => !window.__samwise.snapshot().busy && !document.querySelector(".concept-status .busy-label"), null, "the engine's answer");

/** The ids of the objects whose masks cover an image point on frame 0. */
const objectsAt = (x, y) => page.evaluate(([x, y]) => window.__samwise.snapshot().objects.filter((o) => window.__samwise.maskAt(o.id, 0, x, y)).map((o) => o.id), [x, y]);
/** The topmost (last) of them, or null. */
const objectAt = async (x, y) => (await objectsAt(x, y)).at(-1) ?? null;

async function drag(from, to, shift = false) {
  const a = await page.evaluate(([x, y]) => window.__samwise.toClient(x, y), from);
  const b = await page.evaluate(([x, y]) => window.__samwise.toClient(x, y), to);
  if (shift) await page.keyboard.down("Shift");
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  await page.mouse.move(b[0], b[1], { steps: 6 });
  await page.mouse.up();
  if (shift) await page.keyboard.up("Shift");
}

test("“red” adds the three red shapes as new objects, and a negative click refines one", async () => {
  await page.setInputFiles(".media-panel input[type=file]", files.scene);
  await until(page, () => window.__samwise.snapshot().mediaId && document.querySelector("canvas.picture")?.width > 0, null, "the image to open");
  // An object made before: the concept must leave it alone.
  await clickImage(page, ...scene.points.blueCircle);
  await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0; }, null, "the blue circle's mask");
  const blue = (await objects())[0];

  await page.locator(".stage").focus();
  await page.keyboard.press("t");
  await page.keyboard.type("red");
  await page.keyboard.press("Enter");
  await until(page, () => window.__samwise.snapshot().objects.length === 4, null, "three more objects");
  await idle();
  const found = await page.locator(".concept-found").textContent();
  assert.match(found, /^found 3 · presence 0\.9\d\d$/);
  const all = await objects();
  assert.deepEqual(all[0], blue, "the existing object did not change");
  const reds = all.slice(1);
  for (const [name, p] of Object.entries({ ellipse: scene.points.ellipse, square: scene.points.square, circle: scene.points.circle })) {
    const id = await objectAt(...p);
    assert.ok(id !== null && reds.some((o) => o.id === id), `the ${name} is one of the new objects`);
  }
  const blueSquare = await objectAt(...scene.points.blueSquare);
  assert.ok(!reds.some((o) => o.id === blueSquare), "the blue square was not found");
  assert.ok(reds.every((o) => o.label === ""), "no label “red” yet: the objects are unlabelled");
  assert.equal((await snapshot(page)).current, null, "nothing is selected, so a click would start a new object");
  await screenshot(page, "20-concept-red.png");

  // The panel offers the missing label; creating it labels the three.
  await page.click(".concept-panel .create-label");
  await until(page, () => window.__samwise.snapshot().objects.filter((o) => o.label === "red").length === 3, null, "the three labelled “red”");

  // The concept took the ellipse's shadow; select it and click the shadow
  // away: the engine starts from the object's mask.
  const ellipse = await objectAt(...scene.points.ellipse);
  assert.equal(await objectAt(...scene.points.shadow), ellipse, "the shadow is part of the ellipse's mask");
  const before = (await objects()).find((o) => o.id === ellipse).area;
  await page.click(`.object-item[data-object-id="${ellipse}"] .object-id`);
  await clickImage(page, ...scene.points.shadow, "right");
  const after = await until(page, ([id, a]) => { const s = window.__samwise.snapshot(); const o = s.objects.find((x) => x.id === id); return !s.busy && o.area < a && o.area; }, [ellipse, before], "the ellipse's mask to shrink");
  assert.ok(after > 0.6 * before, `the ellipse stayed (${after} of ${before} pixels)`);
  assert.equal(await objectAt(...scene.points.shadow), null, "the shadow left the mask");
  assert.equal(await objectAt(...scene.points.ellipse), ellipse, "the ellipse is still the same object");
  assert.equal((await objects()).length, 4, "the click changed that object only");
  await screenshot(page, "21-concept-refined.png");

  // One undo step each: the click, then the whole concept result.
  await page.locator(".stage").focus();
  await page.keyboard.press("z");
  await until(page, ([id, a]) => window.__samwise.snapshot().objects.find((o) => o.id === id)?.area === a, [ellipse, before], "undo of the click");
  await page.keyboard.press("z"); // the labels
  await page.keyboard.press("z"); // the concept
  await until(page, () => window.__samwise.snapshot().objects.length === 1, null, "undo of the concept result");
  await page.keyboard.press("Shift+Z");
  await page.keyboard.press("Shift+Z");
  await until(page, () => window.__samwise.snapshot().objects.filter((o) => o.label === "red").length === 3, null, "redo");
});

test("exemplar boxes: a Shift-box leaves an instance out, a box refines the find in place", async () => {
  const count = (await objects()).length;
  const found = async () => Number(await page.locator(".concept-found").getAttribute("data-found"));
  const newAt = async (p) => (await objectsAt(...p)).filter((id) => id > count);
  await page.fill(".concept-text", "red");
  await page.locator(".stage").focus();
  await page.keyboard.press("x");
  assert.equal((await snapshot(page)).tool, "exemplar");
  // A counter-example around the red circle. The last find was edited
  // since (labels, a click), so the box waits for Find: no duplicates.
  await drag(scene.boxes.circle.slice(0, 2), scene.boxes.circle.slice(2), true);
  assert.match(await page.locator(".exemplar-count").textContent(), /0 \+ \/ 1 −/);
  assert.equal((await objects()).length, count);
  await page.click(".concept-find");
  await idle();
  const n1 = await found();
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count + n1, "the found objects");
  assert.equal(n1, 2, "red without the circle");
  assert.deepEqual(await newAt(scene.points.circle), [], "the circle was left out");
  assert.equal((await newAt(scene.points.square)).length, 1, "the square was found");
  // An example box around the square right after: the find runs again and
  // its result replaces the previous one instead of adding to it.
  await drag(scene.boxes.square.slice(0, 2), scene.boxes.square.slice(2));
  await until(page, () => /1 \+ \/ 1 −/.test(document.querySelector(".exemplar-count")?.textContent), null, "the second box");
  await idle();
  const n2 = await found();
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count + n2, "the refined find to replace the first");
  assert.equal(n2, 1, "only things like the square");
  assert.equal((await newAt(scene.points.square)).length, 1);
  assert.deepEqual(await newAt(scene.points.ellipse), [], "the ellipse left with the refinement");
  await screenshot(page, "22-exemplars.png");
  await page.click(".concept-panel button[title='Remove the exemplar boxes']");
  await page.keyboard.press("v");
});

test("“One mask” makes the concept one object from the model's semantic segmentation", async () => {
  const reds = [scene.points.ellipse, scene.points.square, scene.points.circle];
  const tops = () => Promise.all(reds.map((p) => objectAt(...p)));
  await page.fill(".concept-text", "red");
  await page.check(".concept-semantic");
  await page.click(".concept-find");
  await idle();
  await until(page, () => document.querySelector(".concept-found")?.getAttribute("data-found") === "1", null, "one object found");
  const [one, ...rest] = await tops();
  assert.ok(one !== null && rest.every((id) => id === one), `one object covers the three red shapes (${[one, ...rest]})`);
  assert.ok(!(await objectsAt(...scene.points.blueSquare)).includes(one), "the blue square is not in it");
  assert.equal(await page.locator(".no-semantic").count(), 0, "the demo model gives a semantic mask");
  await screenshot(page, "23-one-mask.png");
  // Unticking right after refines the find: one object per instance again.
  await page.uncheck(".concept-semantic");
  await until(page, () => document.querySelector(".concept-found")?.getAttribute("data-found") === "3", null, "three instances");
  await idle();
  const three = await tops();
  assert.equal(new Set(three).size, 3, `three objects for the three shapes (${three})`);
  const under = await Promise.all(reds.map((p) => objectsAt(...p)));
  assert.ok(!under[0].some((id) => under[1].includes(id) && under[2].includes(id)), "no object covers all three shapes any more");
});

test("precompute the project's images: the job succeeds and the first click on one is cached", async () => {
  await page.setInputFiles(".media-panel input[type=file]", [files.a, files.b]);
  await until(page, () => document.querySelectorAll(".media-item").length === 3, null, "three images in the project");
  await page.click(".precompute-start");
  const text = await until(page, () => { const b = document.querySelector(".precompute .job-bar"); return b?.dataset.state === "succeeded" && b.textContent; }, null, "the precompute job", 60_000);
  assert.match(text, /Precompute 3 images.*done: 3 images.*local/);
  await screenshot(page, "23-precomputed.png");
  // precompute-b.png was never clicked: its embedding comes from the cache.
  // Concepts were looked for, so opening it prefetches for the concept model too.
  const asked = page.waitForRequest((r) => r.url().endsWith("/v1/pvs/prefetch") && JSON.parse(r.postData()).concepts === true);
  await page.click(".media-item:nth-child(3)");
  assert.equal((await (await asked).response()).status(), 202);
  await until(page, () => document.querySelector(".media-item:nth-child(3).current") && document.querySelector("canvas.picture")?.width === 640, null, "the third image");
  await clickImage(page, 0.3 * 640, 0.3 * 480);
  await until(page, () => !window.__samwise.snapshot().busy && window.__samwise.snapshot().objects[0]?.area > 0, null, "a mask on the precomputed image");
  await until(page, () => /enc cached/.test(document.querySelector(".model-badge").textContent), null, "the badge to say the embedding was cached");
});

test("“In all 3 images” adds the red shapes of every image, and none twice", async () => {
  // The concept scene has its three red shapes already, and the third image
  // the red ellipse clicked above (labelled red, the label of new objects
  // since "Create it"): only the second image's red ellipse is new.
  await page.fill(".concept-text", "red");
  await page.click(".concept-all");
  const text = await until(page, () => { const b = document.querySelector(".concept-job"); return b?.dataset.state === "succeeded" && b.textContent; }, null, "the concept job", 60_000);
  assert.match(text, /Find “red” in 3 images.*done: 3 images/);
  const note = await until(page, () => [...document.querySelectorAll(".toast.info")].map((t) => t.textContent).find((t) => t.includes("“red”:")), null, "the summary");
  assert.match(note, /“red”: 1 object added on 1 of 3 images/);
  assert.equal((await objects()).length, 1, "the open image keeps its one object");
  await page.click(".media-item:nth-child(2)");
  await until(page, () => document.querySelector(".media-item:nth-child(2).current") && window.__samwise.snapshot().objects.length === 1, null, "the second image with its new object");
  const [found] = await objects();
  assert.equal(found.label, "red");
  assert.deepEqual(await objectsAt(...standardScene(640, 480, 11).points.red), [found.id], "the new object covers the red ellipse");
  assert.match(await page.locator(".media-item:nth-child(2)").textContent(), /1 object/);
  await screenshot(page, "24-concept-all-images.png");
  // Again: everything it finds overlaps what the first run added.
  await page.fill(".concept-text", "red");
  await page.click(".concept-all");
  const again = await until(page, () => [...document.querySelectorAll(".toast.info")].map((t) => t.textContent).find((t) => t.includes("0 objects added")), null, "the second summary", 60_000);
  assert.match(again, /“red”: 0 objects added on 0 of 3 images/);
});

test("the model panel lists the catalog; a download the hub does not answer fails with the engine's message", async () => {
  await page.click(".demo-banner .get-sam3");
  await page.waitForSelector(".dialog .catalog-model[data-model='sam3-tracker']");
  const precisions = await page.$$eval(".catalog-model[data-model='sam3-tracker'] select.precision option", (os) => os.map((o) => o.value));
  assert.deepEqual(precisions, ["fp32", "fp16", "q4f16"]);
  assert.equal(await page.inputValue(".catalog-model[data-model='sam3-tracker'] select.precision"), "fp16", "the default precision is chosen");
  assert.ok((await page.locator(".installed-model[data-model='demo-tracker']").count()) === 1, "the demo tracker is listed as installed");
  await page.selectOption(".catalog-model[data-model='sam3-tracker'] select.precision", "q4f16");
  await page.click(".catalog-model[data-model='sam3-tracker'] button.pull");
  const text = await until(page, () => { const b = document.querySelector(".dialog .job-bar"); return b?.dataset.state === "failed" && b.textContent; }, null, "the download to fail", 30_000);
  assert.match(text, /Download sam3-tracker \(q4f16\)/);
  assert.match(text, /failed: pull sam3-tracker.*127\.0\.0\.1:9/);
  assert.equal(await page.locator(".dialog .job-bar .job-resume").count(), 1, "a failed download offers Resume");
  await screenshot(page, "24-model-panel.png");
  // Resume asks the engine again; it fails the same way.
  const jobId = await page.getAttribute(".dialog .job-bar", "data-job-id");
  const job = async () => (await fetch(`${engine.url}/v1/jobs/${jobId}`)).json();
  const first = await job();
  await page.click(".dialog .job-bar .job-resume");
  for (let j = await job(); j.state !== "failed" || j.finished_at === first.finished_at; j = await job()) await new Promise((r) => setTimeout(r, 50));
  await until(page, () => document.querySelector(".dialog .job-bar")?.dataset.state === "failed" && document.querySelector(".dialog .job-resume"), null, "the resumed download's failure", 30_000);
  // Closed, the panel leaves the download in the banner.
  await page.click(".dialog-buttons button");
  await page.waitForSelector(".demo-banner .model-dock .job-bar[data-state='failed']");
});
