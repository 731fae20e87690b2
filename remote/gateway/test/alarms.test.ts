// The alarm paths, with real (short) alarms: idle → draining → destroy → off; warm-up timeout →
// failed → retry on the next request; maximum lifetime; destroy verification; orphan reaping.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { startGateway, waitFor, waitForState, type Gateway } from "./harness.js";

let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function toReady(g: Gateway): Promise<Record<string, any>> {
  assert.equal((await g.request("/v1/worker/wake", { method: "POST" })).status, 202);
  g.origin.ready = true;
  return waitForState(g, "ready");
}

function reasons(g: Gateway, to: string): unknown[] {
  return g.logs.filter((l) => l.msg === "transition" && l.to === to).map((l) => l.reason);
}

test("idle: proxied requests keep it ready; IDLE_TIMEOUT without one drains and destroys", async () => {
  gw = await startGateway({ IDLE_TIMEOUT_S: "1.5" });
  const ready = await toReady(gw);
  for (let i = 0; i < 5; i++) {
    await sleep(500);
    assert.equal((await gw.request("/v1/jobs/j1")).status, 200);
  }
  assert.equal((await gw.worker()).state, "ready", "activity pushed the idle deadline out");
  const off = await waitForState(gw, "off", 8000);
  assert.equal(off.instance_id, null);
  assert.equal(gw.vast.instances.has(ready.instance_id), false);
  assert.deepEqual(reasons(gw, "draining"), ["idle"]);
});

test("idle: a response still streaming (a job's results) keeps the worker busy", async () => {
  gw = await startGateway({ IDLE_TIMEOUT_S: "1" });
  await toReady(gw);
  const resp = await gw.request("/v1/stream?ms=3000");
  assert.equal(resp.status, 200);
  const lines = (await resp.text()).trim().split("\n");
  assert.ok(lines.length >= 20, `the stream delivered ${lines.length} lines`);
  assert.deepEqual(reasons(gw, "draining"), [], "drained while a response was streaming");
  assert.equal((await gw.worker()).state, "ready");
  assert.deepEqual((await waitForState(gw, "off", 8000)).state, "off", "idle after the stream ended");
});

test("warm-up timeout → failed, instance destroyed → 503 → next request provisions again", async () => {
  gw = await startGateway({ WARMUP_TIMEOUT_S: "1" });
  const wake = (await (await gw.request("/v1/worker/wake", { method: "POST" })).json()) as any;
  const failed = await waitForState(gw, "failed", 6000);
  assert.equal(failed.last_error.code, "warmup_timeout");
  await waitFor(() => !gw!.vast.instances.has(wake.instance_id), 5000, "timed-out instance destroyed");

  const r1 = await gw.request("/v1/pvs/image", { method: "POST", body: "{}" });
  assert.equal(r1.status, 503);
  const e = (await r1.json()) as any;
  assert.equal(e.error.code, "warmup_timeout");
  assert.match(e.error.message, /not ready within 1 s/);
  assert.equal(gw.vast.count("create"), 1);

  const r2 = await gw.request("/v1/pvs/image", { method: "POST", body: "{}" });
  assert.equal(r2.status, 202, "retry after failure");
  assert.equal(gw.vast.count("create"), 2);
  gw.origin.ready = true;
  const ready = await waitForState(gw, "ready");
  assert.notEqual(ready.instance_id, wake.instance_id);
  assert.equal(ready.last_error, null);
  assert.ok(ready.cost_total_usd >= ready.cost_usd, "the failed instance's cost is kept in the total");
});

test("maximum lifetime drains and destroys even while busy", async () => {
  gw = await startGateway({ MAX_LIFETIME_S: "2", IDLE_TIMEOUT_S: "60" });
  const ready = await toReady(gw);
  const deadline = Date.now() + 8000;
  let state = "ready";
  let served = 0;
  while (state === "ready" && Date.now() < deadline) {
    const resp = await gw.request("/v1/jobs/j1"); // keeps it from ever being idle
    const body = (await resp.json()) as any;
    if (resp.status === 200) served++;
    else assert.equal(body.error.code, "worker_draining");
    state = (await gw.worker()).state;
    await sleep(150);
  }
  assert.ok(served >= 5, `served ${served} requests before the lifetime ended`);
  state = (await waitForState(gw, "off")).state;
  assert.equal(state, "off");
  assert.equal(gw.vast.instances.has(ready.instance_id), false);
  assert.deepEqual(reasons(gw, "draining"), ["max_lifetime"]);
});

