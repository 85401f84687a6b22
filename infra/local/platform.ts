import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { portsOf } from "#functions/ports-of.ts";
import { noSuchRoute } from "#functions/api/api-shell.ts";
import { createApi } from "#functions/api/whole-api.ts";
import { calendarFeedRoutes } from "#functions/api/routes/calendar-feed-answers.ts";
import { fileLog, powertoolsLog } from "#adapters/local/console-log.ts";
import { composeLocalRuntime, type LocalRuntime } from "./composition-root.ts";
import { startDynamoDbLocal } from "./emulators/dynamodb-local.ts";
import { assertPortFree, stopAll } from "./emulators/process-group.ts";
import { startSesLocal } from "./emulators/ses-local.ts";
import { startSmsSink } from "./emulators/sms-sink.ts";
import type { RunningService } from "./emulators/types.ts";
import { LocalEngine } from "./engine.ts";
import { localApi } from "./local-api.ts";
import { FaultInjector, faultSettingsFromEnv, type FaultSettingsInput } from "./fault-injection.ts";
import { restoreSesView, type SesViewRestore } from "./ses-view-restore.ts";
import { startInboundSmtp } from "./inbound-smtp.ts";
import { createReceiveReply } from "#functions/receive-reply/handler.ts";
import { LocalIdentityProvider } from "./local-identity.ts";
import { serveDashboard } from "./dashboard-files.ts";
import { clockFile, linkSecretFile, streamCheckpointsFile } from "./state-files.ts";
import { staleAfterMonthsOf } from "#domain/series-staleness.ts";

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
  /** How long a "sending" claim is held before a redelivery takes its sender for dead (30 s). */
  sendingLeaseMs?: number;
  /** Emails a second the mailer sends at most (SES's rate on AWS); default: CONVENE_SEND_RATE, else unpaced. */
  sendRatePerSecond?: number;
  /** The built dashboard (web/dist), served at every path outside /api; undefined serves none. */
  dashboardDir?: string;
  /** Injected SES, SMS and DynamoDB faults; default: CONVENE_FAULTS (JSON), else none. */
  faults?: FaultSettingsInput;
}

/** CONVENE_SEND_RATE, emails a second; unset or empty leaves the mailer unpaced. A bad value stops the start. */
export const sendRateFromEnv = (text: string | undefined): number | undefined => {
  if (!text?.trim()) return undefined;
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate <= 0)
    throw new Error(`CONVENE_SEND_RATE must be a number of emails a second above 0, not "${text}"`);
  return rate;
};

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
  /** The structured log (JSON lines) in the state folder; undefined without one (then stdout). */
  logFile?: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole platform on one machine: DynamoDB Local, the SES emulator and the SMS
 * sink as child processes it owns, the runtime (bus, stream poller, scheduler, handlers)
 * and the HTTP server for the API and the dashboard. `stop()` ends every process it started.
 */
export const startPlatform = async (options: PlatformOptions = {}): Promise<RunningPlatform> => {
  const host = options.host ?? "127.0.0.1";
  // Read before anything starts: a bad CONVENE_FAULTS stops the start with one clear line.
  const faults = new FaultInjector(options.faults ?? faultSettingsFromEnv(process.env.CONVENE_FAULTS));
  const sendRate = options.sendRatePerSecond ?? sendRateFromEnv(process.env.CONVENE_SEND_RATE);
  const stateDir = options.stateDir;
  if (stateDir) mkdirSync(stateDir, { recursive: true });
  const at = (name: string) => (stateDir ? join(stateDir, name) : undefined);
  if (options.port) await assertPortFree(options.port);
  if (options.smtpPort) await assertPortFree(options.smtpPort);

  const started: RunningService[] = [];
  let engine: LocalEngine | undefined;
  let server: ServerType | undefined;
  let smtp: Awaited<ReturnType<typeof startInboundSmtp>> | undefined;
  let sesView: SesViewRestore | undefined;
  const stop = async () => {
    await sesView?.stop();
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

    const secret = await linkSecretFile(at("link-secret"));
    const clock = at("clock.json") ? clockFile(at("clock.json")!) : undefined;
    const offsetMs = (await clock?.load()) ?? 0;

    const listenPort = options.port ?? 3000;
    // The public URL is known once the server listens; members' links use it.
    const settings = {
      publicBaseUrl: "",
      replyDomain: "reply.convene.localhost",
      fromAddress: "Convene <reminders@convene.localhost>",
      linkSigningSecret: secret,
      // "Still meeting?" after this many months unconfirmed (6 unset); a bad value stops the start.
      ...(process.env.CONVENE_SERIES_STALE_AFTER_MONTHS
        ? {
            seriesStaleAfterMonths: staleAfterMonthsOf(Number(process.env.CONVENE_SERIES_STALE_AFTER_MONTHS)),
          }
        : {}),
    };
    // The terminal is for a person: structured lines go to a file in the state folder.
    const logFile = at("logs") && join(at("logs")!, "convene.log");
    const log = logFile ? fileLog({ path: logFile }) : powertoolsLog();
    const runtime = await composeLocalRuntime({
      endpoints: { dynamo: dynamo.endpoint, ses: ses.endpoint, sms: sms.endpoint },
      tableName: "convene",
      settings,
      log,
      clockOffsetMs: offsetMs,
      retry: options.retry,
      sendingLeaseMs: options.sendingLeaseMs,
      sendRatePerSecond: sendRate,
      checkpoints: at("stream-checkpoints.json")
        ? streamCheckpointsFile(at("stream-checkpoints.json")!)
        : undefined,
      faults,
    });
    sesView = restoreSesView(runtime.outbox, ses.endpoint, log);
    engine = new LocalEngine(runtime, async (offset) => {
      await clock?.save(offset);
    });
    const identity = await LocalIdentityProvider.create(at("identity-key.json"));

    const app = new Hono();
    app.route(
      "/api/local",
      localApi({ runtime, engine, identity, sesEndpoint: ses.endpoint, smsEndpoint: sms.endpoint }),
    );
    app.route(
      "/",
      createApi(runtime.ports, identity.verify, calendarFeedRoutes(portsOf(runtime.ports, "calendar-feeds"))),
    );
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
      logFile,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
