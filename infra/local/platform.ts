import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { createApi, noSuchRoute } from "../../functions/api/app.ts";
import { powertoolsLog } from "../../shared/adapters/local/console-log.ts";
import type { StreamCheckpoints } from "../../shared/adapters/local/stream-poller.ts";
import { composeLocalRuntime, type LocalRuntime } from "./composition-root.ts";
import { startDynamoDbLocal } from "./emulators/dynamodb-local.ts";
import { assertPortFree, stopAll } from "./emulators/process-group.ts";
import { startSesLocal } from "./emulators/ses-local.ts";
import { startSmsSink } from "./emulators/sms-sink.ts";
import type { RunningService } from "./emulators/types.ts";
import { LocalEngine } from "./engine.ts";
import { localApi } from "./local-api.ts";
import { startInboundSmtp } from "./inbound-smtp.ts";
import { createReceiveReply } from "../../functions/receive-reply/handler.ts";
import { LocalIdentityProvider } from "./local-identity.ts";
import { serveDashboard } from "./dashboard-files.ts";

export interface PlatformOptions {
  /** Where state persists (DynamoDB Local's files, keys, clock); undefined keeps all in memory. */
  stateDir?: string;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  dynamoPort?: number;
  sesPort?: number;
  smsPort?: number;
  /** Inbound mail (SMTP) for the reply domain; 0 picks a free port. */
  smtpPort?: number;
  /** Real-time background pumping; tests turn it off and settle explicitly. */
  background?: boolean;
  retry?: { maxAttempts: number; baseDelayMs: number };
  /** The built dashboard (web/dist), served at every path outside /api; undefined serves none. */
  dashboardDir?: string;
}

export interface RunningPlatform {
  url: string;
  runtime: LocalRuntime;
  engine: LocalEngine;
  identity: LocalIdentityProvider;
  services: {
    dynamo: RunningService;
    ses: RunningService;
    sms: RunningService;
    smtp: { port: number; endpoint: string };
  };
  stop(): Promise<void>;
}

const readJson = async <T>(file: string | undefined, fallback: T): Promise<T> =>
  file && existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as T) : fallback;

const fileCheckpoints = (file: string): StreamCheckpoints => ({
  load: () => readJson(file, {}),
  save: (positions) => writeFile(file, JSON.stringify(positions)),
});

/**
 * Starts the whole platform on one machine: DynamoDB Local, the SES emulator and the SMS
 * sink as child processes it owns, the runtime (bus, stream poller, scheduler, handlers)
 * and the HTTP server for the API and the dashboard. `stop()` ends every process it started.
 */
export const startPlatform = async (options: PlatformOptions = {}): Promise<RunningPlatform> => {
  const host = options.host ?? "127.0.0.1";
  const stateDir = options.stateDir;
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const at = (name: string) => (stateDir ? join(stateDir, name) : undefined);
  if (options.port) await assertPortFree(options.port);
  if (options.smtpPort) await assertPortFree(options.smtpPort);

  const started: RunningService[] = [];
  let engine: LocalEngine | undefined;
  let server: ServerType | undefined;
  let smtp: Awaited<ReturnType<typeof startInboundSmtp>> | undefined;
  const stop = async () => {
    await smtp?.stop();
    await engine?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await Promise.allSettled(started.map((s) => s.stop()));
    await stopAll();
  };

  try {
    const [dynamo, ses, sms] = await Promise.all([
      startDynamoDbLocal({ port: options.dynamoPort, dataDir: at("dynamodb") }).then(
        (s) => (started.push(s), s),
      ),
      startSesLocal({ port: options.sesPort }).then((s) => (started.push(s), s)),
      startSmsSink({ port: options.smsPort }).then((s) => (started.push(s), s)),
    ]);

    const secretFile = at("link-secret");
    let secret: Uint8Array;
    if (secretFile && existsSync(secretFile)) secret = new Uint8Array(await readFile(secretFile));
    else {
      secret = randomBytes(32);
      if (secretFile) await writeFile(secretFile, secret, { mode: 0o600 });
    }
    const clockFile = at("clock.json");
    const { offsetMs } = await readJson(clockFile, { offsetMs: 0 });

    const listenPort = options.port ?? 3000;
    // The public URL is known once the server listens; members' links use it.
    const settings = {
      publicBaseUrl: "",
      replyDomain: "reply.convene.localhost",
      fromAddress: "Convene <reminders@convene.localhost>",
      linkSigningSecret: secret,
    };
    const log = powertoolsLog();
    const runtime = await composeLocalRuntime({
      endpoints: { dynamo: dynamo.endpoint, ses: ses.endpoint, sms: sms.endpoint },
      tableName: "convene",
      settings,
      log,
      clockOffsetMs: offsetMs,
      retry: options.retry,
      checkpoints: at("stream-checkpoints.json")
        ? fileCheckpoints(at("stream-checkpoints.json")!)
        : undefined,
    });
    engine = new LocalEngine(runtime, async (offset) => {
      if (clockFile) await writeFile(clockFile, JSON.stringify({ offsetMs: offset }));
    });
    const identity = await LocalIdentityProvider.create(at("identity-key.json"));

    const app = new Hono();
    app.route(
      "/api/local",
      localApi({ runtime, engine, identity, sesEndpoint: ses.endpoint, smsEndpoint: sms.endpoint }),
    );
    app.route("/", createApi(runtime.ports, identity.verify));
    if (options.dashboardDir) app.use("*", serveDashboard(options.dashboardDir));
    // A sub-application's own not-found handler is not used once it is mounted: say it here.
    app.notFound(noSuchRoute);

    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, hostname: host, port: listenPort }, (info) => resolve(info.port));
    });
    const url = `http://${host}:${port}`;
    settings.publicBaseUrl = url;
    smtp = await startInboundSmtp({
      port: options.smtpPort ?? 2525,
      domain: settings.replyDomain,
      receive: createReceiveReply(runtime.ports),
      log,
    });
    if (options.background ?? true) engine.start();
    return {
      url,
      runtime,
      engine,
      identity,
      services: { dynamo, ses, sms, smtp: { port: smtp.port, endpoint: smtp.endpoint } },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
