// Test harness: runs the built gateway (build/src/index.js) in workerd through Miniflare 4, with
// the vars of wrangler.toml overridden by short test durations and loopback URLs, and captures
// the Worker's structured JSON logs.

import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { Origin } from "./origin.js";
import { offer, VastStandin } from "./vast_standin.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = fileURLToPath(new URL("../src/index.js", import.meta.url));

export const CLIENT_TOKEN = "client-token-a";
export const ORIGIN_TOKEN = "origin-secret-token";
export const VAST_KEY = "vast-test-key";

/** wranglerConfig reads compatibility_date and [vars] from wrangler.toml (flat string keys only). */
export function wranglerConfig(): { compatibilityDate: string; vars: Record<string, string> } {
  const text = readFileSync(ROOT + "wrangler.toml", "utf8");
  const date = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(text)?.[1];
  if (!date) throw new Error("wrangler.toml has no compatibility_date");
  const vars: Record<string, string> = {};
  const section = text.split(/^\[vars\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  for (const m of section.matchAll(/^([A-Z0-9_]+)\s*=\s*"([^"]*)"/gm)) vars[m[1]!] = m[2]!;
  return { compatibilityDate: date, vars };
}

export interface Gateway {
  mf: Miniflare;
  vast: VastStandin;
  origin: Origin;
  logs: Record<string, unknown>[];
  rawOutput: string[];
  /** request sends to the gateway with the client token (token: null sends none). */
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  worker(): Promise<Record<string, any>>;
  /** restart kills workerd and starts it again on the same storage (needs persistDir). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  offers?: boolean; // seed the Vast stand-in with offers (default true)
  persistDir?: string; // keep Durable Object storage on disk across restart()
}

export async function startGateway(vars: Record<string, string> = {}, opts: StartOptions = {}): Promise<Gateway> {
  const vast = await new VastStandin(VAST_KEY).start();
  const origin = await new Origin().start();
  if (opts.offers !== false) {
    vast.offers = [offer(101, 0.45), offer(102, 0.29), offer(103, 0.29, { reliability: 0.999 }), offer(104, 0.2, { gpu_ram: 8000 })];
  }
  const wr = wranglerConfig();
  const logs: Record<string, unknown>[] = [];
  const rawOutput: string[] = [];
  const collect = (stream: Readable) => {
    createInterface({ input: stream }).on("line", (line) => {
      rawOutput.push(line);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours (workerd notices)
      }
    });
  };
  const newMiniflare = () => new Miniflare({
    modules: true,
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
    scriptPath: SCRIPT,
    compatibilityDate: wr.compatibilityDate,
    durableObjects: { GATEWAY: { className: "GatewayDO", useSQLite: true } },
    durableObjectsPersist: opts.persistDir ?? false,
    bindings: {
      ...wr.vars,
      CLIENT_TOKENS: `${CLIENT_TOKEN}, client-token-b`,
      VAST_API_KEY: VAST_KEY,
      ORIGIN_TOKEN,
      TUNNEL_TOKEN: "tunnel-token-xyz",
      ORIGIN_URL: origin.url,
      VAST_BASE_URL: vast.url,
      VAST_IMAGE: "samwise/worker:test",
      VAST_LABEL: "samwise-test-owner",
      VAST_MIN_INET_DOWN_MBPS: "0",
      VAST_BACKOFF_MS: "20",
      VAST_RETRIES: "3",
      POLL_INTERVAL_S: "0.2",
      RETRY_AFTER_S: "1",
      DESTROY_CHECK_S: "0.2",
      DESTROY_BACKOFF_MAX_S: "1",
      ACTIVITY_WRITE_S: "0",
      ...vars,
    },
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      collect(stdout);
      collect(stderr);
    },
  });
  const mf = newMiniflare();
  await mf.ready;
  const gw: Gateway = {
    mf,
    vast,
    origin,
    logs,
    rawOutput,
    async request(path, init = {}) {
      const { token = CLIENT_TOKEN, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set("Authorization", `Bearer ${token}`);
      const resp = await gw.mf.dispatchFetch(`http://gateway.test${path}`, { ...rest, headers } as any);
      return resp as unknown as Response;
    },
    async worker() {
      const resp = await gw.request("/v1/worker");
      return (await resp.json()) as Record<string, any>;
    },
    async restart() {
      await gw.mf.dispose();
      gw.mf = newMiniflare();
      await gw.mf.ready;
    },
    async close() {
      await gw.mf.dispose();
      await vast.close();
      await origin.close();
    },
  };
  return gw;
}

/** waitFor polls fn until it returns a truthy value or timeoutMs passes. */
export async function waitFor<T>(fn: () => Promise<T> | T, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** waitForState polls GET /v1/worker until the state is `state`. */
export async function waitForState(gw: Gateway, state: string, timeoutMs = 10_000): Promise<Record<string, any>> {
  let last: Record<string, any> = {};
  try {
    return await waitFor(async () => {
      last = await gw.worker();
      return last.state === state ? last : undefined;
    }, timeoutMs, `state ${state}`) as Record<string, any>;
  } catch (err) {
    throw new Error(`${(err as Error).message}; last view ${JSON.stringify(last)}`);
  }
}
