// Bindings, secrets and vars of the gateway, and the parsed configuration.
//
// Every setting is a plain string var in wrangler.toml (or a secret); Config turns them into
// typed values with defaults in one place. Durations are seconds and may be fractional so
// tests can run real alarms in well under a second.

export interface Env {
  GATEWAY: DurableObjectNamespace;

  // Secrets (wrangler secret put NAME). Never logged.
  VAST_API_KEY?: string;
  ORIGIN_TOKEN?: string;
  CLIENT_TOKENS?: string;
  TUNNEL_TOKEN?: string;

  // Vars.
  ORIGIN_URL?: string;
  VAST_BASE_URL?: string;
  VAST_IMAGE?: string;
  VAST_LABEL?: string;
  VAST_RUNTYPE?: string;
  VAST_DISK_GB?: string;
  VAST_MIN_GPU_RAM_GB?: string;
  VAST_MIN_RELIABILITY?: string;
  VAST_MAX_DPH?: string;
  VAST_GPU_NAMES?: string;
  VAST_MIN_INET_DOWN_MBPS?: string;
  VAST_RETRIES?: string;
  VAST_BACKOFF_MS?: string;
  VAST_TIMEOUT_S?: string;
  WARMUP_TIMEOUT_S?: string;
  POLL_INTERVAL_S?: string;
  RETRY_AFTER_S?: string;
  IDLE_TIMEOUT_S?: string;
  MAX_LIFETIME_S?: string;
  DRAIN_GRACE_S?: string;
  ORIGIN_FAILURES?: string;
  DESTROY_CHECK_S?: string;
  DESTROY_BACKOFF_MAX_S?: string;
  REAP_INTERVAL_S?: string;
  ACTIVITY_WRITE_S?: string;
}

export interface Config {
  originUrl: string;
  vastBaseUrl: string;
  image: string;
  label: string;
  runtype: string;
  diskGb: number;
  minGpuRamGb: number;
  minReliability: number;
  maxDph: number;
  gpuNames: string[];
  minInetDownMbps: number;
  vastRetries: number;
  vastBackoffMs: number;
  vastTimeoutMs: number;
  warmupTimeoutMs: number;
  pollIntervalMs: number;
  retryAfterS: number;
  idleTimeoutMs: number;
  maxLifetimeMs: number;
  drainGraceMs: number;
  originFailures: number;
  destroyCheckMs: number;
  destroyBackoffMaxMs: number;
  reapIntervalMs: number;
  activityWriteMs: number;
}

export const DEFAULT_VAST_BASE_URL = "https://console.vast.ai/api/v0";

function num(v: string | undefined, def: number): number {
  if (v === undefined || v.trim() === "") return def;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : def;
}

function str(v: string | undefined, def: string): string {
  return v === undefined || v.trim() === "" ? def : v.trim();
}

function list(v: string | undefined): string[] {
  return (v ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

const sec = (v: string | undefined, def: number) => Math.round(num(v, def) * 1000);

export function loadConfig(env: Env): Config {
  return {
    originUrl: str(env.ORIGIN_URL, "").replace(/\/+$/, ""),
    vastBaseUrl: str(env.VAST_BASE_URL, DEFAULT_VAST_BASE_URL).replace(/\/+$/, ""),
    image: str(env.VAST_IMAGE, ""),
    label: str(env.VAST_LABEL, "samwise-gateway"),
    runtype: str(env.VAST_RUNTYPE, "args"),
    diskGb: num(env.VAST_DISK_GB, 20),
    minGpuRamGb: num(env.VAST_MIN_GPU_RAM_GB, 16),
    minReliability: num(env.VAST_MIN_RELIABILITY, 0.98),
    maxDph: num(env.VAST_MAX_DPH, 1.0),
    gpuNames: list(env.VAST_GPU_NAMES),
    minInetDownMbps: num(env.VAST_MIN_INET_DOWN_MBPS, 0),
    vastRetries: Math.floor(num(env.VAST_RETRIES, 5)),
    vastBackoffMs: num(env.VAST_BACKOFF_MS, 150),
    vastTimeoutMs: sec(env.VAST_TIMEOUT_S, 30),
    warmupTimeoutMs: sec(env.WARMUP_TIMEOUT_S, 900),
    pollIntervalMs: sec(env.POLL_INTERVAL_S, 10),
    retryAfterS: Math.max(1, Math.ceil(num(env.RETRY_AFTER_S, 10))),
    idleTimeoutMs: sec(env.IDLE_TIMEOUT_S, 900),
    maxLifetimeMs: sec(env.MAX_LIFETIME_S, 4 * 3600),
    drainGraceMs: sec(env.DRAIN_GRACE_S, 100),
    originFailures: Math.max(1, Math.floor(num(env.ORIGIN_FAILURES, 3))),
    destroyCheckMs: sec(env.DESTROY_CHECK_S, 5),
    destroyBackoffMaxMs: sec(env.DESTROY_BACKOFF_MAX_S, 300),
    reapIntervalMs: sec(env.REAP_INTERVAL_S, 300),
    activityWriteMs: sec(env.ACTIVITY_WRITE_S, 30),
  };
}

/** The client tokens accepted by the gateway (secret CLIENT_TOKENS, comma-separated). */
export function clientTokens(env: Env): string[] {
  return list(env.CLIENT_TOKENS);
}
