// Browser end-to-end test of the image annotator against a real engine on
// the demo model: open an image, click → mask, negative click shrinks it,
// undo/redo, label, export COCO, reload keeps everything; bad files get a
// clear message and change nothing.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, maskAlpha, outDir, rleArea, screenshot, snapshot, startApp, startEngine, stopApp, until, zipNames } from "./harness.mjs";
import { standardScene } from "./scene.mjs";

let engine, chrome, page;
const W = 1200;
const H = 900;
const scene = standardScene(W, H, 3);

before(async () => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "scene.png"), scene.png);
  ({ engine, chrome, page } = await startApp());
});

after(() => stopApp({ engine, chrome }));

const objects = async () => (await snapshot(page)).objects;

test("annotate an image: click, negative click, undo/redo, label, export, reload", async () => {
  await page.setInputFiles(".media-panel input[type=file]", path.join(outDir, "scene.png"));
  await until(page, () => window.__samwise.snapshot().mediaId && document.querySelector(".media-item.current"), null, "the image to open");
  await screenshot(page, "01-opened.png");

  // A click on the red ellipse: a mask appears under the click.
  await clickImage(page, ...scene.points.red);
  const first = await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0 && s.objects[0].area; }, null, "a mask after the click");
  assert.ok((await maskAlpha(page, ...scene.points.red.map(Math.round))) > 0, "the mask layer shows the mask at the click");
  assert.equal(await maskAlpha(page, ...scene.points.background.map(Math.round)), 0, "no mask on the background");
  // The demo model takes the red's look-alike shadow too.
  assert.ok((await maskAlpha(page, ...scene.points.shadow.map(Math.round))) > 0, "the first mask covers the shadow");

  // A negative click on the shadow shrinks the mask.
  await clickImage(page, ...scene.points.shadow, "right");
  const second = await until(page, (a) => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0].area < a && s.objects[0].area; }, first, "the mask to shrink");
  assert.ok(second > 0.5 * first * 0.5, `the mask kept the red ellipse (${second} of ${first})`);
  assert.equal(await maskAlpha(page, ...scene.points.shadow.map(Math.round)), 0, "the shadow left the mask");
  assert.equal((await objects()).length, 1, "both clicks refined one object");
  await screenshot(page, "02-negative-click.png");

  // Undo brings the first mask back; redo the second.
  await page.locator(".stage").focus();
  await page.keyboard.press("z");
  await until(page, (a) => window.__samwise.snapshot().objects[0]?.area === a, first, "undo to restore the first mask");
  await page.keyboard.press("Shift+Z");
  await until(page, (a) => window.__samwise.snapshot().objects[0]?.area === a, second, "redo to restore the second mask");

  // A label: add "fruit", then key 1 gives it to the object.
  await page.fill(".label-add", "fruit");
  await page.press(".label-add", "Enter");
  await page.waitForSelector(".label-name");
  await page.locator(".stage").focus();
  await page.keyboard.press("1");
  await until(page, () => window.__samwise.snapshot().objects[0]?.label === "fruit", null, "the label");
  // The label's eye hides and shows its objects.
  assert.equal(await page.locator(".label-item .label-count").first().textContent(), "1");
  await page.click(".label-item .label-visible");
  await until(page, () => window.__samwise.snapshot().objects[0]?.visible === false, null, "the label's objects hidden");
  await page.click(".label-item .label-visible");
  await until(page, () => window.__samwise.snapshot().objects[0]?.visible === true, null, "the label's objects shown");
  // The selected object's flags and note.
  await page.check('.object-details .object-flag[data-flag="crowd"]');
  await page.fill(".object-note", "two apples together");
  await page.press(".object-note", "Enter");
  await until(page, () => document.querySelector(".object-item .object-flags")?.textContent === "crowd" && document.querySelector(".object-note")?.value === "two apples together", null, "the flag and the note");
  const saved = await until(page, () => { const s = window.__samwise.snapshot().save; return s?.state === "saved" && s.version > 0 && s; }, null, "autosave");
  await screenshot(page, "03-labelled.png");

  // Export COCO: the file holds the object with its label and area.
  await page.click(".export-menu summary");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-format="coco"]')]);
  const file = path.join(outDir, "export-coco.json");
  await download.saveAs(file);
  const coco = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(coco.images.length, 1);
  assert.deepEqual([coco.images[0].width, coco.images[0].height], [W, H]);
  const cat = coco.categories.find((c) => c.name === "fruit");
  assert.ok(cat, "the label is a category");
  assert.equal(coco.annotations.length, 1);
  const ann = coco.annotations[0];
  assert.equal(ann.category_id, cat.id);
  assert.equal(ann.image_id, coco.images[0].id);
  assert.equal(ann.iscrowd, 1, "flagged crowd");
  assert.deepEqual(ann.attributes, { crowd: true });
  assert.deepEqual(ann.segmentation.size, [H, W]);
  assert.equal(rleArea(ann.segmentation), second, "the RLE's area is the mask's");
  assert.equal(ann.area, second);
  assert.equal(ann.bbox.length, 4);

  // Reload: the annotation comes back from the engine.
  await page.reload();
  await until(page, () => window.__samwise.snapshot().objects.length === 1, null, "the annotation after reload");
  const back = (await objects())[0];
  assert.equal(back.label, "fruit");
  await page.click(".object-item");
  assert.ok(await page.locator('.object-flag[data-flag="crowd"]').isChecked(), "the flag after reload");
  assert.equal(await page.locator(".object-note").inputValue(), "two apples together");
  assert.equal(back.area, second);
  assert.equal((await snapshot(page)).save.version, saved.version);
  await until(page, () => document.querySelector("canvas.masks")?.width > 0, null, "the mask layer");
  await page.waitForTimeout(100);
  assert.ok((await maskAlpha(page, ...scene.points.red.map(Math.round))) > 0, "the mask is drawn after reload");
  await screenshot(page, "04-reloaded.png");
});

