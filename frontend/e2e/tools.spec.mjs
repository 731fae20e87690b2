// Browser end-to-end tests of the editing and viewing tools against a real
// engine on the demo model: the outline tool (corners moved, added and
// removed, pixel exact; finer handles when zoomed in), hiding the masks,
// solo, mask opacity, brightness and contrast kept across a reload, and
// zooming to an object.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { clickImage, maskAlpha, outDir, screenshot, snapshot, startApp, stopApp, until } from "./harness.mjs";
import { standardScene } from "./scene.mjs";

let engine, chrome, page;
const scene = standardScene(1200, 900, 3);

before(async () => {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "tools-scene.png"), scene.png);
  ({ engine, chrome, page } = await startApp());
});

after(() => stopApp({ engine, chrome }));

const objects = async () => (await snapshot(page)).objects;

test("a picture with two objects: the red ellipse and the green rectangle", async () => {
  await page.setInputFiles(".media-panel input[type=file]", path.join(outDir, "tools-scene.png"));
  await until(page, () => window.__samwise.snapshot().mediaId && document.querySelector("canvas.picture")?.width > 0, null, "the image to open");
  await clickImage(page, ...scene.points.red);
  await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects[0]?.area > 0; }, null, "the red ellipse's mask");
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await clickImage(page, ...scene.points.green);
  await until(page, () => { const s = window.__samwise.snapshot(); return !s.busy && s.objects.length === 2 && s.objects[1].area > 0; }, null, "the green rectangle's mask");
});

