// What to rent: the Vast search query, the choice among offers, and the create fields.
// Units follow shared/reference/remote.md §1.3 (gpu_ram in MB, dph_total in $/hour).

import type { Config, Env } from "./config.js";
import type { Offer } from "./vast.js";

/** offerQuery is the search body for POST /bundles/. */
export function offerQuery(cfg: Config): Record<string, unknown> {
  const q: Record<string, unknown> = {
    verified: { eq: true },
    external: { eq: false },
    rentable: { eq: true },
    rented: { eq: false },
    num_gpus: { eq: 1 },
    gpu_ram: { gte: Math.round(cfg.minGpuRamGb * 1000) },
    reliability: { gte: cfg.minReliability },
    dph_total: { lte: cfg.maxDph },
    order: [["dph_total", "asc"]],
    type: "on-demand",
    limit: 20,
    allocated_storage: cfg.diskGb,
  };
  if (cfg.gpuNames.length > 0) q.gpu_name = { in: cfg.gpuNames };
  if (cfg.minInetDownMbps > 0) q.inet_down = { gte: cfg.minInetDownMbps };
  return q;
}

/**
 * rankOffers re-applies the filters (never trust a search to have honoured every one) and orders
 * the survivors best first: cheapest, then most reliable, then lowest id for a stable order.
 */
export function rankOffers(offers: Offer[], cfg: Config): Offer[] {
  const ok = offers.filter(
    (o) =>
      Number.isInteger(o.id) &&
      typeof o.dph_total === "number" &&
      o.dph_total <= cfg.maxDph &&
      (o.gpu_ram ?? 0) >= cfg.minGpuRamGb * 1000 &&
      (o.reliability ?? 0) >= cfg.minReliability &&
      (cfg.gpuNames.length === 0 || cfg.gpuNames.includes(String(o.gpu_name))),
  );
  return ok.sort(
    (a, b) => a.dph_total - b.dph_total || (b.reliability ?? 0) - (a.reliability ?? 0) || a.id - b.id,
  );
}

/**
 * createFields is the body of PUT /asks/{offer_id}/. cancel_unavail is always true so a failed
 * scheduling errors instead of leaving a stopped instance that bills storage. The env carries only
 * revocable material: the tunnel token and the token the remote engine must require.
 */
export function createFields(cfg: Config, env: Env): Record<string, unknown> {
  const instanceEnv: Record<string, string> = {
    SAMWISE_LISTEN: "127.0.0.1:8080",
    SAMWISE_IDLE_TIMEOUT_S: String(Math.ceil(cfg.idleTimeoutMs / 1000)),
  };
  if (env.ORIGIN_TOKEN) instanceEnv.SAMWISE_TOKEN = env.ORIGIN_TOKEN;
  if (env.TUNNEL_TOKEN) instanceEnv.TUNNEL_TOKEN = env.TUNNEL_TOKEN;
  return {
    client_id: "me",
    image: cfg.image,
    disk: cfg.diskGb,
    label: cfg.label,
    runtype: cfg.runtype,
    env: instanceEnv,
    cancel_unavail: true,
  };
}