test("the brush adds to the current object and is one undo step", async () => {
  const before = (await objects())[0].area;
  await page.locator(".stage").focus();
  await page.keyboard.press("b");
  const [x0, y0] = scene.points.green;
  const a = await page.evaluate(([x, y]) => window.__samwise.toClient(x, y), [x0, y0]);
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  await page.mouse.move(a[0] + 40, a[1], { steps: 5 });
  await page.mouse.up();
  const grown = await until(page, (b) => window.__samwise.snapshot().objects[0].area > b && window.__samwise.snapshot().objects[0].area, before, "the brush stroke");
  assert.ok(grown > before);
  await page.keyboard.press("z");
  await until(page, (b) => window.__samwise.snapshot().objects[0].area === b, before, "undo of the stroke");
  await page.waitForTimeout(50);
  assert.equal(await maskAlpha(page, Math.round(x0 + 40 / (await page.evaluate(() => window.__samwise.app.view.annotator.stage.view.scale))), Math.round(y0)), 0, "the undone stroke is gone from the mask layer");
  await page.keyboard.press("v");
});

test("polygons fill a new object and cut it, holes are filled and specks removed, each one undo step", async () => {
  const count = (await objects()).length;
  const [bx, by] = scene.points.background;
  const client = (x, y) => page.evaluate(([x, y]) => window.__samwise.toClient(x, y), [x, y]);
  const clickAt = async (x, y) => {
    const c = await client(x, y);
    await page.mouse.click(c[0], c[1]);
  };
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await page.keyboard.press("p");
  // Corners, the last taken back with Backspace (with it the area would be
  // 5 700), closed with Enter.
  for (const [dx, dy] of [[0, 0], [80, 0], [80, 60], [0, 60], [-30, 30]]) await clickAt(bx + dx, by + dy);
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Enter");
  const filled = await until(page, (n) => { const o = window.__samwise.snapshot().objects; return o.length === n + 1 && o[n].area > 0 && o[n]; }, count, "the polygon's object");
  assert.ok(Math.abs(filled.area - 80 * 60) < 0.05 * 80 * 60, `a 80×60 polygon filled ${filled.area} pixels`);
  // The eraser on this object over another one changes neither, and the
  // mask layer shows the other one again once the stroke ends.
  await page.keyboard.press("e");
  const [rx, ry] = scene.points.red;
  const r0 = await client(rx, ry);
  await page.mouse.move(r0[0], r0[1]);
  await page.mouse.down();
  await page.mouse.move(r0[0] + 20, r0[1], { steps: 3 });
  await page.mouse.up();
  await page.waitForTimeout(100);
  assert.ok((await maskAlpha(page, Math.round(rx), Math.round(ry))) > 0, "the other object is shown where the eraser passed");
  assert.equal((await objects()).at(-1).area, filled.area, "erasing outside the object changed nothing");
  await page.keyboard.press("p");
  // A polygon dropped with Esc changes nothing.
  await clickAt(bx + 5, by + 5);
  await clickAt(bx + 30, by + 5);
  await page.keyboard.press("Escape");
  // A cut: Shift on the first corner, closed by a click on it.
  await page.keyboard.down("Shift");
  await clickAt(bx + 20, by + 20);
  await page.keyboard.up("Shift");
  await clickAt(bx + 60, by + 20);
  await clickAt(bx + 60, by + 40);
  await clickAt(bx + 20, by + 40);
  await screenshot(page, "05-polygon-cut.png");
  await clickAt(bx + 20, by + 20);
  const cut = await until(page, (a) => { const o = window.__samwise.snapshot().objects.at(-1); return o.area < a && o.area; }, filled.area, "the cut");
  assert.ok(Math.abs(filled.area - cut - 40 * 20) < 0.1 * 40 * 20, `a 40×20 cut removed ${filled.area - cut} pixels`);
  // The mask layer repaints only what changed: the cut is clear, the rest shown.
  await page.waitForTimeout(50);
  assert.equal(await maskAlpha(page, Math.round(bx + 40), Math.round(by + 30)), 0, "the cut is clear on the mask layer");
  assert.ok((await maskAlpha(page, Math.round(bx + 70), Math.round(by + 50))) > 0, "the rest of the polygon is shown");
  // The cut is a hole: "Fill holes" fills it, one undo step.
  await page.click(".object-details .fill-holes");
  await until(page, (a) => window.__samwise.snapshot().objects.at(-1).area === a, filled.area, "the hole filled");
  await page.keyboard.press("z");
  await until(page, (c) => window.__samwise.snapshot().objects.at(-1).area === c, cut, "undo of the fill of holes");
  // > grows it by a pixel all round, < shrinks it back (a rectangle with a rectangular hole).
  await page.locator(".stage").focus();
  await page.keyboard.press(">");
  const grown = await until(page, (c) => { const a = window.__samwise.snapshot().objects.at(-1).area; return a > c && a; }, cut, "the mask grown");
  assert.ok(grown - cut > 300 && grown - cut < 500, `growing added ${grown - cut} pixels`);
  await page.keyboard.press("<");
  await until(page, (c) => window.__samwise.snapshot().objects.at(-1).area === c, cut, "the mask shrunk back");
  await page.keyboard.press("z");
  await page.keyboard.press("z");
  await until(page, (c) => window.__samwise.snapshot().objects.at(-1).area === c, cut, "undo of the shrink and the growth");
  // A speck drawn beside it goes with "Remove specks"; a second time there is none.
  await page.locator(".stage").focus();
  for (const [dx, dy] of [[120, 0], [125, 0], [125, 5]]) await clickAt(bx + dx, by + dy);
  await page.keyboard.press("Enter");
  const specked = await until(page, (c) => { const a = window.__samwise.snapshot().objects.at(-1).area; return a > c && a; }, cut, "the speck");
  assert.ok(specked - cut < 40, `the speck is ${specked - cut} pixels`);
  await page.click(".object-details .remove-specks");
  await until(page, (c) => window.__samwise.snapshot().objects.at(-1).area === c, cut, "the speck removed");
  await page.click(".object-details .remove-specks");
  await until(page, () => [...document.querySelectorAll(".toast")].some((t) => /no specks to remove/.test(t.textContent)), null, "the note that there is nothing to remove");
  await page.keyboard.press("z");
  await page.keyboard.press("z");
  await until(page, (c) => window.__samwise.snapshot().objects.at(-1).area === c, cut, "undo of the speck");
  await page.keyboard.press("z");
  await until(page, (a) => window.__samwise.snapshot().objects.at(-1).area === a, filled.area, "undo of the cut");
  await page.keyboard.press("z");
  await until(page, (n) => { const o = window.__samwise.snapshot().objects; return o.length === n + 1 && !o[n].area; }, count, "undo of the fill");
  await page.waitForTimeout(50);
  assert.equal(await maskAlpha(page, Math.round(bx + 70), Math.round(by + 50)), 0, "the undone polygon is gone from the mask layer");
  await page.keyboard.press("Delete");
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count, "the empty object deleted");
  await page.keyboard.press("v");
});

