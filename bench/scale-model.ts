// The scale model: one evening of a large umbrella on AWS, before and after reminders were
// drained through a queue at SES's rate. Part of `npm run bench` (on the platform the bench has
// started), and runnable alone in under a minute:
//
//   npx tsx bench/scale-model.ts [--groups 10000] [--ses-rate 14] [--ses-daily-quota 50000] …
//
// 1. measure.ts: a few groups through the local platform; the handlers' requests, counted.
// 2. deployed.ts: the synthesised template's settings for the designs compared.
// 3. simulate.ts: the peak, event by event and email by email, against quotas.ts's limits.

import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { sendConcurrency } from "#delivery/deliver-once.ts";
import { throttleRetry } from "#delivery/paced-mailer.ts";
import { startPlatform, type RunningPlatform } from "#infra/local/platform.ts";
import { readDeployed, type Deployed } from "./scale-model/deployed.ts";
import { measureEvening } from "./scale-model/measure.ts";
import { defaultQuotas, type Quotas } from "./scale-model/quotas.ts";
import { describeDesign, renderScaleModel, type ScaleModelResult } from "./scale-model/report.ts";
import { defaultScenario, simulateEvening, type Design, type Scenario } from "./scale-model/simulate.ts";

export interface ScaleModelOptions {
  scenario: Scenario;
  quotas: Quotas;
  /** CDK context for the synthesis (e.g. sesMaxSendRate, senderConcurrency). */
  context: Record<string, unknown>;
  measure: { groups: number; members: number };
}

export const defaultScaleModelOptions = (groups?: number): ScaleModelOptions => ({
  scenario: { ...defaultScenario(), ...(groups === undefined ? {} : { groups }) },
  quotas: defaultQuotas(),
  context: {},
  measure: { groups: 4, members: 25 },
});

const reminderSender = "send-session-reminders";
/** Still handed its events asynchronously, with the reserved concurrency the reminder sender had. */
const asynchronousSibling = "notify-session-change";

/**
 * The designs compared. After: the reminder sender as the template deploys it now (its queue,
 * its pace, the mailer's throttle retries). Before: as it was deployed until the change, which
 * its sibling notify-session-change still shows: Lambda's asynchronous queue, reserved
 * concurrency, no pace, and a throttled email given up (its claim released) once the SDK's own
 * attempts were spent.
 */
export const designs = (deployed: Deployed): Design[] => {
  const sender = deployed.functions[reminderSender];
  const sibling = deployed.functions[asynchronousSibling];
  if (!sender || !sibling || sibling.delivery.kind !== "async")
    throw new Error(
      `the model reads the earlier design from ${asynchronousSibling}, which must still be invoked asynchronously; update bench/scale-model.ts`,
    );
  const others = Object.fromEntries(
    Object.entries(deployed.functions).filter(([name]) => name !== reminderSender),
  );
  const common = { others, sendConcurrency, reservedTotal: deployed.reservedTotal };
  return [
    {
      label: "before",
      sender: { ...sender, delivery: sibling.delivery, sendRatePerInstance: undefined },
      throttleRetry: undefined,
      ...common,
    },
    { label: "after", sender, throttleRetry, ...common },
  ];
};

/** Measures on a running platform, synthesises, simulates every design. */
export const runScaleModel = async (
  platform: RunningPlatform,
  options: ScaleModelOptions = defaultScaleModelOptions(),
  progress: (message: string) => void = () => {},
): Promise<ScaleModelResult> => {
  let t = performance.now();
  progress(`scale model: measuring ${options.measure.groups} groups' evening through the local platform`);
  const measured = await measureEvening(platform, options.measure);
  const measureSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  progress("scale model: synthesising the template (bundling skipped)");
  const deployed = readDeployed(options.context);
  const synthSeconds = (performance.now() - t) / 1000;
  // Unless told otherwise, the account's rate is the one the stack is deployed for.
  const quotas: Quotas =
    options.context.sesMaxSendRate === undefined
      ? { ...options.quotas, ses: { ...options.quotas.ses, maxSendRate: deployed.config.sesMaxSendRate } }
      : options.quotas;
  t = performance.now();
  const compared = designs(deployed);
  const outcomes = compared.map((design) => {
    progress(`scale model: simulating ${design.label}`);
    return simulateEvening(measured, design, quotas, options.scenario);
  });
  return {
    scenario: options.scenario,
    quotas,
    measured,
    designs: compared.map((d) => ({ label: d.label, describe: describeDesign(d) })),
    outcomes,
    seconds: { measure: measureSeconds, synth: synthSeconds, simulate: (performance.now() - t) / 1000 },
  };
};

const usage = `Usage: npx tsx bench/scale-model.ts [options]

  --groups N              groups of the umbrella (default 10000)
  --peak-share F          share of them meeting at the peak hour (default 0.333)
  --ses-rate R            SES's MaxSendRate, emails a second; also deployed as sesMaxSendRate (default: cdk.json's, 14)
  --ses-daily-quota Q     SES's Max24HourSend (default: sized to the day's need, which is printed)
  --sender-concurrency C  deployed as senderConcurrency (default: cdk.json's, 2)
  --account-concurrency A Lambda's concurrent executions (default 1000)
  --measure-groups G      groups of the measuring run (default 4); members 25
  --seed S                the simulation's random seed (default 1)
  --json                  print the result as JSON
`;

const parse = (argv: readonly string[]): (ScaleModelOptions & { json: boolean }) | "help" => {
  const options = { ...defaultScaleModelOptions(), json: false };
  const number = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n <= 0)
      throw new Error(`${flag} needs a number above 0`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split("=", 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--json":
        options.json = true;
        break;
      case "--groups":
        options.scenario.groups = Math.round(number(flag, value()));
        break;
      case "--peak-share":
        options.scenario.peakShare = number(flag, value());
        break;
      case "--seed":
        options.scenario.seed = Math.round(number(flag, value()));
        break;
      case "--ses-rate":
        options.quotas.ses.maxSendRate = number(flag, value());
        options.context.sesMaxSendRate = options.quotas.ses.maxSendRate;
        break;
      case "--ses-daily-quota":
        options.quotas.ses.max24HourSend = number(flag, value());
        break;
      case "--sender-concurrency":
        options.context.senderConcurrency = Math.round(number(flag, value()));
        break;
      case "--account-concurrency":
        options.quotas.lambda.accountConcurrency = Math.round(number(flag, value()));
        break;
      case "--measure-groups":
        options.measure.groups = Math.round(number(flag, value()));
        break;
      default:
        throw new Error(`unknown argument "${argv[i]}"`);
    }
  }
  return options;
};

const main = async (): Promise<number> => {
  let options;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(usage);
    return 0;
  }
  process.env.POWERTOOLS_LOG_LEVEL ??= "ERROR";
  const progress = (message: string) => process.stderr.write(`[scale-model] ${message}\n`);
  const platform = await startPlatform({ port: 0, smtpPort: 0, background: false });
  try {
    const result = await runScaleModel(platform, options, progress);
    process.stdout.write(
      options.json ? `${JSON.stringify(result, null, 2)}\n` : `${renderScaleModel(result)}\n`,
    );
    return 0;
  } finally {
    await platform.stop();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exit(await main());
