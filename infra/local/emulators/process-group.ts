// A tiny supervisor for the child processes of the local runtime (DynamoDB Local's `java`,
// the SES emulator's `node`).
//
// - Every child started through `spawnSupervised` is tracked until it exits.
// - `stopAll()` stops them all: SIGTERM, then SIGKILL after a grace period.
// - While any child runs, SIGINT and SIGTERM stop them before the process goes down, and the
//   `exit` event SIGKILLs whatever is still running (it cannot wait, so no grace period).
// - Each child also gets a watchdog: a small `node` process that holds the read end of a pipe
//   from us. If we die without cleaning up (SIGKILL, a crash, a killed test worker), the pipe
//   closes and the watchdog stops the child. So no stray `java` survives us.
//
// Port rule: the local runtime refuses to talk to a service it did not start. `assertPortFree`
// fails loudly when something already listens on a port we are about to use; we never attach
// to a pre-existing process.

import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** Default time a child gets between SIGTERM and SIGKILL. */
export const DEFAULT_GRACE_MS = 5_000;

const OUTPUT_LINES_KEPT = 200;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process started and tracked by this module. */
export interface SupervisedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves when the child has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves when the child has exited and its output streams are drained (never rejects). */
  readonly closed: Promise<void>;
  /** Exit information once the child has exited, else undefined. */
  exitInfo(): ExitInfo | undefined;
  /** The last `n` lines the child wrote, each prefixed with `stdout| ` or `stderr| `. */
  outputTail(n?: number): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnSupervisedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with every line the child writes (for logging). Output is captured regardless. */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
  /** Start a watchdog that stops the child if this process dies without cleaning up. Default true. */
  watchdog?: boolean;
  /** Grace period between SIGTERM and SIGKILL used by `stopAll` and the watchdog. */
  graceMs?: number;
}

const running = new Set<SupervisedProcess>();

/**
 * Spawns `command args` as a tracked child. Resolves once the child has actually started
 * (rejects with a clear error when the command cannot be found or executed).
 */
export async function spawnSupervised(
  name: string,
  command: string,
  args: readonly string[],
  options: SpawnSupervisedOptions = {},
): Promise<SupervisedProcess> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    // stdin is a pipe nobody writes to: some programs exit on EOF of an ignored stdin.
    stdio: ["pipe", "pipe", "pipe"],
    // Same process group as us: a Ctrl-C in the terminal reaches the child too.
    detached: false,
  };
  const child = spawn(command, [...args], spawnOptions);
  // The watchdog starts at once (the pid is known as soon as the spawn succeeded): a parent killed
  // while it waits for the spawn event must not leave an unguarded child.
  const watchdog =
    options.watchdog === false || child.pid === undefined ? undefined : startWatchdog(child.pid, graceMs);

  await new Promise<void>((resolve, reject) => {
    const onSpawn = () => {
      child.off("error", onError);
      resolve();
    };
    const onError = (error: NodeJS.ErrnoException) => {
      child.off("spawn", onSpawn);
      watchdog?.kill("SIGKILL");
      const hint =
        error.code === "ENOENT" ? ` (command not found: ${command}; is it installed and on PATH?)` : "";
      reject(new Error(`Could not start ${name}: ${error.message}${hint}`, { cause: error }));
    };
    child.once("spawn", onSpawn);
    child.once("error", onError);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`Could not start ${name}: no process id`);

  const lines: string[] = [];
  const capture = (stream: "stdout" | "stderr") => {
    let partial = "";
    const source = stream === "stdout" ? child.stdout : child.stderr;
    source?.setEncoding("utf8");
    source?.on("data", (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? "";
      for (const line of parts) push(stream, line);
    });
    source?.on("end", () => {
      if (partial !== "") push(stream, partial);
      partial = "";
    });
  };
  const push = (stream: "stdout" | "stderr", line: string) => {
    lines.push(`${stream}| ${line}`);
    if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    options.onLine?.(stream, line);
  };
  capture("stdout");
  capture("stderr");
  child.on("error", (error) => push("stderr", `[supervisor] ${error.message}`));

  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });

  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));

  let stopping: Promise<void> | undefined;
  const supervised: SupervisedProcess = {
    name,
    child,
    pid,
    exited,
    closed,
    exitInfo: () => exit,
    outputTail: (n = 20) => lines.slice(-n),
    stop: (grace = graceMs) => {
      stopping ??= terminate(child, exited, grace).finally(() => {
        watchdog?.kill("SIGKILL");
      });
      return stopping;
    },
  };

  running.add(supervised);
  installHandlers();
  void exited.then(() => {
    watchdog?.kill("SIGKILL");
    running.delete(supervised);
    if (running.size === 0) uninstallHandlers();
  });
  return supervised;
}

/** Stops every tracked child (SIGTERM, then SIGKILL after the grace period). */
export async function stopAll(graceMs?: number): Promise<void> {
  await Promise.all([...running].map((p) => p.stop(graceMs)));
}

/** The children currently tracked (started and not yet exited). */
export function runningProcesses(): readonly SupervisedProcess[] {
  return [...running];
}

async function terminate(child: ChildProcess, exited: Promise<ExitInfo>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill("SIGKILL");
    await exited;
  }
}