test("with the polygon tool a drag traces an outline that fills on release", async () => {
  const count = (await objects()).length;
  const [bx, by] = scene.points.background;
  const client = (x, y) => page.evaluate(([x, y]) => window.__samwise.toClient(x, y), [x, y]);
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await page.keyboard.press("p");
  // A 60×60 square traced in one drag, back past its start (no early close).
  const path = [[0, 0], [60, 0], [60, 60], [0, 60], [0, 2], [3, 0], [40, 0]].map(([dx, dy]) => [bx + 150 + dx, by + dy]);
  const c0 = await client(...path[0]);
  await page.mouse.move(c0[0], c0[1]);
  await page.mouse.down();
  for (const p of path.slice(1)) {
    const c = await client(...p);
    await page.mouse.move(c[0], c[1], { steps: 12 });
  }
  await page.mouse.up();
  const traced = await until(page, (n) => { const o = window.__samwise.snapshot().objects; return o.length === n + 1 && o[n].area > 0 && o[n]; }, count, "the traced object");
  assert.ok(Math.abs(traced.area - 3600) < 0.08 * 3600, `a traced 60×60 square filled ${traced.area} pixels`);
  assert.equal((await snapshot(page)).tool, "polygon");
  await page.keyboard.press("z");
  await page.keyboard.press("z");
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count, "undo of the lasso and its object");
  await page.keyboard.press("v");
});

