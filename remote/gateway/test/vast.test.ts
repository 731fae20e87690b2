// Vast API errors: 429 and 5xx and dropped connections are retried with backoff; 4xx (auth) is
// not; exhausted retries become a typed error surfaced as failed + 503 vast_error.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { startGateway, waitForState, type Gateway } from "./harness.js";

let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

test("429 on search is retried (plain-text body, no Retry-After) and provisioning succeeds", async () => {
  gw = await startGateway();
  gw.vast.fail("search", 429, 2);
  const resp = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 202);
  assert.equal(gw.vast.count("search"), 3);
  assert.equal(gw.vast.count("create"), 1);
  const warns = gw.logs.filter((l) => l.msg === "vast call failed" && l.op === "search");
  assert.deepEqual(warns.map((w) => [w.status, w.code, w.attempt]), [[429, "rate_limited", 1], [429, "rate_limited", 2]]);
});

test("500 on create is retried; exactly one instance results", async () => {
  gw = await startGateway();
  gw.vast.fail("create", 500, 2);
  const resp = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 202);
  assert.equal(gw.vast.count("create"), 3);
  assert.equal(gw.vast.instances.size, 1);
});

test("a dropped connection is retried", async () => {
  gw = await startGateway();
  gw.vast.fail("search", 0, 1);
  const resp = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 202);
  assert.equal(gw.vast.count("search"), 2);
  assert.ok(gw.logs.some((l) => l.msg === "vast call failed" && l.kind === "network"));
});

test("5xx past the retry budget fails provisioning with vast_error; a later request succeeds", async () => {
  gw = await startGateway({ VAST_RETRIES: "2" });
  gw.vast.fail("search", 503, 3);
  const started = Date.now();
  const resp = await gw.request("/v1/pvs/image", { method: "POST", body: "{}" });
  assert.equal(resp.status, 503);
  const body = (await resp.json()) as any;
  assert.equal(body.error.code, "vast_error");
  assert.match(body.error.message, /vast search: 503/);
  assert.equal(gw.vast.count("search"), 3, "1 try + 2 retries");
  assert.ok(Date.now() - started >= 20 + 40, "exponential backoff between tries");
  assert.equal((await gw.worker()).state, "failed");

  const again = await gw.request("/v1/pvs/image", { method: "POST", body: "{}" });
  assert.equal(again.status, 202);
});

test("401 from Vast (bad key) is not retried", async () => {
  gw = await startGateway({ VAST_API_KEY: "not-the-key" });
  const resp = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 503);
  const body = (await resp.json()) as any;
  assert.equal(body.error.code, "vast_error");
  assert.match(body.error.message, /401 Invalid user key/);
  assert.equal(gw.vast.count("search"), 1);
  assert.ok(!gw.rawOutput.join("\n").includes("not-the-key"));
});

test("warm-up status checks survive transient Vast errors", async () => {
  gw = await startGateway();
  await gw.request("/v1/worker/wake", { method: "POST" });
  gw.vast.fail("show", 500, 20);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal((await gw.worker()).state, "warming_up");
  gw.origin.ready = true;
  await waitForState(gw, "ready");
});

test("a gateway missing configuration fails with not_configured instead of calling Vast", async () => {
  gw = await startGateway({ VAST_IMAGE: "" });
  const resp = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 503);
  const body = (await resp.json()) as any;
  assert.equal(body.error.code, "not_configured");
  assert.match(body.error.message, /VAST_IMAGE/);
  assert.equal(gw.vast.calls.length, 0);
});
