// The gateway Worker: request ids, client auth and routing. Control routes call the Durable
// Object over RPC; every other /v1/* request goes to its fetch(), which proxies or provisions.
//
//   GET  /v1/worker        worker state, instance, since, cost, last error
//   POST /v1/worker/wake   provision now (202 while warming up)
//   POST /v1/worker/stop   drain and destroy
//   *    /v1/...           proxied to the GPU worker when ready; 202 warming_up; 503 failed

import { clientTokens, type Env } from "./config.js";
import { bearerToken, tokenAllowed } from "./auth.js";
import { errorResponse, json, REQUEST_ID_HEADER, withRequestId } from "./http.js";
import { errorFields, newLogger, type Logger } from "./log.js";
import type { ControlResult, GatewayDO } from "./worker_do.js";

export { GatewayDO } from "./worker_do.js";

/** The one Durable Object that owns the worker lifecycle. */
function gateway(env: Env): DurableObjectStub<GatewayDO> {
  const ns = env.GATEWAY as unknown as DurableObjectNamespace<GatewayDO>;
  return ns.get(ns.idFromName("gpu"));
}

function controlResponse(r: ControlResult): Response {
  const headers: Record<string, string> = {};
  if (r.retry_after !== undefined) headers["Retry-After"] = String(r.retry_after);
  return json(r.status, r.body, headers);
}

async function route(req: Request, env: Env, requestId: string): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/\/+$/, "");
  const method = req.method.toUpperCase();
  const control: Record<string, [string, (stub: DurableObjectStub<GatewayDO>) => Promise<ControlResult>]> = {
    "/v1/worker": ["GET", (s) => s.status()],
    "/v1/worker/wake": ["POST", (s) => s.wake(requestId)],
    "/v1/worker/stop": ["POST", (s) => s.stop(requestId)],
  };
  const c = control[path];
  if (c) {
    if (method !== c[0]) {
      return errorResponse(405, "method_not_allowed", `${path} accepts ${c[0]} only`, { headers: { Allow: c[0] } });
    }
    return controlResponse(await c[1](gateway(env)));
  }
  if (url.pathname.startsWith("/v1/")) {
    const headers = new Headers(req.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    return gateway(env).fetch(new Request(req, { headers }));
  }
  return errorResponse(404, "not_found", `no route for ${url.pathname}; the gateway serves /v1/*`);
}

async function handle(req: Request, env: Env, requestId: string, log: Logger): Promise<Response> {
  const tokens = clientTokens(env);
  if (tokens.length === 0) log.error("CLIENT_TOKENS is not set; every request is rejected");
  if (!(await tokenAllowed(bearerToken(req), tokens))) {
    const msg = bearerToken(req) === null ? "missing bearer token" : "invalid bearer token";
    return errorResponse(401, "unauthorized", `${msg}: send Authorization: Bearer <client token>`, {
      headers: { "WWW-Authenticate": 'Bearer realm="samwise-gateway"' },
    });
  }
  return route(req, env, requestId);
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const requestId = req.headers.get("cf-ray") || crypto.randomUUID();
    const log = newLogger({ component: "gateway", request_id: requestId });
    const started = Date.now();
    let resp: Response;
    try {
      resp = await handle(req, env, requestId, log);
    } catch (err) {
      log.error("request failed", errorFields(err));
      resp = errorResponse(500, "internal", "the gateway failed to handle the request");
    }
    const path = new URL(req.url).pathname;
    log.info("request", { method: req.method, path, status: resp.status, duration_ms: Date.now() - started });
    return withRequestId(resp, requestId);
  },
} satisfies ExportedHandler<Env>;
