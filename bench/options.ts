// Command-line and environment options of `npm run bench`.

/** The parts of the benchmark, in the order they run. */
export const sections = ["pipeline", "ballots", "overview", "functions", "scale", "series"] as const;
export type Section = (typeof sections)[number];

export interface BenchOptions {
  /** The parts to run (all by default); `functions` times the API's cold requests only with `overview`. */
  sections: ReadonlySet<Section>;
  /** Fresh processes each function's cold module load is timed in (the median is reported). */
  loadRuns: number;
  groups: number;
  members: number;
  /** Print one JSON object on stdout instead of the table. */
  json: boolean;
  /** Untimed SES + DynamoDB pairs sent first, so neither timed phase pays the emulators' JIT warm-up. */
  warmup: number;
  /** Concurrency of the untimed seeding. */
  seedConcurrency: number;
  /** Runs the floor at this concurrency instead of the one measured in the pipeline. */
  floorConcurrency: number | undefined;
  /** Writes CPU profiles of the timed phases here and prints where the CPU went. */
  profileDir: string | undefined;
  /** Groups whose health the overview section seeds and reads. */
  overviewGroups: number;
  /** Timed overview reads (and as many floor reads). */
  overviewReads: number;
  /** Fresh processes per route that the API's cold requests are timed in. */
  apiProcesses: number;
  /** Groups of the scale model's simulated umbrella. */
  scaleGroups: number;
  /** Weekly series created and materialised (one per group) by the series section. */
  series: number;
}

export const usage = `Usage: npm run bench -- [--groups G] [--members M] [--warmup N] [--json]
                           [--floor-concurrency C] [--profile DIR] [--seed-concurrency S]
                           [--overview-groups O] [--overview-reads R] [--load-runs L]
                           [--api-processes P] [--scale-groups N] [--series S]
                           [--sections LIST]

  --groups G               groups to seed (default 200; env BENCH_GROUPS)
  --members M              members per group, each with one email reminder 48 h before
                           (default 25; env BENCH_MEMBERS)
  --warmup N               untimed PutItem + SendEmail pairs before the timed phases
                           (default 500; env BENCH_WARMUP)
  --json                   print the figures as one JSON object instead of a table
  --floor-concurrency C    run the floor C pairs at a time instead of at the concurrency
                           measured in the pipeline
  --profile DIR            write CPU profiles of the timed phases (pipeline.cpuprofile,
                           floor.cpuprofile) to DIR and print where this process's CPU went;
                           profiling slows both phases
  --seed-concurrency S     requests in flight while seeding (default 32)
  --overview-groups O      groups whose health the organisation overview reads (default 1000;
                           env BENCH_OVERVIEW_GROUPS)
  --overview-reads R       timed overview reads, each paired with a floor read (default 100)
  --api-processes P        fresh processes per route for the API's cold requests (default 20)
  --scale-groups N         groups of the umbrella the scale model simulates (default 10000)
  --series S               weekly series (one per group) created and materialised 13 weeks
                           ahead (default 500; env BENCH_SERIES)
  --load-runs L            fresh processes each function's cold load is timed in (default 7)
  --sections LIST          which parts to run, comma-separated, of ${sections.join(", ")}
                           (default all; the API's cold requests need overview and functions)
`;

const positiveInteger = (name: string, raw: string | undefined, fallback: number, min = 1): number => {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${name} must be an integer ≥ ${min}, not "${raw}"`);
  return value;
};

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Flags win over the environment; `--name value` and `--name=value` both work. */
export const parseOptions = (argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions | "help" => {
  const flags = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--json") {
      json = true;
      continue;
    }
    const match =
      /^--(groups|members|warmup|seed-concurrency|floor-concurrency|profile|overview-groups|overview-reads|load-runs|api-processes|scale-groups|series|sections)(?:=(.*))?$/.exec(
        arg,
      );
    if (!match) throw new UsageError(`unknown argument "${arg}"`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${match[1]} needs a value`);
    flags.set(match[1]!, value);
  }
  const chosen = flags
    .get("sections")
    ?.split(",")
    .map((name) => name.trim()) ?? [...sections];
  const unknown = chosen.filter((name) => !(sections as readonly string[]).includes(name));
  if (unknown.length > 0 || chosen.length === 0)
    throw new UsageError(`--sections takes names of ${sections.join(", ")}, not "${flags.get("sections")}"`);
  return {
    sections: new Set(chosen as Section[]),
    loadRuns: positiveInteger("--load-runs", flags.get("load-runs"), 7),
    groups: positiveInteger("--groups", flags.get("groups") ?? env.BENCH_GROUPS, 200),
    members: positiveInteger("--members", flags.get("members") ?? env.BENCH_MEMBERS, 25),
    warmup: positiveInteger("--warmup", flags.get("warmup") ?? env.BENCH_WARMUP, 500, 0),
    seedConcurrency: positiveInteger("--seed-concurrency", flags.get("seed-concurrency"), 32),
    floorConcurrency: flags.has("floor-concurrency")
      ? positiveInteger("--floor-concurrency", flags.get("floor-concurrency"), 1)
      : undefined,
    profileDir: flags.get("profile"),
    overviewGroups: positiveInteger(
      "--overview-groups",
      flags.get("overview-groups") ?? env.BENCH_OVERVIEW_GROUPS,
      1000,
    ),
    overviewReads: positiveInteger("--overview-reads", flags.get("overview-reads"), 100),
    apiProcesses: positiveInteger("--api-processes", flags.get("api-processes"), 20),
    scaleGroups: positiveInteger("--scale-groups", flags.get("scale-groups"), 10_000),
    series: positiveInteger("--series", flags.get("series") ?? env.BENCH_SERIES, 500),
    json: json || env.BENCH_JSON === "1",
  };
};
