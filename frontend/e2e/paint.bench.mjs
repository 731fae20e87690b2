// How long the annotator takes to repaint its masks in Chromium, on a
// 4000×3000 photo with a dozen objects: `node e2e/paint.bench.mjs` (after
// `npm run build` and `go build -o bin/engine ./engine`). Prints medians of
// three edits, each timed with the synchronous repaint it causes: a
// selection change, a model's answer (a new RLE for one small object) and
// a polygon drawn on it; docs/benchmarks.md records them. Not a test: it
// asserts nothing about time.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openApp, outDir, startBrowser, startEngine, until } from "./harness.mjs";
import { standardScene } from "./scene.mjs";

const W = 4000;
const H = 3000;
mkdirSync(outDir, { recursive: true });
const file = path.join(outDir, "paint-scene.png");
writeFileSync(file, standardScene(W, H, 5).png);
const engine = await startEngine();
const chrome = await startBrowser();
try {
  const page = await openApp(chrome, engine.url);
  await page.setInputFiles(".media-panel input[type=file]", file);
  await until(page, () => window.__samwise.snapshot().mediaId && document.querySelector(".media-item.current"), null, "the photo to open", 60_000);
  const result = await page.evaluate(
    ([w, h]) => {
      const a = window.__samwise.app.view.annotator;
      a.setTool("polygon");
      // Twelve objects: big and small squares over the photo.
      for (let i = 0; i < 12; i++) {
        a.newObject();
        const x = (i % 4) * (w / 4) + 50;
        const y = Math.floor(i / 4) * (h / 3) + 50;
        const s = i % 2 ? 200 : 800;
        for (const [dx, dy] of [[0, 0], [s, 0], [s, s], [0, s]]) a.corner([x + dx, y + dy]);
        a.closePolygon();
      }
      const median = (xs) => xs.sort((p, q) => p - q)[xs.length >> 1];
      const time = (n, step) => {
        const t = [];
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          step(i);
          t.push(performance.now() - t0);
        }
        return median(t);
      };
      const ids = a.state.objects.map((o) => o.id);
      // A selection change: two objects' outlines.
      const select = time(21, (i) => a.select(ids[i % ids.length]));
      // An answer from the model: a small object's mask replaced by a new
      // RLE (decoded, then painted), as after a click.
      const small = a.state.objects[1];
      const masks = [small.masks["0"], a.state.objects[3].masks["0"]].map((m) => ({ size: m.size, counts: m.counts }));
      const answer = time(21, (i) => a.applyMasks([{ objectId: small.id, frame: 0, mask: { ...masks[i % 2] } }], true));
      // A polygon added to a small object (filled, encoded, painted).
      a.select(small.id);
      const edit = time(21, () => {
        a.corner([w / 4 + 300, 300]);
        a.corner([w / 4 + 320, 300]);
        a.corner([w / 4 + 320, 320]);
        a.closePolygon();
      });
      return { objects: ids.length, select, answer, edit };
    },
    [W, H],
  );
  console.log(`${W}×${H}, ${result.objects} objects, medians of 21: a selection change ${result.select.toFixed(1)} ms, a model's answer for one small object ${result.answer.toFixed(1)} ms, a polygon drawn on it ${result.edit.toFixed(1)} ms`);
} finally {
  await chrome.stop();
  await engine.stop();
}