test("an object merged into the selected one: the masks unite, one undo step", async () => {
  const first = (await objects())[0];
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await page.keyboard.press("b");
  const a = await page.evaluate(([x, y]) => window.__samwise.toClient(x, y), scene.points.background);
  await page.mouse.move(a[0], a[1]);
  await page.mouse.down();
  await page.mouse.move(a[0] + 30, a[1], { steps: 4 });
  await page.mouse.up();
  const painted = await until(page, () => { const o = window.__samwise.snapshot().objects; return o.length === 2 && o[1].area > 0 && o[1]; }, null, "the second object painted");
  await page.click(`.object-item[data-object-id="${first.id}"] .merge-object`);
  const merged = await until(page, () => { const o = window.__samwise.snapshot().objects; return o.length === 1 && o[0]; }, null, "one object after the merge");
  assert.equal(merged.id, painted.id, "merged into the selected object");
  assert.equal(merged.area, first.area + painted.area, "the union of two masks apart");
  await page.keyboard.press("z");
  await until(page, () => window.__samwise.snapshot().objects.length === 2, null, "undo of the merge");
  await page.keyboard.press("Delete");
  await until(page, () => window.__samwise.snapshot().objects.length === 1, null, "the painted object deleted");
  await page.keyboard.press("v");
});

