// Every state transition driven by requests: off → warming_up → ready (proxying) → draining → off,
// failures (no offers, instance exited) → failed → 503 → the next request provisions again.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { CLIENT_TOKEN, ORIGIN_TOKEN, startGateway, waitFor, waitForState, type Gateway } from "./harness.js";
import { offer } from "./vast_standin.js";

let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function toReady(g: Gateway): Promise<Record<string, any>> {
  const resp = await g.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 202);
  g.origin.ready = true;
  return waitForState(g, "ready");
}

test("off → warming_up (202 + Retry-After) → ready → proxied with the origin token", async () => {
  gw = await startGateway();
  assert.equal((await gw.worker()).state, "off");

  const first = await gw.request("/v1/pvs/image", { method: "POST", body: '{"media_id":"m1"}' });
  assert.equal(first.status, 202);
  assert.equal(first.headers.get("Retry-After"), "1");
  assert.deepEqual(await first.json(), { state: "warming_up", retry_after: 1 });

  // One search with the configured filters, one create from the best offer.
  assert.equal(gw.vast.count("search"), 1);
  const search = gw.vast.calls.find((c) => c.op === "search")!.body as any;
  assert.deepEqual(search.gpu_ram, { gte: 16000 });
  assert.deepEqual(search.reliability, { gte: 0.98 });
  assert.deepEqual(search.dph_total, { lte: 1 });
  const creates = gw.vast.calls.filter((c) => c.op === "create");
  assert.equal(creates.length, 1);
  assert.equal(creates[0]!.path, "/api/v0/asks/103/", "cheapest, then most reliable; the 8 GB offer is filtered out");
  const cb = creates[0]!.body as any;
  assert.equal(cb.cancel_unavail, true);
  assert.equal(cb.label, "samwise-test-owner");
  assert.equal(cb.image, "samwise/worker:test");
  assert.equal(cb.client_id, "me");
  assert.equal(typeof cb.env, "object");
  assert.equal(cb.env.TUNNEL_TOKEN, "tunnel-token-xyz");
  for (const c of gw.vast.calls) assert.equal(c.auth, "Bearer vast-test-key");

  const view = await gw.worker();
  assert.equal(view.state, "warming_up");
  assert.equal(view.offer_id, 103);
  assert.equal(view.dph_total, 0.29);
  assert.ok(view.instance_id > 0 && gw.vast.instances.has(view.instance_id));

  const again = await gw.request("/v1/jobs/j1");
  assert.equal(again.status, 202, "still warming up: origin /ready is 503");
  assert.equal(gw.vast.count("create"), 1);

  gw.origin.ready = true;
  const ready = await waitForState(gw, "ready");
  assert.equal(ready.instance_id, view.instance_id);
  assert.ok(ready.deadlines.idle && ready.deadlines.max_lifetime);
  const readyPoll = gw.origin.hits.find((h) => h.path === "/ready");
  assert.equal(readyPoll?.auth, `Bearer ${ORIGIN_TOKEN}`);

  const resp = await gw.request("/v1/pvs/image?x=1", { method: "POST", body: '{"media_id":"m1"}', headers: { "Content-Type": "application/json" } });
  assert.equal(resp.status, 200);
  assert.equal(resp.headers.get("X-Origin"), "engine");
  const echo = ((await resp.json()) as any).echo;
  assert.deepEqual(echo, { method: "POST", path: "/v1/pvs/image", query: "?x=1", body: '{"media_id":"m1"}' });
  const hit = gw.origin.apiHits.at(-1)!;
  assert.equal(hit.auth, `Bearer ${ORIGIN_TOKEN}`, "the client's token is replaced by the origin's");
  assert.notEqual(hit.auth, `Bearer ${CLIENT_TOKEN}`);
  assert.equal(hit.requestId, resp.headers.get("X-Request-Id"));
});

test("stop: ready → draining → destroy confirmed → off, with cost so far", async () => {
  gw = await startGateway();
  const ready = await toReady(gw);
  await new Promise((r) => setTimeout(r, 300));
  const stop = await gw.request("/v1/worker/stop", { method: "POST" });
  assert.equal(stop.status, 200);
  const stopping = (await stop.json()) as any;
  assert.equal(stopping.state, "draining");
  assert.ok(stopping.cost_usd > 0, "dph_total × hours elapsed");

  const off = await waitForState(gw, "off");
  assert.equal(off.instance_id, null);
  assert.deepEqual(off.pending_destroys, []);
  assert.ok(off.cost_total_usd > 0);
  assert.equal(gw.vast.instances.has(ready.instance_id), false, "destroyed, not stopped");
  assert.ok(gw.vast.count("destroy") >= 1);
  const showAfter = gw.vast.calls.filter((c) => c.op === "show" && c.path === `/api/v0/instances/${ready.instance_id}/`);
  assert.ok(showAfter.length >= 1, "destroy verified with show");
  assert.equal(showAfter[0]!.query.get("owner"), "me");
  const transitions = gw.logs.filter((l) => l.msg === "transition").map((l) => `${l.from}→${l.to}`);
  assert.deepEqual(transitions, ["off→warming_up", "warming_up→ready", "ready→draining", "draining→off"]);

  // Off again: a request provisions a new instance.
  const next = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(next.status, 202);
  assert.equal(gw.vast.count("create"), 2);
});