test("the outline tool moves a corner, adds one on an edge and removes one, each one undo step", async () => {
  const count = (await objects()).length;
  const [bx, by] = scene.points.background.map(Math.round);
  const client = (x, y) => page.evaluate(([x, y]) => window.__samwise.toClient(x, y), [x, y]);
  const drag = async (from, to, button = "left") => {
    const a = await client(...from);
    const b = await client(...to);
    await page.mouse.move(a[0], a[1]);
    await page.mouse.down({ button });
    await page.mouse.move(b[0], b[1], { steps: 6 });
    await page.mouse.up({ button });
  };
  const area = (want, what) => until(page, (w) => { const o = window.__samwise.snapshot().objects.at(-1); return o.area === w && o.area; }, want, what);
  const ready = () => until(page, () => window.__samwise.snapshot().outline, null, "the outline");
  await page.locator(".stage").focus();
  await page.keyboard.press("n");
  await page.keyboard.press("p");
  for (const [dx, dy] of [[0, 0], [80, 0], [80, 60], [0, 60]]) {
    const c = await client(bx + dx, by + dy);
    await page.mouse.click(c[0], c[1]);
  }
  await page.keyboard.press("Enter");
  const rect = await until(page, (n) => { const o = window.__samwise.snapshot().objects; return o.length === n + 1 && o[n].area > 0 && o[n].area; }, count, "the rectangle");
  await page.keyboard.press("o");
  await ready();
  await screenshot(page, "05b-outline.png");
  // The bottom-right corner dragged 40 px right: a 40×60 triangle more.
  await drag([bx + 80, by + 60], [bx + 120, by + 60]);
  const moved = await until(page, (r) => { const a = window.__samwise.snapshot().objects.at(-1).area; return a > r && a; }, rect, "the corner moved");
  assert.ok(Math.abs(moved - rect - 1200) < 0.05 * 1200, `moving the corner added ${moved - rect} pixels, not about 1 200`);
  assert.ok(await page.evaluate(([x, y]) => { const s = window.__samwise.snapshot(); return window.__samwise.maskAt(s.current, 0, x, y); }, [bx + 85, by + 55]), "the mask reaches past the old edge");
  await page.keyboard.press("z");
  await area(rect, "undo of the move");
  await ready(); // outlined again from the mask the undo brought back
  // A drag from the middle of the top edge adds a corner there and pulls it up.
  await drag([bx + 40, by], [bx + 40, by - 30]);
  const pulled = await until(page, (r) => { const a = window.__samwise.snapshot().objects.at(-1).area; return a > r && a; }, rect, "the new corner pulled");
  assert.ok(Math.abs(pulled - rect - 1200) < 0.05 * 1200, `pulling the new corner added ${pulled - rect} pixels, not about 1 200`);
  // Right-clicking it removes it: the rectangle comes back pixel for pixel.
  const c = await client(bx + 40, by - 30);
  await page.mouse.click(c[0], c[1], { button: "right" });
  await area(rect, "the corner removed");
  await page.keyboard.press("z");
  await area(pulled, "undo of the removal");
  await page.keyboard.press("z");
  await area(rect, "undo of the pull");
  // Delete with the pointer over a corner removes the corner, not the object.
  await drag([bx + 40, by], [bx + 40, by - 30]);
  await area(pulled, "the corner pulled again");
  const h = await client(bx + 40, by - 30);
  await page.mouse.move(h[0], h[1]);
  await page.keyboard.press("Delete");
  await area(rect, "the corner removed with Delete");
  assert.equal((await objects()).length, count + 1, "the object is still there");
  await page.keyboard.press("z");
  await page.keyboard.press("z");
  await area(rect, "undo of the removal and the pull");
  // A click on another object's mask outlines that one.
  const [first, drawn] = [(await objects())[0], (await objects()).at(-1)];
  const r = await client(...scene.points.red);
  await page.mouse.click(r[0], r[1]);
  await until(page, (id) => window.__samwise.snapshot().current === id, first.id, "the clicked object selected");
  const coarse = await ready();
  // Zoomed in, the curved outline is asked for again with more handles.
  for (let i = 0; i < 7; i++) await page.keyboard.press("+");
  const fine = await until(page, (n) => { const h = window.__samwise.snapshot().outline; return h > n && h; }, coarse, "a finer outline");
  assert.ok(fine > coarse, `${fine} handles zoomed in, ${coarse} before`);
  await page.keyboard.press("f");
  // With the AI click tool, Ctrl+click selects without prompting.
  await page.keyboard.press("v");
  const inside = await client(bx + 20, by + 20);
  await page.keyboard.down("Control");
  await page.mouse.click(inside[0], inside[1]);
  await page.keyboard.up("Control");
  await until(page, (id) => window.__samwise.snapshot().current === id, drawn.id, "the rectangle selected by Ctrl+click");
  assert.equal((await objects()).at(-1).area, rect, "the Ctrl+click prompted nothing");
  await page.keyboard.press("o");
  await page.keyboard.press("z");
  await until(page, (n) => window.__samwise.snapshot().objects.length === n + 1 && !window.__samwise.snapshot().objects[n].area, count, "undo of the rectangle");
  await page.keyboard.press("Delete");
  await until(page, (n) => window.__samwise.snapshot().objects.length === n, count, "the empty object deleted");
  await page.keyboard.press("v");
});

