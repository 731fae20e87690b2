// Forwarding a client request to the tunnel origin. The client's Authorization header is replaced
// by the origin's token; bodies stream through in both directions.

import { REQUEST_ID_HEADER } from "./http.js";

const HOP_BY_HOP = new Set([
  "authorization",
  "connection",
  "host",
  "keep-alive",
  "proxy-authorization",
  "proxy-authenticate",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** originRequest builds the request to send to originUrl for the incoming client request. */
export function originRequest(req: Request, originUrl: string, originToken: string, requestId: string): Request {
  const inUrl = new URL(req.url);
  const target = originUrl + inUrl.pathname + inUrl.search;
  const headers = new Headers();
  for (const [k, v] of req.headers) {
    const name = k.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith("cf-")) continue;
    headers.set(k, v);
  }
  headers.set("Authorization", `Bearer ${originToken}`);
  headers.set(REQUEST_ID_HEADER, requestId);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(target, {
    method: req.method,
    headers,
    body: hasBody ? req.body : null,
    redirect: "manual",
  });
}

/** originReady asks the origin's /ready (through the tunnel); only a 200 counts. */
export async function originReady(originUrl: string, originToken: string, timeoutMs: number): Promise<boolean> {
  try {
    const resp = await fetch(originUrl + "/ready", {
      headers: { Authorization: `Bearer ${originToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await resp.body?.cancel();
    return resp.status === 200;
  } catch {
    return false;
  }
}