test("edits the engine cannot save survive a page crash and are restored", async () => {
  const count = (await objects()).length;
  // The engine stops answering saves (as if it crashed).
  const failPut = (route) => (route.request().method() === "PUT" ? route.abort() : route.continue());
  await chrome.context.route("**/annotations/**", failPut);
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  const st = await until(page, () => { const s = window.__samwise.snapshot().save; return s?.state === "error" && s; }, null, "the save to fail");
  assert.match(st.message, /cannot reach the engine/);
  assert.match(await page.locator(".save-badge").textContent(), /Not saved/);
  // The page crashes (no unload handler runs, so nothing else is saved) and is
  // opened again while saves still fail: the edit comes back from the local
  // journal. (A reload instead would let the page's last save as it closes
  // reach the engine now and then: Chromium sends it past routes and offline
  // mode.) Notes fade after a few seconds, so every toast shown after the
  // reopening is recorded as it appears.
  const url = page.url();
  const cdp = await chrome.context.newCDPSession(page);
  const crashed = new Promise((resolve) => page.once("crash", resolve));
  cdp.send("Page.crash").catch(() => {}); // answers only by crashing
  await crashed;
  await page.close();
  page = await chrome.context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.addInitScript(() => {
    window.__notes = [];
    new MutationObserver((changes) => {
      for (const c of changes) for (const n of c.addedNodes) if (n.classList?.contains("toast")) window.__notes.push(n.textContent);
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count + 1, "the restored edit");
  await until(page, () => window.__notes.some((t) => /Restored/.test(t)), null, "the note about restored edits");
  await until(page, () => window.__samwise.snapshot().save?.state === "error", null, "the restored edit's save to fail too");
  // The engine is back: Retry saves it.
  await chrome.context.unroute("**/annotations/**", failPut);
  await page.click(".save-badge button");
  await until(page, () => window.__samwise.snapshot().save?.state === "saved", null, "the restored edit to be saved");
  await page.reload();
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count + 1, "the edit after another reload");
  // Leave the image as the next test expects it.
  await page.locator(".stage").focus();
  await page.keyboard.press("Delete");
  await until(page, (n) => window.__samwise.snapshot().objects.length === n && window.__samwise.snapshot().save?.state === "saved", count, "the deletion to be saved");
});

test("bad files get the engine's message and change nothing", async () => {
  const beforeSnap = await snapshot(page);
  const mediaCount = await page.locator(".media-item").count();
  // A text file dropped on the window.
  const dt = await page.evaluateHandle(() => {
    const d = new DataTransfer();
    d.items.add(new File(["hello, not a picture\n"], "notes.txt", { type: "text/plain" }));
    return d;
  });
  await page.dispatchEvent("body", "drop", { dataTransfer: dt });
  const msg1 = await until(page, () => [...document.querySelectorAll(".toast.error")].map((t) => t.textContent).find((t) => t.includes("notes.txt")), null, "an error for the text file");
  assert.match(msg1, /notes\.txt: .*(unsupported|image|video)/i);
  // A 0-byte file from the picker.
  await page.setInputFiles(".media-panel input[type=file]", { name: "empty.png", mimeType: "image/png", buffer: Buffer.alloc(0) });
  const msg2 = await until(page, () => [...document.querySelectorAll(".toast.error")].map((t) => t.textContent).find((t) => t.includes("empty.png")), null, "an error for the empty file");
  assert.match(msg2, /empty/i);
  await screenshot(page, "05-bad-input.png");
  assert.equal(await page.locator(".media-item").count(), mediaCount, "no media was added");
  const afterSnap = await snapshot(page);
  assert.deepEqual(afterSnap.objects, beforeSnap.objects, "the annotations did not change");
  assert.equal(afterSnap.mediaId, beforeSnap.mediaId);
});

test("import a COCO file: the dry run's summary, new objects and labels, a box segmented by the model, nothing twice", async () => {
  const before = (await objects()).length;
  const [gx, gy] = scene.points.green.map(Math.round);
  const square = [gx - 20, gy - 20, gx + 20, gy - 20, gx + 20, gy + 20, gx - 20, gy + 20];
  const orange = { x0: 0.44 * W, y0: 0.12 * H, x1: 0.62 * W, y1: 0.48 * H }; // the scene's orange rectangle
  const orangeArea = (orange.x1 - orange.x0) * (orange.y1 - orange.y0);
  const coco = Buffer.from(JSON.stringify({
    images: [{ id: 1, file_name: "photos/scene.png", width: W, height: H }, { id: 2, file_name: "elsewhere.jpg", width: 10, height: 10 }],
    categories: [{ id: 3, name: "imported" }, { id: 4, name: "crate" }],
    annotations: [
      { id: 1, image_id: 1, category_id: 3, segmentation: [square] },
      { id: 2, image_id: 1, category_id: 4, bbox: [orange.x0 - 8, orange.y0 - 8, orange.x1 - orange.x0 + 16, orange.y1 - orange.y0 + 16] },
      { id: 3, image_id: 1, category_id: 3, segmentation: [] },
    ],
  }));
  const importFile = async () => {
    await page.setInputFiles(".import input[type=file]", { name: "labels.json", mimeType: "application/json", buffer: coco });
    await page.waitForSelector(".dialog");
    return page.locator(".dialog").textContent();
  };
  const first = await importFile();
  assert.match(first, /Import labels\.json/);
  assert.match(first, /1 new object \(1 mask\) on 1 media/);
  assert.match(first, /1 box without a mask, for the model to segment/);
  assert.match(first, /New labels: imported, crate/);
  assert.match(first, /1 picture not in this project.*elsewhere\.jpg/);
  assert.match(first, /annotation 3: it has neither a segmentation nor a box/);
  assert.ok(await page.locator(".dialog .import-segment-boxes").isChecked(), "segmenting the boxes is offered, checked");
  await screenshot(page, "06-import-dry-run.png");
  await page.click(".dialog button.primary");
  await until(page, (n) => { const o = window.__samwise.snapshot().objects; return o.length >= n && o.some((x) => x.label === "imported" && x.area === 1600); }, before + 1, "the imported object");
  await until(page, () => [...document.querySelectorAll(".label-name")].some((e) => e.value === "crate"), null, "the new labels");
  // The view reloads when the segmenting job ends (soon, on the demo
  // model): wait for the mask layer of whichever view is showing.
  await until(page, ([x, y]) => document.querySelector("canvas.masks")?.getContext("2d").getImageData(x, y, 1, 1).data[3] > 0, [gx, gy], "the imported mask drawn");
  // The job segments the box: the crate appears when its image is done
  // (the view is reloaded when the job ends).
  await until(page, () => document.querySelector('.job-bar[data-state="succeeded"]'), null, "the segmenting job to end");
  const crate = await until(page, (n) => { const o = window.__samwise.snapshot().objects; return o.length === n && o.find((x) => x.label === "crate"); }, before + 2, "the box's mask from the model");
  assert.ok(Math.abs(crate.area - orangeArea) < 0.1 * orangeArea, `the box's mask (${crate.area} px) is the orange rectangle (${orangeArea} px)`);
  await screenshot(page, "07-import-segmented.png");

  // The same file again: the mask is there, and so is the box's.
  const second = await importFile();
  assert.match(second, /Nothing to add/);
  assert.match(second, /2 masks already in the project/);
  await page.click(".dialog button.primary");
  await page.waitForTimeout(200);
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, before + 2, "the objects unchanged");

  // Dropped on the window, an annotation file is imported (not uploaded as media).
  const media = await page.locator(".media-item").count();
  const dt = await page.evaluateHandle((text) => {
    const d = new DataTransfer();
    d.items.add(new File([text], "dropped.json", { type: "application/json" }));
    return d;
  }, coco.toString());
  await page.dispatchEvent("body", "drop", { dataTransfer: dt });
  await page.waitForSelector(".dialog");
  assert.match(await page.locator(".dialog").textContent(), /Import dropped\.json/);
  await page.click(".dialog button.primary"); // Close: nothing to add
  assert.equal(await page.locator(".media-item").count(), media, "nothing was uploaded");
});

test("mark media done: the list says so and filters by it, Ctrl+Enter opens the next to do, exports can keep only done media", async () => {
  const second = path.join(outDir, "second.png");
  writeFileSync(second, standardScene(640, 480, 5).png);
  await page.setInputFiles(".media-panel input[type=file]", second);
  await until(page, () => document.querySelectorAll(".media-item").length === 2, null, "two images");
  await page.click(".media-item:nth-child(1)");
  await until(page, () => document.querySelector(".media-item:nth-child(1).current") && document.querySelector("canvas.picture")?.width > 0, null, "the first image");
  await page.click(".done-toggle");
  await until(page, () => document.querySelector(".media-item:nth-child(1) .media-status")?.textContent.startsWith("✓ done"), null, "the first image saved as done");
  assert.ok(await page.locator(".done-toggle.active").count(), "the toggle shows done");
  await page.selectOption(".media-filter", "done");
  assert.equal(await page.locator(".media-item").count(), 1, "Done shows the done image");
  assert.match(await page.locator(".media-filter").textContent(), /All \(2\).*To do \(1\).*Done \(1\)/);
  await page.selectOption(".media-filter", "all");
  await screenshot(page, "08-done.png");

  // Only the done image is exported with the option.
  await page.click(".export-menu summary");
  await page.check(".export-done-only");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-format="coco"]')]);
  const file = path.join(outDir, "export-done.json");
  await download.saveAs(file);
  const coco = JSON.parse(readFileSync(file, "utf8"));
  assert.deepEqual(coco.images.map((i) => i.file_name), ["scene.png"]);

  // With the pictures: a dataset zip holding the done image beside its annotations.
  await page.click(".export-menu summary");
  await page.check(".export-pictures");
  let release;
  const held = new Promise((r) => (release = r));
  await page.route(/\/export\?.*pictures=true/, async (route) => (await held, route.continue()));
  const downloaded = page.waitForEvent("download");
  await page.click('button[data-format="coco"]');
  await until(page, () => document.querySelector(".toast.progress")?.textContent.includes("Exporting the dataset"), null, "the export's progress note");
  release();
  const dataset = await downloaded;
  await page.unroute(/\/export\?.*pictures=true/);
  await until(page, () => !document.querySelector(".toast.progress"), null, "the progress note gone after the export");
  assert.match(dataset.suggestedFilename(), /-coco-dataset\.zip$/);
  const zipFile = path.join(outDir, "export-dataset.zip");
  await dataset.saveAs(zipFile);
  assert.deepEqual(zipNames(readFileSync(zipFile)), ["annotations/instances.json", "images/scene.png"]);

  // Split into train and val: one of the two images held out, with its labels.
  await page.click(".export-menu summary");
  await page.uncheck(".export-done-only");
  await page.selectOption(".export-val", "0.2");
  const [split] = await Promise.all([page.waitForEvent("download"), page.click('button[data-format="yolo"]')]);
  const splitFile = path.join(outDir, "export-split.zip");
  await split.saveAs(splitFile);
  const names = zipNames(readFileSync(splitFile));
  assert.equal(names.length, 5, names.join(" "));
  assert.deepEqual(names.map((n) => n.split("/").slice(0, 2).join("/")).sort(), ["data.yaml", "images/train", "images/val", "labels/train", "labels/val"]);
  await page.click(".export-menu summary");
  await page.uncheck(".export-pictures");
  assert.ok(await page.locator(".export-val").isDisabled(), "no split without the pictures");
  await page.click(".export-menu summary");

  // Ctrl+Enter: done, then the next image to do; on the last one, nothing is left to do.
  await page.locator(".stage").focus();
  await page.keyboard.press("Control+Enter");
  await until(page, () => document.querySelector(".media-item:nth-child(2).current") && document.querySelector("canvas.picture")?.width === 640, null, "the image to do");
  await page.locator(".stage").focus();
  await page.keyboard.press("Control+Enter");
  await until(page, () => [...document.querySelectorAll(".toast.info")].some((t) => t.textContent.includes("All 2 media are done")), null, "the note that all is done");
  await until(page, () => document.querySelector(".media-item:nth-child(2) .media-status")?.textContent.startsWith("✓ done"), null, "the second image saved as done");
  // D marks it to do again.
  await page.keyboard.press("d");
  await until(page, () => !document.querySelector(".media-item:nth-child(2) .media-status")?.textContent.startsWith("✓"), null, "the second image to do again");
});

