// Starts a real engine (`engine serve --ui` on the demo model, a free port,
// a fresh data directory) and Debian's Chromium through playwright-core,
// for the browser tests. Nothing is downloaded.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const frontendDir = path.resolve(here, "..");
export const repoDir = path.resolve(frontendDir, "..");
export const outDir = path.join(frontendDir, "test-output");

/** extraEnv is added to the engine's environment (e.g. secrets). */
export async function startEngine(extraArgs = [], extraEnv = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "samwise-e2e-"));
  const bin = process.env.SAMWISE_ENGINE_BIN ?? path.join(repoDir, "bin", "engine");
  const proc = spawn(bin, ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir, "--ui", "--ui-dir", path.join(frontendDir, "dist"), "--log-level", "warn", "--provider", "cpu", ...extraArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...extraEnv },
  });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`engine did not start:\n${out}\n${log}`)), 60_000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`engine exited (${code}):\n${out}\n${log}`)));
  });
  for (let i = 0; ; i++) {
    const r = await fetch(url + "/ready").catch(() => null);
    if (r?.ok) break;
    if (i > 300) throw new Error("engine never became ready:\n" + log);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    dataDir,
    log: () => log,
    async stop() {
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on("exit", r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Chromium with a fresh profile (playwright passes it as --user-data-dir). */
export async function startBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), "samwise-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async stop() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the app in the browser's first page and waits for the project. */
export async function openApp(chrome, url) {
  const page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
  page.on("pageerror", (e) => console.error("page error:", e.message));
  await page.goto(url);
  await page.waitForSelector(".project-select option", { state: "attached" });
  return page;
}

/** An engine (startEngine's arguments) and a browser with the app open. */
export async function startApp(extraArgs = [], extraEnv = {}) {
  const engine = await startEngine(extraArgs, extraEnv);
  try {
    const chrome = await startBrowser();
    return { engine, chrome, page: await openApp(chrome, engine.url) };
  } catch (e) {
    await engine.stop();
    throw e;
  }
}

/** Stops what startApp started (either may be missing). */
export async function stopApp({ engine, chrome } = {}) {
  await chrome?.stop();
  await engine?.stop();
}

export async function screenshot(page, name) {
  mkdirSync(outDir, { recursive: true });
  await page.screenshot({ path: path.join(outDir, name) });
}

/** Polls fn in the page until it returns a truthy value. */
export async function until(page, fn, arg, what, timeout = 20_000) {
  try {
    const h = await page.waitForFunction(fn, arg, { timeout, polling: 50 });
    return await h.jsonValue();
  } catch (e) {
    const snap = await page.evaluate(() => window.__samwise?.snapshot()).catch(() => null);
    throw new Error(`timed out waiting for ${what}; editor: ${JSON.stringify(snap)}`);
  }
}

export const snapshot = (page) => page.evaluate(() => window.__samwise.snapshot());

/** Clicks an image point of the current view. */
export async function clickImage(page, x, y, button = "left") {
  const p = await page.evaluate(([x, y]) => window.__samwise.toClient(x, y), [x, y]);
  await page.mouse.click(p[0], p[1], { button });
}

/** The mask layer's alpha at an image point (0: no mask there). */
export function maskAlpha(page, x, y) {
  return page.evaluate(([x, y]) => document.querySelector("canvas.masks").getContext("2d").getImageData(x, y, 1, 1).data[3], [x, y]);
}

/** The area of a COCO compressed RLE (sum of its set runs). */
/** The entry names of a zip file, read from its central directory. */
export function zipNames(buf) {
  const end = buf.lastIndexOf(Buffer.from("PK\x05\x06", "latin1"));
  assert.ok(end >= 0, "not a zip: no end of central directory");
  const names = [];
  for (let p = buf.readUInt32LE(end + 16), n = buf.readUInt16LE(end + 10); n > 0; n--) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, "a central directory entry");
    const nameLen = buf.readUInt16LE(p + 28);
    names.push(buf.toString("utf8", p + 46, p + 46 + nameLen));
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return names.sort();
}

export function rleArea(rle) {
  const s = rle.counts;
  const counts = [];
  for (let p = 0; p < s.length; ) {
    let x = 0;
    let k = 0;
    let c;
    do {
      c = s.charCodeAt(p++) - 48;
      x |= (c & 0x1f) << (5 * k++);
    } while (c & 0x20);
    if (c & 0x10) x |= -1 << (5 * k);
    if (counts.length > 2) x += counts[counts.length - 2];
    counts.push(x);
  }
  return counts.reduce((a, v, i) => a + (i % 2 ? v : 0), 0);
}
