// The functions part of `npm run bench`: each Lambda bundle's size and its cold module-load
// time, the median over fresh Node processes, against an empty module loaded the same way;
// and, in the same process, what the function loads later, when its first event composes its
// ports (its adapters' chunks and the AWS SDK clients they use).

import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { bundleFunction, type Bundle } from "#infra/cdk/bundling.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";

const run = promisify(execFile);
// Inside node_modules, so the AWS SDK (provided by the Lambda runtime) resolves for the load.
export const benchBundleRoot = fileURLToPath(
  new URL("../node_modules/.cache/convene-bench-bundles/", import.meta.url),
);
/**
 * Times the import of the bundle, then that of its first-use module. The load's timing takes in
 * process.stdout's start (a few ms), as it always has: the empty module's figure is mostly that,
 * and a function's Powertools logger starts it while loading anyway.
 */
const probe = [
  "const t = performance.now(); await import(process.argv[1]); process.stdout; const load = performance.now() - t;",
  "const u = performance.now(); await import(process.argv[2]); const later = performance.now() - u;",
  "process.stdout.write(`${load} ${later}`);",
].join(" ");
const firstUseFile = "first-use.mjs";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Beside the bundle, a module that loads what the bundle leaves to its first event: every
 * chunk (the bundler keeps only the adapters of the function's needs) and every external
 * module a chunk or the entry imports (the SDK clients), as composing the ports would.
 */
const writeFirstUse = async (bundle: Bundle): Promise<string> => {
  const outdir = dirname(bundle.file);
  const outputs = Object.entries(bundle.metafile.outputs).filter(([path]) => path.endsWith(".mjs"));
  // Every output but the entry (a dynamically imported chunk has an entryPoint of its own).
  const chunks = outputs
    .filter(([path]) => resolve(path) !== bundle.file)
    .map(([path]) => `./${relative(outdir, resolve(path))}`);
  const externals = [
    ...new Set(outputs.flatMap(([, o]) => o.imports.filter((i) => i.external).map((i) => i.path))),
  ];
  const file = `${outdir}/${firstUseFile}`;
  await writeFile(
    file,
    `await Promise.all(${JSON.stringify([...chunks, ...externals])}.map((m) => import(m)));\n`,
  );
  return file;
};

/** Milliseconds to import `file`, then `later`, in a fresh process, `runs` times. */
const loadTimes = async (file: string, later: string, runs: number) => {
  const load: number[] = [];
  const firstUse: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe, file, later], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT", AWS_REGION: "eu-west-2" },
    });
    const [loaded, composed] = stdout.split(" ").map(Number);
    load.push(loaded!);
    firstUse.push(composed!);
  }
  return { loadMs: median(load), firstUseMs: median(firstUse) };
};

export interface ColdStartRow {
  name: string;
  /** The entry and its chunks, minified. */
  kilobytes: number;
  /** Importing the bundle, as Lambda's init does. */
  loadMs: number;
  /** Load time over the empty module's. */
  ratio: number;
  /** Then, in the same process, what its first event loads: its adapters and SDK clients. */
  firstUseMs: number;
}

export const benchColdStarts = async (
  runs = 7,
): Promise<{ runs: number; floorMs: number; rows: ColdStartRow[] }> => {
  await rm(benchBundleRoot, { recursive: true, force: true });
  await mkdir(benchBundleRoot, { recursive: true });
  const empty = `${benchBundleRoot}empty.mjs`;
  await writeFile(empty, "export {};\n");
  const floorMs = (await loadTimes(empty, empty, runs)).loadMs;
  // Bundled all at once (esbuild spreads the work over the cores), then loaded one at a time.
  const bundles = await Promise.all(
    functionEntries().map(async (entry) => ({
      entry,
      bundle: await bundleFunction(entry.entry, `${benchBundleRoot}${entry.name}`),
    })),
  );
  const rows: ColdStartRow[] = [];
  for (const { entry, bundle } of bundles) {
    const { loadMs, firstUseMs } = await loadTimes(bundle.file, await writeFirstUse(bundle), runs);
    rows.push({
      name: entry.name,
      kilobytes: bundle.bytes / 1024,
      loadMs,
      ratio: loadMs / floorMs,
      firstUseMs,
    });
  }
  return { runs, floorMs, rows };
};

export const renderColdStarts = ({
  runs,
  floorMs,
  rows,
}: Awaited<ReturnType<typeof benchColdStarts>>): string =>
  [
    "",
    `Functions — bundle size and cold module load (median of ${runs} fresh processes; empty module ${floorMs.toFixed(2)} ms; goal ≤ 100 ms)`,
    "  then, in the same process, what the first event loads: its adapters' chunks and the AWS SDK clients",
    ...rows.map(
      (r) =>
        `  ${r.name.padEnd(24)} ${r.kilobytes.toFixed(1).padStart(7)} KB ${r.kilobytes > 250 ? "over 250 KB" : "           "}  load ${r.loadMs.toFixed(1).padStart(6)} ms  ×${r.ratio.toFixed(1).padEnd(5)} the empty module  ${r.loadMs > 100 ? "over 100 ms" : "           "}  + first event ${r.firstUseMs.toFixed(1).padStart(6)} ms`,
    ),
  ].join("\n");
