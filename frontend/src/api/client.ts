// The one way the UI talks to the engine: same-origin /v1 requests with the
// bearer token (asked once when the engine wants one, kept in localStorage),
// errors turned into ApiError with the engine's message.
import type { ErrorResponse } from "./types.gen";

const tokenKey = "samwise.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Asks the user for a token; null when they decline. */
export type TokenPrompt = (reason: string) => Promise<string | null>;

export class Client {
  private asking: Promise<string | null> | null = null;

  constructor(
    private readonly askToken: TokenPrompt,
    private readonly base = "",
  ) {}

  private get token(): string | null {
    return localStorage.getItem(tokenKey);
  }

  private headers(extra?: Record<string, string>): Headers {
    const h = new Headers(extra);
    const t = this.token;
    if (t) h.set("Authorization", `Bearer ${t}`);
    return h;
  }

  /** Sends a request; on 401 asks for a token once and retries. */
  async fetch(method: string, path: string, body?: BodyInit, headers?: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let resp: Response;
      try {
        resp = await fetch(this.base + path, { method, body, headers: this.headers(headers), signal });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw new ApiError(0, "unreachable", `cannot reach the engine (${(e as Error).message}): is it running?`);
      }
      if (resp.status === 401 && attempt === 0) {
        this.asking ??= this.askToken("The engine needs its access token.").finally(() => (this.asking = null));
        const tok = await this.asking;
        if (tok) {
          localStorage.setItem(tokenKey, tok.trim());
          continue;
        }
      }
      if (!resp.ok) throw await toError(resp);
      return resp;
    }
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const resp = await this.fetch(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? { Accept: "application/json" } : { "Content-Type": "application/json", Accept: "application/json" },
    );
    return (await resp.json()) as T;
  }

  async blob(path: string): Promise<Blob> {
    return (await this.fetch("GET", path)).blob();
  }

  /** Downloads a file; the name comes from Content-Disposition. */
  async download(path: string): Promise<{ blob: Blob; filename: string }> {
    const resp = await this.fetch("GET", path);
    const cd = resp.headers.get("Content-Disposition") ?? "";
    const m = /filename="?([^";]+)"?/.exec(cd);
    return { blob: await resp.blob(), filename: m ? m[1] : "export" };
  }
}

async function toError(resp: Response): Promise<ApiError> {
  const text = await resp.text();
  try {
    const env = JSON.parse(text) as ErrorResponse;
    if (env.error?.message) return new ApiError(resp.status, env.error.code, env.error.message, env.error.details);
  } catch {
    // not the envelope
  }
  return new ApiError(resp.status, String(resp.status), text.trim() || resp.statusText);
}
