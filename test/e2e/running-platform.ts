import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findFreePort } from "#infra/local/emulators/process-group.ts";

export interface Platform {
  url: string;
  /** The ports of the API, of the three emulators it started and of its SMTP server. */
  ports: number[];
  /** Where members' replies are delivered (SMTP on 127.0.0.1). */
  smtpPort: number;
  /** Everything the platform printed, for assertions and for failure messages. */
  output(): string;
  /** What it printed on stdout alone: what a person reads in the terminal. */
  stdout(): string;
  /** Where it writes its structured (JSON) log lines: logs/convene.log in the state folder. */
  logFile: string;
  /** The structured log so far ("" before the first line). */
  logs(): string;
  /** Sends SIGTERM, as Ctrl-C would, and waits for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, as a power cut or the OOM killer would; the state folder stays for a restart. */
  kill(): Promise<void>;
  stateDir: string;
  child: ChildProcess;
}

/**
 * Launches `npm start`'s program (infra/local/start.ts) as its own process with a fresh
 * state folder and free ports, so an end-to-end test sees the platform exactly as a user
 * does: only over HTTP. `viaNpm` runs `npm start` itself, in a process group of its own.
 */
export const launchPlatform = async (
  stateDir = mkdtempSync(join(tmpdir(), "convene-e2e-")),
  env: Record<string, string> = {},
  options: { viaNpm?: boolean } = {},
): Promise<Platform> => {
  const [port, dynamo, ses, sms, smtp] = await Promise.all([
    findFreePort(),
    findFreePort(),
    findFreePort(),
    findFreePort(),
    findFreePort(),
  ]);
  const [command, args] = options.viaNpm
    ? ["npm", ["start"]]
    : [process.execPath, ["--import", "tsx", "infra/local/start.ts"]];
  const child = spawn(command, args, {
    detached: options.viaNpm ?? false,
    env: {
      ...process.env,
      CONVENE_STATE_DIR: stateDir,
      CONVENE_PORT: String(port),
      CONVENE_DYNAMODB_PORT: String(dynamo),
      CONVENE_SES_PORT: String(ses),
      CONVENE_SMS_PORT: String(sms),
      CONVENE_SMTP_PORT: String(smtp),
      POWERTOOLS_LOG_LEVEL: "INFO",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => ((out += d.toString()), (stdout += d.toString())));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const logFile = join(stateDir, "logs", "convene.log");
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + 90_000;
  while (!out.includes("Ctrl-C stops everything")) {
    if (child.exitCode !== null) throw new Error(`the platform exited during start-up:\n${out}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the platform did not start within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    ports: [port, dynamo, ses, sms, smtp],
    smtpPort: smtp,
    output: () => out,
    stdout: () => stdout,
    logFile,
    logs: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
    child,
    stateDir,
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    },
    stop: async () => {
      child.kill("SIGTERM");
      const code = await exited;
      rmSync(stateDir, { recursive: true, force: true });
      return code;
    },
  };
};

/** A small JSON client for the platform's HTTP API. */
export const client = (url: string, token?: string) => {
  const call = async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; contentType: string }> => {
    const response = await fetch(url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const contentType = response.headers.get("content-type") ?? "";
    return {
      status: response.status,
      contentType,
      body: (contentType.includes("json") && text ? JSON.parse(text) : text) as T,
    };
  };
  return {
    get: <T = unknown>(path: string) => call<T>("GET", path),
    post: <T = unknown>(path: string, body?: unknown) => call<T>("POST", path, body),
    put: <T = unknown>(path: string, body?: unknown) => call<T>("PUT", path, body),
    patch: <T = unknown>(path: string, body?: unknown) => call<T>("PATCH", path, body),
    delete: <T = unknown>(path: string) => call<T>("DELETE", path),
    withToken: (t: string) => client(url, t),
  };
};
