// JSON responses and the error envelope shared with the engine:
// {"error": {"code": "...", "message": "...", "details"?: {...}}}

export const REQUEST_ID_HEADER = "X-Request-Id";

export function json(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const h = new Headers(headers);
  h.set("Content-Type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  opts: { details?: unknown; headers?: HeadersInit } = {},
): Response {
  const error: Record<string, unknown> = { code, message };
  if (opts.details !== undefined) error.details = opts.details;
  return json(status, { error }, opts.headers);
}

/** withRequestId returns resp with the X-Request-Id header set (copying if immutable). */
export function withRequestId(resp: Response, requestId: string): Response {
  const out = new Response(resp.body, resp);
  out.headers.set(REQUEST_ID_HEADER, requestId);
  return out;
}