test("C copies the previous image's objects onto one of the same size, one undo step", async () => {
  // The list: scene.png (1200×900, one object), second.png (640×480, open, no objects).
  const toast = (text) => until(page, (t) => [...document.querySelectorAll(".toast")].some((e) => e.textContent.includes(t)), text, `the note “${text}”`);
  await page.locator(".stage").focus();
  await page.keyboard.press("c");
  await toast("masks copy only between images of one size");
  assert.equal((await objects()).length, 0, "nothing copied across sizes");

  await clickImage(page, ...standardScene(640, 480, 5).points.red);
  const area = await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0 && s.objects[0].area; }, null, "a mask on the second image");
  const third = path.join(outDir, "third.png");
  writeFileSync(third, standardScene(640, 480, 6).png);
  await page.setInputFiles(".media-panel input[type=file]", third);
  await until(page, () => document.querySelector(".media-item:nth-child(3).current") && document.querySelector("canvas.picture")?.width === 640, null, "the third image open");
  await page.locator(".stage").focus();
  await page.keyboard.press("c");
  await toast("Copied 1 object from second.png");
  const copied = await objects();
  assert.equal(copied.length, 1);
  assert.equal(copied[0].area, area, "the mask as it was");
  await page.keyboard.press("z");
  await until(page, () => window.__samwise.snapshot().objects.length === 0, null, "undo removes the copy");

  // The project's statistics: three images, the saved objects, the label's row.
  await page.click(".stats-button");
  await page.waitForSelector(".stats-table");
  assert.match(await page.locator(".stats-summary").textContent(), /^3 media \(3 images, 0 videos\) · 2 annotated · \d+ done · \d+ objects · \d+ masks$/);
  assert.match(await page.locator(".stats-table").textContent(), /^LabelObjectsShareMasksMediafruit\d+\d+%/);
  await page.click(".dialog button.primary");
});

