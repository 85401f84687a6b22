import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { functionEntries } from "#infra/cdk/function-entries.ts";

// `npm run bench` must not rot: a change that breaks it (a runtime it reads from outside, a
// section that throws, an invariant it checks: every member reminded once, no dead letter, no
// schedule left) fails here. A small run of every section; its figures are not judged, only
// that it ran to the end and printed them.

const groups = 3;
const members = 4;

/** Runs the bench as `npm run bench` does (tsx on this Node), and collects what it prints. */
const runBench = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "bench/run.ts", ...args], {
      env: { ...process.env, BENCH_JSON: undefined, BENCH_GROUPS: undefined, BENCH_MEMBERS: undefined },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });

describe("npm run bench, small", () => {
  it("runs every section to the end, its own checks passing, and prints each", async () => {
    const { code, stdout, stderr } = await runBench([
      ...["--groups", String(groups), "--members", String(members), "--warmup", "10"],
      ...["--overview-groups", "3", "--overview-reads", "2", "--load-runs", "1", "--api-processes", "2"],
      ...["--scale-groups", "300", "--series", "3"],
    ]);
    expect(stderr).not.toContain("[bench] FAILED");
    expect(code, stderr.slice(-2000)).toBe(0);

    const reminders = groups * members;
    expect(stdout).toContain("Convene reminder pipeline benchmark");
    expect(stdout).toContain(`sent               pipeline ${reminders} · floor ${reminders} emails`);
    expect(stdout).toMatch(
      new RegExp(`planning: ${groups} sessions' events settled \\(${groups * 4} schedules\\)`),
    );
    expect(stdout).toMatch(/ratio pipeline \/ floor +\d+\.\d\d/);
    expect(stdout).toContain(`Ballots by reply — ${members} members reply`);
    expect(stdout).toContain("Organisation overview — 3 groups");
    expect(stdout).toContain("Functions — bundle size and cold module load");
    for (const { name } of functionEntries()) expect(stdout).toMatch(new RegExp(`^  ${name} +\\d`, "m"));
    expect(stdout).toContain("API on a cold container");
    expect(stdout).toContain("Scale model");
    expect(stdout).toMatch(/Scale model — one evening on AWS: 300 groups/);
    expect(stdout).toMatch(/Series — 3 weekly series[^\n]*\n +created +3 in /);
    expect(stdout).toMatch(/materialised +39 sessions in /);
  }, 240_000);
});
