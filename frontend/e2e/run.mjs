// Runs the browser tests with node's test runner: `node e2e/run.mjs`
// (the image, tools and concept tests and the desktop bridge), `node e2e/run.mjs video` (the
// video tests and the placement question) or
// `node e2e/run.mjs concept` (one spec file by name).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const which = process.argv[2] ?? "image";
const groups = { image: ["image", "tools", "concept", "desktop"], video: ["video", "placement"] };
const specs = (groups[which] ?? [which]).map((name) => path.join(here, `${name}.spec.mjs`));
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", ...specs], { stdio: "inherit" });
process.exit(r.status ?? 1);
