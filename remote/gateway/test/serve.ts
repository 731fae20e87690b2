// serve runs the built gateway in workerd on a loopback port, for tests outside Node: the
// engine's end-to-end test of burst_via gateway (engine/burst, Go). Bindings are wrangler.toml's
// [vars] overridden by the JSON object in GATEWAY_BINDINGS (secrets included: test values
// only). It prints "gateway listening on <url>" on stdout, copies the Worker's log lines to
// stderr, and stops on SIGTERM or when stdin closes.

import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { wranglerConfig } from "./harness.js";

const SCRIPT = fileURLToPath(new URL("../src/index.js", import.meta.url));

const wr = wranglerConfig();
const bindings = JSON.parse(process.env.GATEWAY_BINDINGS ?? "{}") as Record<string, string>;
const mf = new Miniflare({
  modules: true,
  modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
  scriptPath: SCRIPT,
  compatibilityDate: wr.compatibilityDate,
  durableObjects: { GATEWAY: { className: "GatewayDO", useSQLite: true } },
  durableObjectsPersist: false,
  bindings: { ...wr.vars, ...bindings },
  host: "127.0.0.1",
  port: 0,
  handleRuntimeStdio(stdout: Readable, stderr: Readable) {
    stdout.pipe(process.stderr);
    stderr.pipe(process.stderr);
  },
});
const url = await mf.ready;
process.stdout.write(`gateway listening on ${url.origin}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await mf.dispose();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.stdin.on("end", () => void stop());
process.stdin.resume();