// The watchdog runs in its own `node` process and reads its stdin until EOF, which happens when
// we exit by any means (the write end lives only in this process: Node opens pipes
// close-on-exec). It then stops the child like `stop()` would. It ignores SIGINT so that a
// Ctrl-C, which reaches the whole process group, leaves the clean-up to us while we live, and it
// exits by itself once the child is gone.
const WATCHDOG_SOURCE = `
const pid = Number(process.argv[1]);
const graceMs = Number(process.argv[2]);
const fs = require("node:fs");
const alive = () => {
  try { process.kill(pid, 0); } catch { return false; }
  // An orphaned child that died may linger as a zombie until reaped: count it as gone (Linux).
  try { const s = fs.readFileSync("/proc/" + pid + "/stat", "utf8"); return s[s.lastIndexOf(")") + 2] !== "Z"; } catch { return true; }
};
process.on("SIGINT", () => {});
setInterval(() => { if (!alive()) process.exit(0); }, 1000);
let fired = false;
const fire = () => {
  if (fired) return;
  fired = true;
  try { process.kill(pid, "SIGTERM"); } catch { process.exit(0); }
  const started = Date.now();
  setInterval(() => {
    if (!alive()) process.exit(0);
    if (Date.now() - started >= graceMs) { try { process.kill(pid, "SIGKILL"); } catch {} process.exit(0); }
  }, 50);
};
process.stdin.on("data", () => {});
process.stdin.on("end", fire);
process.stdin.on("close", fire);
process.stdin.on("error", fire);
`;

function startWatchdog(pid: number, graceMs: number): ChildProcess {
  const watchdog = spawn(process.execPath, ["-e", WATCHDOG_SOURCE, String(pid), String(graceMs)], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: false,
  });
  watchdog.on("error", () => {
    // Best effort: without a watchdog we still have the signal and exit handlers.
  });
  // Neither the watchdog nor its pipe may keep our event loop alive.
  watchdog.unref();
  const stdin = watchdog.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null;
  stdin?.unref?.();
  watchdog.stdin?.on("error", () => {});
  return watchdog;
}

// --- signal and exit wiring -----------------------------------------------------------------

let handlersInstalled = false;
let signalled = false;
let signalledAt = 0;

/** A repeat within this time is the same signal twice: npm relays the Ctrl-C the terminal sent us too. */
const SAME_SIGNAL_MS = 1_000;

const onSignal = (signal: NodeJS.Signals) => {
  if (signalled) {
    if (Date.now() - signalledAt < SAME_SIGNAL_MS) return;
    // A second signal while stopping: no more grace.
    killAllNow();
    reraise(signal);
    return;
  }
  signalled = true;
  signalledAt = Date.now();
  void stopAll().finally(() => {
    signalled = false;
    reraise(signal);
  });
};

const onExit = () => killAllNow();

function reraise(signal: NodeJS.Signals): void {
  uninstallHandlers();
  // If someone else handles this signal, it is theirs to decide whether the process ends.
  // Otherwise deliver it again with the default action, so the exit status tells the truth.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function killAllNow(): void {
  for (const p of running) {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", onExit);
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.off("exit", onExit);
}

// --- ports ----------------------------------------------------------------------------------

/** Thrown by `assertPortFree` when something already listens on the port. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    detail: string,
  ) {
    super(
      `Port ${port} is already in use (${detail}). The local runtime only talks to services it ` +
        `started itself and will not attach to a process it did not start. Stop whatever listens ` +
        `on port ${port} (e.g. \`ss -ltnp 'sport = :${port}'\` or \`lsof -i :${port}\` shows it) ` +
        `or choose another port.`,
    );
    this.name = "PortInUseError";
  }
}

/**
 * Fails with a PortInUseError when anything already listens on `port`: on 127.0.0.1 or ::1
 * (a connection succeeds) or on any interface (we cannot bind the wildcard address).
 */
export async function assertPortFree(port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new RangeError(`Invalid port: ${port}`);
  }
  for (const host of ["127.0.0.1", "::1"]) {
    if (await accepts(host, port))
      throw new PortInUseError(port, `something accepts connections on ${host}:${port}`);
  }
  for (const host of ["0.0.0.0", "::"]) {
    const error = await tryBind(host, port);
    if (error === undefined) continue;
    if (error.code === "EADDRINUSE") throw new PortInUseError(port, `cannot bind ${host}:${port}`);
    // EAFNOSUPPORT / EADDRNOTAVAIL: no IPv6 on this machine; nothing can listen there either.
    if (error.code === "EAFNOSUPPORT" || error.code === "EADDRNOTAVAIL") continue;
    throw new Error(`Cannot check whether port ${port} is free: ${error.message}`, { cause: error });
  }
}

/** A TCP port that was free on every interface a moment ago (the OS picks it). */
export async function findFreePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    // No host: the wildcard address (dual-stack where available), so the port is free everywhere.
    server.listen({ port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : undefined;
      server.close(() => (port === undefined ? reject(new Error("No port assigned")) : resolve(port)));
    });
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (result: boolean) => {
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function tryBind(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true, ipv6Only: host === "::" }, () => {
      server.close(() => resolve(undefined));
    });
  });
}
