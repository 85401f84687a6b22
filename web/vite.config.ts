import { defineConfig } from "vite";

// `npm start` builds this folder into web/dist when it is stale (infra/local/dashboard-build.ts)
// and serves it. While working on the pages, `npx vite web` serves them with live reload and
// sends /api to a running `npm start`.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 300 },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
