import { RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Node } from "constructs";
import { z } from "zod";

/**
 * The deployment's settings, from CDK context (`cdk.json`, or `-c key=value` on the command
 * line). Every key has a default, documented here and in docs/deploy.md, so a clean clone
 * synthesises with no arguments.
 */
const logRetentionPeriods = Object.values(RetentionDays).filter((d): d is number => typeof d === "number");

const contextSchema = z.object({
  /** Names every resource, so several stages can share an account. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,15}$/, "must be lower-case letters, digits or -, at most 16")
    .default("dev"),
  /** Where both stacks deploy; SES, End User Messaging SMS and Scheduler must be offered there. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "must be an AWS region such as eu-west-2")
    .default("eu-west-2"),
  /** The domain email is sent from; verified in SES with Easy DKIM. */
  sendingDomain: z.string().min(3).default("convene.example.org"),
  /** The domain members reply to (ballots, volunteering); receiving on it comes with inbound email. */
  replyDomain: z.string().min(3).default("reply.convene.example.org"),
  /** The From address of every email; defaults to reminders@<sendingDomain>. */
  fromAddress: z.email().optional(),
  /** Where members' links point (API and dashboard); defaults to the dashboard's URL, which serves both. */
  publicBaseUrl: z.url().optional(),
  /** Who receives the alarms by email (confirm the subscription once); none when absent. */
  alarmEmail: z.email().optional(),
  /** The SMS phone number, sender id or pool (ARN or id); the account default when absent. */
  smsOriginationIdentity: z.string().min(1).optional(),
  /** How long function and API logs are kept: one of CloudWatch Logs' retention periods. */
  logRetentionDays: z.coerce
    .number()
    .refine(
      (days) => logRetentionPeriods.includes(days),
      "must be a CloudWatch Logs retention period (30, 90, …)",
    )
    .default(30),
  /** How long the bus archive keeps events for replay. */
  archiveRetentionDays: z.coerce.number().int().positive().default(30),
  /**
   * Concurrency of the session senders, so a burst of reminders cannot outrun SES's sending
   * rate: the most instances the reminder queue keeps busy (at least 2, the event source
   * mapping's minimum), and notify-session-change's reserved concurrency; 0 leaves the latter
   * unreserved (needed on accounts whose concurrency quota is still the initial 10).
   */
  senderConcurrency: z.coerce.number().int().min(0).default(2),
  /**
   * SES's maximum send rate for the account, emails a second (SendQuota.MaxSendRate, from
   * `aws sesv2 get-account`): the reminder queue drains at 80 % of it, and no instance of any
   * function sends faster than it.
   */
  sesMaxSendRate: z.coerce.number().positive().default(14),
  /** Months a series of sessions runs unconfirmed before its coordinators are asked "still meeting?"; 6 when absent. */
  seriesStaleAfterMonths: z.coerce.number().int().min(1).max(120).optional(),
});

export type ConveneConfig = z.infer<typeof contextSchema> & { fromAddress: string };

export const contextKeys = Object.keys(contextSchema.shape) as (keyof typeof contextSchema.shape)[];

export class InvalidContext extends Error {
  override name = "InvalidContext";
}

/** Reads and validates the context; an empty string counts as unset. */
export const readConfig = (node: Node): ConveneConfig => {
  const raw = Object.fromEntries(
    contextKeys
      .map((key) => [key, node.tryGetContext(key) as unknown] as const)
      .filter(([, value]) => value !== undefined && value !== null && value !== ""),
  );
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidContext(
      `CDK context is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return { ...parsed.data, fromAddress: parsed.data.fromAddress ?? `reminders@${parsed.data.sendingDomain}` };
};

/** The name every resource of a stage starts with. */
export const prefix = (config: Pick<ConveneConfig, "stage">) => `convene-${config.stage}`;
