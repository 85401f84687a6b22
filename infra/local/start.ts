// `npm start`: the whole platform on one machine, with the demo organisation.
import { join } from "node:path";
import { buildDashboardIfStale } from "./dashboard-build.ts";
import { demoOrganisationId, seedDemo } from "./demo-data.ts";
import { demoIdentities } from "./demo-identities.ts";
import { stopAll } from "./emulators/process-group.ts";
import { startPlatform, type RunningPlatform } from "./platform.ts";

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

// Signals are handled from the first moment: one that arrives while the platform is still
// starting stops the child processes started so far. `npm start` execs this process, so a
// signal sent to npm's pid reaches it too (npm forwards SIGINT and SIGTERM to its child).
let platform: RunningPlatform | undefined = undefined;
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping Convene and every process it started…`);
  // The start-up steps still under way (seeding, a settle) fail as their services stop: no error.
  process.on("uncaughtException", () => {});
  // A stop that hangs must not hold the terminal: exiting SIGKILLs whatever is left.
  setTimeout(() => process.exit(1), 20_000).unref();
  (platform ? platform.stop() : stopAll()).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

const started = Date.now();
const web = join(import.meta.dirname, "../../web");
const dashboard = await buildDashboardIfStale(web, join(import.meta.dirname, "../../package-lock.json"));
platform = await startPlatform({
  stateDir: process.env.CONVENE_STATE_DIR ?? join(process.cwd(), ".convene"),
  port: port("CONVENE_PORT", 3000),
  dynamoPort: port("CONVENE_DYNAMODB_PORT", 8000),
  sesPort: port("CONVENE_SES_PORT", 8005),
  smsPort: port("CONVENE_SMS_PORT", 8006),
  smtpPort: port("CONVENE_SMTP_PORT", 2525),
  dashboardDir: join(web, "dist"),
  ...(process.env.CONVENE_SENDING_LEASE_MS
    ? { sendingLeaseMs: port("CONVENE_SENDING_LEASE_MS", 30_000) }
    : {}),
});

const seeded = await seedDemo(platform.runtime.ports);
await platform.engine.settle();
const identities = await demoIdentities(platform.runtime.ports.store);
const adminToken = await platform.identity.mint({
  role: "umbrella-admin",
  organisationId: demoOrganisationId,
  subject: "demo-admin",
});

console.log(`
Convene is running (${((Date.now() - started) / 1000).toFixed(1)} s; demo data ${seeded === "seeded" ? "seeded" : "already present"}; dashboard ${dashboard === "built" ? "built" : "up to date"}).

  Dashboard      ${platform.url}/   (sign in as one of the demo identities below)
  API            ${platform.url}/api/v1
  OpenAPI        ${platform.url}/api/v1/openapi.json
  Local helpers  ${platform.url}/api/local   (identities, tokens, outbox, clock, dead-letters)
  SES emulator   ${platform.services.ses.endpoint}   (web view of every email sent)
  DynamoDB Local ${platform.services.dynamo.endpoint}
  Inbound mail   ${platform.services.smtp.endpoint}   (members' replies to ballot+…@reply.convene.localhost)
  Logs           ${platform.logFile}   (JSON lines, appended; here: warnings, errors, a line on what happened)

Demo identities on the dashboard's sign-in page:
${identities.map((i) => `  ${i.label}`).join("\n")}

Demo umbrella admin token (organisation "${demoOrganisationId}"):
  ${adminToken}

Try:
  curl -H "Authorization: Bearer <token>" ${platform.url}/api/v1/organisations/${demoOrganisationId}/groups
  curl -X POST -H 'content-type: application/json' -d '{"days":6}' ${platform.url}/api/local/clock/advance
  curl ${platform.url}/api/local/outbox

Ctrl-C stops everything.`);