test("M hides the masks, S shows only the current object; mask opacity, brightness and contrast are kept after a reload", async () => {
  const style = () => page.evaluate(() => ({ filter: document.querySelector("canvas.picture").style.filter, opacity: document.querySelector("canvas.masks").style.opacity }));
  await page.locator(".stage").focus();
  await page.keyboard.press("m");
  assert.equal((await style()).opacity, "0", "M hides the masks");
  assert.equal(await page.locator(".masks-toggle").textContent(), "Masks hidden");
  await page.keyboard.press("m");
  assert.equal((await style()).opacity, "1", "M again shows them");
  // S shows only the current object: a point of another object is clear, the current one's is not.
  const [cur, other] = await page.evaluate(() => {
    const a = window.__samwise.app.view.annotator;
    const key = String(a.frame);
    const cur = a.state.objects.find((o) => o.masks[key]);
    a.select(cur.id);
    const [w, h] = cur.masks[key].size.slice().reverse();
    const at = (pred) => { for (let y = 0; y < h; y += 3) for (let x = 0; x < w; x += 3) if (pred(x, y)) return [x, y]; return null; };
    const mine = (x, y) => window.__samwise.maskAt(cur.id, a.frame, x, y);
    const others = (x, y) => a.state.objects.some((o) => o.id !== cur.id && o.visible && window.__samwise.maskAt(o.id, a.frame, x, y));
    return [at((x, y) => mine(x, y) && !others(x, y)), at((x, y) => others(x, y) && !mine(x, y))];
  });
  assert.ok(cur && other, "points of the current object and of another one");
  await page.locator(".stage").focus();
  await page.keyboard.press("s");
  await page.waitForTimeout(100);
  assert.ok((await maskAlpha(page, ...cur)) > 0, "the current object is shown");
  assert.equal(await maskAlpha(page, ...other), 0, "another object is not");
  assert.equal(await page.locator(".solo-toggle").textContent(), "Only current");
  await page.keyboard.press("s");
  await page.waitForTimeout(100);
  assert.ok((await maskAlpha(page, ...other)) > 0, "S again shows every object");
  await page.click(".toolbar details.display summary");
  await page.locator('input[data-display="brightness"]').fill("150");
  await page.locator('input[data-display="contrast"]').fill("80");
  await page.locator('input[data-display="masks"]').fill("40");
  assert.deepEqual(await style(), { filter: "brightness(1.5) contrast(0.8)", opacity: "0.4" });
  await screenshot(page, "09b-view.png");
  await page.click(".display-reset");
  assert.deepEqual(await style(), { filter: "", opacity: "1" }, "reset");
  await page.locator('input[data-display="brightness"]').fill("150"); // still open
  await page.reload();
  await until(page, () => window.__samwise.snapshot().mediaId && document.querySelector("canvas.picture")?.width > 0, null, "the image after the reload");
  assert.deepEqual(await style(), { filter: "brightness(1.5) contrast(1)", opacity: "1" }, "the settings after a reload");
  await page.click(".toolbar details.display summary");
  await page.click(".display-reset");
});

test("a double-click on an object's row or Shift+F zooms to it, F fits the picture again", async () => {
  const view = () => page.evaluate(() => { const v = window.__samwise.app.view.annotator.stage.view; return { scale: v.scale, x: v.x, y: v.y }; });
  const fitted = await view();
  const row = page.locator(".object-item").first();
  const id = Number(await row.getAttribute("data-object-id"));
  await row.dblclick();
  await until(page, (id) => window.__samwise.snapshot().current === id, id, "the object selected");
  const zoomed = await view();
  assert.ok(zoomed.scale > fitted.scale * 1.2, `zoomed to ${zoomed.scale}, fitted ${fitted.scale}`);
  // The object's middle is in the middle of the stage.
  const [mid, centre] = await page.evaluate((id) => {
    const a = window.__samwise.app.view.annotator;
    const o = a.state.objects.find((o) => o.id === id);
    const m = o.masks[String(a.frame)];
    let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
    for (let y = 0; y < m.size[0]; y += 2) for (let x = 0; x < m.size[1]; x += 2) if (window.__samwise.maskAt(id, a.frame, x, y)) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    const r = document.querySelector(".stage").getBoundingClientRect();
    return [window.__samwise.toClient((x0 + x1) / 2, (y0 + y1) / 2), [r.left + r.width / 2, r.top + r.height / 2]];
  }, id);
  assert.ok(Math.hypot(mid[0] - centre[0], mid[1] - centre[1]) < 3 * zoomed.scale, `the object's middle ${mid} is not at the stage's ${centre}`);
  await page.locator(".stage").focus();
  await page.keyboard.press("f");
  assert.deepEqual(await view(), fitted);
  await page.keyboard.press("Shift+F");
  assert.deepEqual(await view(), zoomed);
  await page.keyboard.press("f");
});
