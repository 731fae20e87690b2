// Runs the browser tests with node's test runner: `node e2e/run.mjs`
// (image tests) or `node e2e/run.mjs video` (the video tests).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const which = process.argv[2] ?? "image";
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", path.join(here, `${which}.spec.mjs`)], { stdio: "inherit" });
process.exit(r.status ?? 1);