test("opening an image has the engine encode it, and the next images ahead", async () => {
  // The list: scene.png, second.png, third.png (open).
  const ids = await page.evaluate(() => [...document.querySelectorAll(".media-item")].map((e) => e.dataset.mediaId));
  assert.equal(ids.length, 3);
  const asked = page.waitForRequest((r) => r.url().endsWith("/v1/pvs/prefetch") && JSON.parse(r.postData()).open === ids[0]);
  await page.locator(".stage").focus();
  await page.keyboard.press("PageUp");
  await page.keyboard.press("PageUp");
  const req = await asked;
  assert.deepEqual(JSON.parse(req.postData()).media_ids, [ids[1], ids[2]], "the two images after it are asked for");
  const resp = await req.response();
  assert.equal(resp.status(), 202);
  assert.ok((await resp.json()).queued >= 0);
  await until(page, (id) => window.__samwise.snapshot().mediaId === id, ids[0], "the first image open");
});

test("a key changed in the shortcuts dialog works, is kept after a reload, and resets", async () => {
  const tool = async () => (await snapshot(page)).tool;
  await page.locator(".stage").focus();
  await page.keyboard.press("v");
  await page.keyboard.press("?");
  await page.click('.change-key[data-action="brush"]');
  await page.keyboard.press("g");
  await until(page, () => /g now does “brush/.test(document.querySelector(".key-note")?.textContent ?? ""), null, "the note about the new key");
  // e is the eraser's: taken from it, with a note saying so.
  await page.click('.change-key[data-action="polygon"]');
  await page.keyboard.press("e");
  assert.match(await page.locator(".key-note").textContent(), /e now does “polygon.*no longer does “eraser”/);
  await screenshot(page, "09-keys.png");
  await page.click(".dialog button.primary");
  await page.locator(".stage").focus();
  await page.keyboard.press("g");
  assert.equal(await tool(), "brush");
  await page.keyboard.press("e");
  assert.equal(await tool(), "polygon");
  await page.keyboard.press("b");
  assert.equal(await tool(), "polygon", "b no longer picks the brush");
  await page.reload();
  await until(page, () => window.__samwise.snapshot().mediaId, null, "the media after reload");
  await page.locator(".stage").focus();
  await page.keyboard.press("g");
  assert.equal(await tool(), "brush", "the changed key after a reload");
  await page.keyboard.press("?");
  await page.click(".dialog button:text('Reset to defaults')");
  await page.locator(".stage").focus();
  await page.keyboard.press("e");
  assert.equal(await tool(), "eraser", "the defaults are back");
  await page.keyboard.press("v");
});

test("a token the engine requires is asked once and kept", async () => {
  const secured = await startEngine(["--token", "s3cret-token"]);
  const p2 = await chrome.context.newPage();
  try {
    await p2.goto(secured.url);
    await p2.waitForSelector(".dialog input[type=password]");
    await p2.fill(".dialog input[type=password]", "s3cret-token");
    await p2.press(".dialog input[type=password]", "Enter");
    await p2.waitForSelector(".project-select option", { state: "attached" });
    // Uploads and the picture itself go through with the token.
    await p2.setInputFiles(".media-panel input[type=file]", path.join(outDir, "scene.png"));
    await until(p2, () => document.querySelector("canvas.picture")?.width > 0, null, "the picture with the token");
    await p2.reload();
    await p2.waitForSelector(".media-item", { state: "attached" });
    assert.equal(await p2.locator(".dialog").count(), 0, "no second question after reload");
  } finally {
    await p2.evaluate(() => localStorage.removeItem("samwise.token"));
    await p2.close();
    await secured.stop();
  }
});