test("stop while warming up destroys the instance and ends off", async () => {
  gw = await startGateway();
  const wake = (await (await gw.request("/v1/worker/wake", { method: "POST" })).json()) as any;
  assert.equal(wake.state, "warming_up");
  const stop = (await (await gw.request("/v1/worker/stop", { method: "POST" })).json()) as any;
  assert.equal(stop.state, "draining");
  await waitForState(gw, "off");
  assert.equal(gw.vast.instances.size, 0);
});

test("no offers → failed → 503 with the reason → the next request provisions again", async () => {
  gw = await startGateway({}, { offers: false });
  const resp = await gw.request("/v1/pvs/image", { method: "POST", body: "{}" });
  assert.equal(resp.status, 503);
  const body = (await resp.json()) as any;
  assert.equal(body.error.code, "no_offers");
  assert.match(body.error.message, /no Vast offer matches/);
  const failed = await gw.worker();
  assert.equal(failed.state, "failed");
  assert.equal(failed.last_error.code, "no_offers");

  gw.vast.offers = [offer(201, 0.5)];
  const retry = await gw.request("/v1/pvs/image", { method: "POST", body: "{}" });
  assert.equal(retry.status, 202);
  assert.equal(gw.vast.count("search"), 2);
  assert.equal(gw.vast.count("create"), 1);
  const warming = await gw.worker();
  assert.equal(warming.state, "warming_up");
  assert.equal(warming.offer_id, 201);
  assert.equal(warming.last_error, null);
});

test("a rejected offer falls through to the next one", async () => {
  gw = await startGateway();
  gw.vast.fail("create", 400, 1);
  const resp = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(resp.status, 202);
  const creates = gw.vast.calls.filter((c) => c.op === "create").map((c) => c.path);
  assert.deepEqual(creates, ["/api/v0/asks/103/", "/api/v0/asks/102/"]);
  assert.equal(gw.vast.instances.size, 1);
});

test("warming_up → failed when Vast reports the instance exited; it is destroyed", async () => {
  gw = await startGateway();
  const wake = (await (await gw.request("/v1/worker/wake", { method: "POST" })).json()) as any;
  gw.vast.instances.get(wake.instance_id)!.actual_status = "exited";
  const failed = await waitForState(gw, "failed");
  assert.equal(failed.last_error.code, "instance_failed");
  assert.match(failed.last_error.message, /exited/);
  await waitFor(() => !gw!.vast.instances.has(wake.instance_id), 5000, "instance destroyed");
  const resp = await gw.request("/v1/jobs/x");
  assert.equal(resp.status, 503);
  assert.equal(((await resp.json()) as any).error.code, "instance_failed");
});

test("wake from failed provisions at once; wake when ready is 200", async () => {
  gw = await startGateway({}, { offers: false });
  const w1 = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(w1.status, 503);
  gw.vast.offers = [offer(301, 0.3)];
  const w2 = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(w2.status, 202);
  assert.equal(w2.headers.get("Retry-After"), "1");
  gw.origin.ready = true;
  await waitForState(gw, "ready");
  const w3 = await gw.request("/v1/worker/wake", { method: "POST" });
  assert.equal(w3.status, 200);
  assert.equal(((await w3.json()) as any).state, "ready");
  assert.equal(gw.vast.count("create"), 1);
});

for (const gone of ["reset", 530] as const) {
  test(`ready → the worker stops answering (${gone}) → failed origin_lost, destroyed → a new one`, async () => {
    gw = await startGateway({ ORIGIN_FAILURES: "3" });
    const first = await toReady(gw);
    gw.origin.gone = gone;
    for (let i = 0; i < 2; i++) {
      const resp = await gw.request("/v1/jobs/j1");
      assert.equal(resp.status, 502);
      assert.equal(((await resp.json()) as any).error.code, "origin_unreachable");
      assert.equal((await gw.worker()).state, "ready", "two failures are not a loss yet");
    }
    assert.equal((await gw.request("/v1/jobs/j1")).status, 502);
    const failed = await gw.worker();
    assert.equal(failed.state, "failed");
    assert.equal(failed.last_error.code, "origin_lost");
    await waitFor(() => !gw!.vast.instances.has(first.instance_id), 5000, "the lost instance destroyed");
    // The client hears why once; the next request provisions another worker.
    const told = await gw.request("/v1/jobs/j1");
    assert.equal(told.status, 503);
    assert.equal(((await told.json()) as any).error.code, "origin_lost");
    gw.origin.gone = null;
    gw.origin.ready = false;
    assert.equal((await gw.request("/v1/jobs/j1")).status, 202);
    gw.origin.ready = true;
    const second = await waitForState(gw, "ready");
    assert.notEqual(second.instance_id, first.instance_id);
    assert.equal(gw.vast.count("create"), 2);
    assert.equal((await gw.request("/v1/jobs/j1")).status, 200);
  });
}

test("a failure between answers is not a loss: the count starts over", async () => {
  gw = await startGateway({ ORIGIN_FAILURES: "2" });
  await toReady(gw);
  for (let i = 0; i < 3; i++) {
    gw.origin.gone = "reset";
    assert.equal((await gw.request("/v1/jobs/j1")).status, 502);
    gw.origin.gone = null;
    assert.equal((await gw.request("/v1/jobs/j1")).status, 200);
  }
  assert.equal((await gw.worker()).state, "ready");
  assert.equal(gw.vast.count("create"), 1);
});
