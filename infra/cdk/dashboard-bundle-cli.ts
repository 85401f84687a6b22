// `tsx infra/cdk/dashboard-bundle-cli.ts <web folder> <outdir>`: the dashboard asset's bundling
// (constructs/dashboard-hosting.ts), in a child process because the CDK bundles synchronously.
// It builds web/ into web/dist when the build is missing or stale, with the very function
// `npm start` uses (infra/local/dashboard-build.ts), and copies the build to CDK's folder.
// Vite runs locally: no network, no Docker.
import { cp } from "node:fs/promises";
import { join } from "node:path";
import { buildDashboardIfStale } from "../local/dashboard-build.ts";

const [webDir, outdir] = process.argv.slice(2);
if (!webDir || !outdir) {
  console.error("usage: dashboard-bundle-cli.ts <web folder> <outdir>");
  process.exit(2);
}
const state = await buildDashboardIfStale(webDir, join(webDir, "..", "package-lock.json"));
await cp(join(webDir, "dist"), outdir, { recursive: true });
console.error(`dashboard: ${state === "built" ? "built" : "up to date"} (${join(webDir, "dist")})`);