test("draining waits for in-flight proxied requests before destroying", async () => {
  gw = await startGateway();
  const ready = await toReady(gw);
  const slow = gw.request("/v1/jobs/slow?delay_ms=800");
  await sleep(200);
  const stop = (await (await gw.request("/v1/worker/stop", { method: "POST" })).json()) as any;
  assert.equal(stop.state, "draining");
  const during = await gw.request("/v1/jobs/other");
  assert.equal(during.status, 503);
  assert.equal(during.headers.get("Retry-After"), "1");
  await sleep(300);
  assert.equal(gw.vast.instances.has(ready.instance_id), true, "not destroyed while a request is in flight");
  assert.equal((await slow).status, 200);
  await waitForState(gw, "off");
  assert.equal(gw.vast.instances.has(ready.instance_id), false);
});

test("destroy verification: an instance still listed after DELETE is destroyed again with backoff", async () => {
  gw = await startGateway();
  const ready = await toReady(gw);
  gw.vast.ineffectiveDeletes = 2;
  await gw.request("/v1/worker/stop", { method: "POST" });
  await waitFor(async () => (await gw!.worker()).pending_destroys.includes(ready.instance_id), 3000, "pending destroy");
  await waitForState(gw, "off", 10_000);
  assert.equal(gw.vast.instances.has(ready.instance_id), false);
  assert.equal(gw.vast.count("destroy"), 3);
  assert.ok(gw.logs.some((l) => l.msg === "instance still exists after destroy; destroying again"));
});

test("destroy retries through Vast errors", async () => {
  gw = await startGateway({ VAST_RETRIES: "1" });
  const ready = await toReady(gw);
  gw.vast.fail("destroy", 500, 4);
  await gw.request("/v1/worker/stop", { method: "POST" });
  await waitForState(gw, "off", 10_000);
  assert.equal(gw.vast.instances.has(ready.instance_id), false);
  assert.ok(gw.vast.count("destroy") >= 5);
});

test("orphans carrying our label are reaped; the current instance and other labels are not", async () => {
  gw = await startGateway({ REAP_INTERVAL_S: "0.5" });
  const orphan1 = gw.vast.addInstance("samwise-test-owner");
  const orphan2 = gw.vast.addInstance("samwise-test-owner", { actual_status: "stopped" });
  const foreign = gw.vast.addInstance("someone-else");
  const ready = await toReady(gw);
  await waitFor(() => !gw!.vast.instances.has(orphan1.id) && !gw!.vast.instances.has(orphan2.id), 5000, "orphans destroyed");
  assert.ok(gw.vast.instances.has(foreign.id), "other labels are left alone");
  assert.ok(gw.vast.instances.has(ready.instance_id), "the current instance is kept");
  assert.equal((await gw.worker()).state, "ready");
  const list = gw.vast.calls.find((c) => c.op === "list")!;
  assert.equal(list.path, "/api/v1/instances/");
  assert.deepEqual(JSON.parse(list.query.get("select_filters")!), { label: { eq: "samwise-test-owner" } });
  await waitFor(async () => (await gw!.worker()).pending_destroys.length === 0, 5000, "orphan destroys confirmed");
});

test("a ready worker whose instance vanished from Vast becomes failed, then is replaced", async () => {
  gw = await startGateway({ REAP_INTERVAL_S: "0.3" });
  const ready = await toReady(gw);
  gw.vast.instances.delete(ready.instance_id); // the host went away
  const failed = await waitForState(gw, "failed", 5000);
  assert.equal(failed.last_error.code, "instance_lost");
  assert.equal((await gw.request("/v1/jobs/j")).status, 503);
  assert.equal((await gw.request("/v1/jobs/j")).status, 202);
  assert.equal(gw.vast.created.length, 2);
});
