import { defineConfig } from "vitest/config";

// The UI is served by `engine serve --ui` from dist/; `npm run dev` proxies
// the API to an engine at SAMWISE_ENGINE_URL (default the engine's default
// port). Not SAMWISE_ENGINE: the desktop app reads that as the engine binary.
const engine = process.env.SAMWISE_ENGINE_URL ?? "http://127.0.0.1:8321";

export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 400 },
  server: { proxy: { "/v1": engine, "/ready": engine, "/health": engine } },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
