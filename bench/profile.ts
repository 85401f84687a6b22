// Optional CPU profiles of the timed phases (`--profile DIR`): V8's sampling profiler through
// the inspector, one .cpuprofile per phase (open it in Chrome DevTools), and a summary of
// where this process's CPU went: by package (or project folder) and by the hottest functions.

import { writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Session } from "node:inspector/promises";
import type { Profiler } from "node:inspector";

export interface ProfileSummary {
  /** Share of samples per package or project folder, hottest first. */
  byArea: [string, number][];
  /** Share of samples per function (self time), hottest first. */
  topFunctions: [string, number][];
  /** Share of samples (inclusive) under each function or project file named here. */
  inclusive: Record<string, number>;
}

const root = process.cwd();

const areaOf = (url: string): string => {
  if (!url) return "(native / idle / gc)";
  const path = url.startsWith("file://") ? new URL(url).pathname : url;
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const parts = path.slice(nm + "/node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (path.startsWith("node:") || !path.startsWith("/")) return "node internals";
  const rel = relative(root, path);
  return rel.startsWith("..") ? path : rel.split("/").slice(0, 2).join("/");
};

const fileOf = (url: string): string =>
  url.startsWith("file://") ? relative(root, new URL(url).pathname) : url;

/**
 * Summarises a profile: self time by area and function, and inclusive time under each name in
 * `inclusiveOf`: a function name, or a project file ("shared/x.ts") for the functions in it
 * (arrow functions assigned to constants lose their names in the transpiled code).
 */
export const summarise = (profile: Profiler.Profile, inclusiveOf: readonly string[]): ProfileSummary => {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  const total = profile.samples?.length ?? 0;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>(inclusiveOf.map((name) => [name, 0]));
  for (const [id, n] of hits) {
    const node = nodes.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = functionName === "(idle)" ? "(idle)" : areaOf(url);
    byArea.set(area, (byArea.get(area) ?? 0) + n);
    const fn = `${functionName || "(anonymous)"} ${area}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + n);
    // Inclusive: count the sample once for each named function on its stack.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at)!.callFrame;
      for (const name of [frame.functionName, fileOf(frame.url)]) {
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, inclusive.get(name)! + n);
        }
      }
    }
  }
  const share = (m: Map<string, number>, limit: number): [string, number][] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, n]) => [k, total === 0 ? 0 : n / total]);
  return {
    byArea: share(byArea, 12),
    topFunctions: share(byFunction, 15),
    inclusive: Object.fromEntries([...inclusive].map(([k, n]) => [k, total === 0 ? 0 : n / total])),
  };
};

/** Profiles one phase when `dir` is set; otherwise just runs it. */
export const profiled = async <T>(
  dir: string | undefined,
  name: string,
  inclusiveOf: readonly string[],
  work: () => Promise<T>,
): Promise<{ result: T; summary?: ProfileSummary }> => {
  if (!dir) return { result: await work() };
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 500 });
    await session.post("Profiler.start");
    const result = await work();
    const { profile } = await session.post("Profiler.stop");
    await writeFile(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    return { result, summary: summarise(profile, inclusiveOf) };
  } finally {
    session.disconnect();
  }
};

export const renderSummary = (name: string, s: ProfileSummary): string =>
  [
    `  CPU profile of this process, ${name} (share of samples)`,
    `    by area        ${s.byArea.map(([a, x]) => `${a} ${(x * 100).toFixed(0)} %`).join(" · ")}`,
    `    inclusive      ${Object.entries(s.inclusive)
      .map(([f, x]) => `${f} ${(x * 100).toFixed(0)} %`)
      .join(" · ")}`,
    `    hottest (self) ${s.topFunctions
      .slice(0, 8)
      .map(([f, x]) => `${f} ${(x * 100).toFixed(1)} %`)
      .join("\n                   ")}`,
  ].join("\n");
