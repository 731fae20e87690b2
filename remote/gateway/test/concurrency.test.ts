// Concurrent requests while off / warming_up / failed provision exactly one instance, and a crash
// between "decide to provision" and "record instance" leaves no orphan behind.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, test } from "node:test";
import { startGateway, waitFor, waitForState, type Gateway } from "./harness.js";
import { offer } from "./vast_standin.js";

let gw: Gateway | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test("concurrent requests while off and warming up provision exactly one instance", async () => {
  gw = await startGateway();
  gw.vast.createDelayMs = 400; // a wide window between "decide to provision" and "record instance"
  const g = gw;
  const burst = await Promise.all([
    ...Array.from({ length: 10 }, (_, i) => g.request(`/v1/pvs/image?i=${i}`, { method: "POST", body: "{}" })),
    g.request("/v1/worker/wake", { method: "POST" }),
    g.request("/v1/worker/wake", { method: "POST" }),
  ]);
  for (const r of burst) {
    assert.equal(r.status, 202);
    assert.equal(r.headers.get("Retry-After"), "1");
    await r.body?.cancel();
  }
  assert.equal(gw.vast.count("search"), 1);
  assert.equal(gw.vast.count("create"), 1);
  assert.equal(gw.vast.instances.size, 1);

  // More requests during warm-up: still one instance.
  const more = await Promise.all(Array.from({ length: 6 }, () => g.request("/v1/jobs/j")));
  for (const r of more) assert.equal(r.status, 202);
  assert.equal(gw.vast.count("create"), 1);
  gw.origin.ready = true;
  await waitForState(gw, "ready");
  assert.equal(gw.vast.instances.size, 1);
});

test("concurrent retries after a failure provision exactly one instance", async () => {
  gw = await startGateway({}, { offers: false });
  const failed = await gw.request("/v1/jobs/j");
  assert.equal(failed.status, 503);
  gw.vast.offers = [offer(501, 0.4), offer(502, 0.5)];
  gw.vast.createDelayMs = 300;
  const g = gw;
  const burst = await Promise.all(Array.from({ length: 8 }, () => g.request("/v1/jobs/j")));
  for (const r of burst) assert.equal(r.status, 202);
  assert.equal(gw.vast.count("create"), 1);
  assert.equal(gw.vast.instances.size, 1);
});

test("a crash during create: restart fails the attempt and reaps the unrecorded instance by label", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gateway-do-"));
  dirs.push(dir);
  gw = await startGateway({ REAP_INTERVAL_S: "0.3" }, { persistDir: dir });
  gw.vast.createDelayMs = 1000;
  const pending = gw.request("/v1/worker/wake", { method: "POST" }).catch(() => null);
  await waitFor(() => gw!.vast.count("create") === 1, 5000, "create sent");
  await gw.restart(); // workerd dies before the create answers; Vast still creates the instance
  await pending;

  const view = await gw.worker();
  assert.equal(view.state, "failed");
  assert.equal(view.last_error.code, "provision_interrupted");
  await waitFor(() => gw!.vast.created.length === 1, 5000, "the stand-in finished the create");
  const orphan = gw.vast.created[0]!;
  await waitFor(() => !gw!.vast.instances.has(orphan), 5000, "orphan reaped");
  assert.ok(gw.logs.some((l) => l.msg === "reaping orphan instance"));

  // The failure is reported once, then the next request provisions afresh.
  gw.vast.createDelayMs = 0;
  assert.equal((await gw.request("/v1/jobs/j")).status, 503);
  assert.equal((await gw.request("/v1/jobs/j")).status, 202);
  assert.equal(gw.vast.created.length, 2);
  assert.equal(gw.vast.instances.size, 1);
  gw.origin.ready = true;
  await waitForState(gw, "ready");
});
