// The functions part of `npm run bench`: each Lambda bundle's size and its cold module-load
// time, the median over fresh Node processes, against an empty module loaded the same way.

import { execFile } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { bundleFunction } from "#infra/cdk/bundling.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";

const run = promisify(execFile);
// Inside node_modules, so the AWS SDK (provided by the Lambda runtime) resolves for the load.
const outRoot = fileURLToPath(new URL("../node_modules/.cache/convene-bench-bundles/", import.meta.url));
const probe =
  "const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Milliseconds to import `file` in a fresh process, `runs` times. */
const loadTimes = async (file: string, runs: number): Promise<number[]> => {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe, file], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: "SILENT", AWS_REGION: "eu-west-2" },
    });
    times.push(Number(stdout));
  }
  return times;
};

export interface ColdStartRow {
  name: string;
  kilobytes: number;
  loadMs: number;
  /** Load time over the empty module's. */
  ratio: number;
}

export const benchColdStarts = async (runs = 7): Promise<{ floorMs: number; rows: ColdStartRow[] }> => {
  await rm(outRoot, { recursive: true, force: true });
  await mkdir(outRoot, { recursive: true });
  const empty = `${outRoot}empty.mjs`;
  await writeFile(empty, "export {};\n");
  const floorMs = median(await loadTimes(empty, runs));
  const rows: ColdStartRow[] = [];
  for (const entry of functionEntries()) {
    const bundle = await bundleFunction(entry.entry, `${outRoot}${entry.name}`);
    const loadMs = median(await loadTimes(bundle.file, runs));
    rows.push({ name: entry.name, kilobytes: bundle.bytes / 1024, loadMs, ratio: loadMs / floorMs });
  }
  return { floorMs, rows };
};

export const renderColdStarts = ({ floorMs, rows }: Awaited<ReturnType<typeof benchColdStarts>>): string =>
  [
    "",
    `Functions — bundle size and cold module load (median of 7 fresh processes; empty module ${floorMs.toFixed(2)} ms)`,
    ...rows.map(
      (r) =>
        `  ${r.name.padEnd(24)} ${r.kilobytes.toFixed(1).padStart(7)} KB ${r.kilobytes > 250 ? "over 250 KB" : "           "}  load ${r.loadMs.toFixed(1).padStart(6)} ms  ×${r.ratio.toFixed(1)} the empty module`,
    ),
  ].join("\n");
