// Auth on every route, the error envelope, request ids and log hygiene.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CLIENT_TOKEN, ORIGIN_TOKEN, startGateway, VAST_KEY, type Gateway } from "./harness.js";

let gw: Gateway;
before(async () => {
  gw = await startGateway();
});
after(async () => {
  await gw.close();
});

const routes: [string, string][] = [
  ["GET", "/v1/worker"],
  ["POST", "/v1/worker/wake"],
  ["POST", "/v1/worker/stop"],
  ["POST", "/v1/pvs/image"],
  ["GET", "/v1/jobs/abc"],
  ["GET", "/nope"],
];

test("requests without a token get 401 with the JSON envelope on every route", async () => {
  for (const [method, path] of routes) {
    const resp = await gw.request(path, { method, token: null });
    assert.equal(resp.status, 401, `${method} ${path}`);
    assert.match(resp.headers.get("WWW-Authenticate") ?? "", /^Bearer/);
    assert.ok(resp.headers.get("X-Request-Id"));
    const body = (await resp.json()) as any;
    assert.equal(body.error.code, "unauthorized");
    assert.match(body.error.message, /missing bearer token/);
  }
});

test("requests with a wrong token get 401 on every route", async () => {
  for (const [method, path] of routes) {
    for (const token of ["wrong", CLIENT_TOKEN + "x", CLIENT_TOKEN.slice(0, -1), ORIGIN_TOKEN, VAST_KEY]) {
      const resp = await gw.request(path, { method, token });
      assert.equal(resp.status, 401, `${method} ${path} with ${token}`);
      const body = (await resp.json()) as any;
      assert.equal(body.error.code, "unauthorized");
      assert.match(body.error.message, /invalid bearer token/);
    }
  }
  const basic = await gw.request("/v1/worker", { token: null, headers: { Authorization: `Basic ${CLIENT_TOKEN}` } });
  assert.equal(basic.status, 401);
  // Nothing was provisioned by any rejected request.
  assert.equal(gw.vast.calls.length, 0);
});

test("each configured client token is accepted", async () => {
  for (const token of [CLIENT_TOKEN, "client-token-b"]) {
    const resp = await gw.request("/v1/worker", { token });
    assert.equal(resp.status, 200);
    assert.equal(((await resp.json()) as any).state, "off");
  }
});

test("unknown routes are 404 and wrong methods 405, in the envelope", async () => {
  const nf = await gw.request("/health");
  assert.equal(nf.status, 404);
  assert.equal(((await nf.json()) as any).error.code, "not_found");
  const na = await gw.request("/v1/worker", { method: "DELETE" });
  assert.equal(na.status, 405);
  assert.equal(na.headers.get("Allow"), "GET");
  assert.equal(((await na.json()) as any).error.code, "method_not_allowed");
});

test("the request id is cf-ray when present, else generated, and is logged", async () => {
  const withRay = await gw.request("/v1/worker", { headers: { "cf-ray": "8f00ba5eba11-LHR" } });
  assert.equal(withRay.headers.get("X-Request-Id"), "8f00ba5eba11-LHR");
  const a = (await gw.request("/v1/worker")).headers.get("X-Request-Id");
  const b = (await gw.request("/v1/worker")).headers.get("X-Request-Id");
  assert.ok(a && b && a !== b);
  await new Promise((r) => setTimeout(r, 200));
  const line = gw.logs.find((l) => l.msg === "request" && l.request_id === "8f00ba5eba11-LHR");
  assert.ok(line, "request log line with the cf-ray id");
  assert.equal(line.status, 200);
  assert.equal(line.path, "/v1/worker");
});

test("logs are JSON objects and never contain a secret", async () => {
  await new Promise((r) => setTimeout(r, 200));
  const ours = gw.rawOutput.filter((l) => l.startsWith("{"));
  assert.ok(ours.length > 10);
  for (const line of ours) assert.doesNotThrow(() => JSON.parse(line));
  const all = gw.rawOutput.join("\n");
  for (const secret of [CLIENT_TOKEN, "client-token-b", ORIGIN_TOKEN, VAST_KEY, "tunnel-token-xyz"]) {
    assert.ok(!all.includes(secret), `a log line contains ${secret}`);
  }
});
