import { existsSync, readdirSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";

/** The newest modification time among the files of `dir`, skipping build output (dist, dot folders). */
const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
};

/**
 * Builds the dashboard (web/) into web/dist with Vite when the build is missing or older than
 * a source file or the lockfile, so `npm start` serves it as the sources stand; otherwise it
 * costs a directory walk. The build goes to a folder of its own and is then swapped in, so
 * two platforms starting at once (the e2e and browser tests) never see a half-written dist.
 */
export const buildDashboardIfStale = async (webDir: string, lockfile: string): Promise<"built" | "fresh"> => {
  const dist = join(webDir, "dist");
  const builtAt = join(dist, "index.html");
  const sourcesAt = Math.max(newestSource(webDir), existsSync(lockfile) ? statSync(lockfile).mtimeMs : 0);
  if (existsSync(builtAt) && statSync(builtAt).mtimeMs >= sourcesAt) return "fresh";

  const staging = join(webDir, `.build-${process.pid}`);
  const { build } = await import("vite");
  await build({ root: webDir, logLevel: "warn", build: { outDir: staging, emptyOutDir: true } });
  await rm(dist, { recursive: true, force: true });
  try {
    await rename(staging, dist);
  } catch (error) {
    // Another platform swapped its build in between: use that one.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(builtAt)) throw error;
  }
  return "built";
};
