import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { assertPortFree } from "#infra/local/emulators/process-group.ts";
import { launchPlatform, type Platform } from "./running-platform.ts";

// `npm start` as a user runs it (npm → node running start.ts → DynamoDB Local's java, the SES
// emulator, the watchdogs, tsx's esbuild service), stopped the three ways a process tree ends:
// SIGTERM to npm's own pid, SIGINT to the whole process group (Ctrl-C in a terminal), and
// SIGKILL of the node process running start.ts (a crash). After each, nothing it started may
// remain and every port must be free again.

interface Proc {
  pid: number;
  ppid: number;
  /** Start time in clock ticks: a pid reused by an unrelated process is not taken for ours. */
  started: string;
  state: string;
  argv: string[];
}

const readProc = (pid: number): Proc | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return { pid, ppid: Number(fields[1]), started: fields[19] ?? "", state: fields[0] ?? "", argv };
  } catch {
    return undefined;
  }
};

/** `root` and every process below it, from /proc. */
const processTree = (root: number): Proc[] => {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readProc(Number(name)) ?? []);
  const tree: Proc[] = [];
  const visit = (pid: number) => {
    const proc = all.find((p) => p.pid === pid);
    if (proc) tree.push(proc);
    for (const child of all.filter((p) => p.ppid === pid)) visit(child.pid);
  };
  visit(root);
  return tree;
};

/** Still running: the same process (same start time) and not a zombie waiting to be reaped. */
const alive = (proc: Proc) => {
  const now = readProc(proc.pid);
  return now !== undefined && now.started === proc.started && now.state !== "Z";
};

const describeProc = (p: Proc) => `${p.pid} ${p.argv.join(" ").slice(0, 120)}`;

/** Waits until none of `procs` runs; answers those still running after `ms`. */
const gone = async (procs: Proc[], ms: number): Promise<Proc[]> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const left = procs.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * The ports still taken after up to 10 s. Every process of the tree is gone by then, so a port
 * still taken belongs to a process outside it (another test that picked the freed port): it is
 * named, so a failure says whose it is.
 */
const portsInUse = async (ports: number[]) => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const taken: number[] = [];
    for (const port of ports) await assertPortFree(port).catch(() => taken.push(port));
    if (taken.length === 0 || Date.now() > deadline) return taken.map((port) => `${port} ${holderOf(port)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const holderOf = (port: number): string => {
  try {
    return execFileSync("ss", ["-Hltnp", `sport = :${port}`], { encoding: "utf8" }).trim();
  } catch {
    return "(no ss to name the holder)";
  }
};

/** The platform's whole tree, checked to hold what `npm start` starts (so the test cannot pass empty). */
const startedTree = (platform: Platform) => {
  const tree = processTree(platform.child.pid!);
  const commands = tree.map((p) => p.argv.join(" "));
  expect(commands.some((c) => c.includes("infra/local/start.ts"))).toBe(true);
  expect(commands.some((c) => c.includes("DynamoDBLocal.jar"))).toBe(true);
  expect(commands.some((c) => c.includes("aws-ses-v2-local"))).toBe(true);
  expect(commands.filter((c) => c.includes("process.kill(pid")).length).toBe(2); // the watchdogs
  return tree;
};

const expectAllStopped = async (platform: Platform, tree: Proc[]) => {
  const left = await gone(tree, 10_000);
  expect(left.map(describeProc), platform.output()).toEqual([]);
  expect(await portsInUse(platform.ports)).toEqual([]);
};

/** After a failed assertion, nothing may be left running: SIGKILL the whole process group. */
const cleanUp = (platform: Platform, stateDir: string) => {
  try {
    process.kill(-platform.child.pid!, "SIGKILL");
  } catch {
    // Already gone, as it should be.
  }
  rmSync(stateDir, { recursive: true, force: true });
};

describe("npm start's processes", () => {
  it("starts on a torn state folder, saying so, and SIGTERM to npm's own pid stops them all", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "convene-e2e-signals-"));
    // What a kill during a write could have left, were the writes not atomic.
    writeFileSync(join(stateDir, "clock.json"), '{"offsetMs": 5184');
    writeFileSync(join(stateDir, "stream-checkpoints.json"), "");
    writeFileSync(join(stateDir, "identity-key.json"), '{"kty":"EC","crv":"P-256","x":"');
    writeFileSync(join(stateDir, "link-secret"), Buffer.alloc(5));
    const platform = await launchPlatform(stateDir, {}, { viaNpm: true });
    try {
      const lines = platform
        .output()
        .split("\n")
        .filter((l) => l.includes("cannot use state file"));
      expect(lines).toHaveLength(4);
      const tree = startedTree(platform);
      process.kill(platform.child.pid!, "SIGTERM");
      await expectAllStopped(platform, tree);
    } finally {
      cleanUp(platform, stateDir);
    }
  });

  it("SIGINT to the process group, as Ctrl-C sends, stops them all", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "convene-e2e-signals-"));
    const platform = await launchPlatform(stateDir, {}, { viaNpm: true });
    try {
      const tree = startedTree(platform);
      process.kill(-platform.child.pid!, "SIGINT");
      await expectAllStopped(platform, tree);
    } finally {
      cleanUp(platform, stateDir);
    }
  });

  it("a crash of the node process running start.ts (SIGKILL) takes its children with it", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "convene-e2e-signals-"));
    const platform = await launchPlatform(stateDir, {}, { viaNpm: true });
    try {
      const tree = startedTree(platform);
      const start = tree.find((p) => p.argv[0]?.endsWith("node") && p.argv.includes("infra/local/start.ts"));
      expect(start).toBeDefined();
      process.kill(start!.pid, "SIGKILL");
      await expectAllStopped(platform, tree);
    } finally {
      cleanUp(platform, stateDir);
    }
  });
});
