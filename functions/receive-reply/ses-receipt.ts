import type { SESEvent, SESReceipt } from "aws-lambda";
import { defaultReplyLimits } from "#inbound/read-reply.ts";
import type { InboundMail, ReplyOutcome } from "./handler.ts";

/**
 * The SES side of receiving a reply, without AWS: SES's receipt rule first stores the raw
 * mail in S3 at `<prefix><messageId>` (S3 action), then invokes the function with the
 * receipt (Lambda action, invocation type Event). What is read from the event, whether the
 * mail is read at all, and the InboundMail handed to the same handler as the local SMTP
 * server's are decided here; functions/receive-reply/index.ts supplies S3.
 */

/**
 * Where the receipt rule stores the raw mail, set by the CDK app
 * (infra/cdk/constructs/inbound-mail.ts): the bucket, and the S3 action's object key prefix
 * (the key is the prefix followed by SES's message id).
 */
export const inboundMailVariables = ["INBOUND_MAIL_BUCKET", "INBOUND_MAIL_PREFIX"] as const;

export interface InboundMailLocation {
  bucket: string;
  prefix: string;
}

/** Reads the location, naming every problem at once; the caller raises it as InvalidEnvironment. */
export const readInboundMailLocation = (
  env: Record<string, string | undefined>,
): InboundMailLocation | { problems: string[] } => {
  const bucket = env.INBOUND_MAIL_BUCKET;
  const prefix = env.INBOUND_MAIL_PREFIX;
  const problems = [
    ...(bucket && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)
      ? []
      : ["INBOUND_MAIL_BUCKET: must be an S3 bucket name"]),
    ...(prefix === undefined ? ["INBOUND_MAIL_PREFIX: must be set (it may be empty)"] : []),
  ];
  return problems.length > 0 ? { problems } : { bucket: bucket!, prefix: prefix! };
};

/** Largest raw mail read from S3; a larger one is dropped before it is read (10 MB). */
export const maxInboundBytes = defaultReplyLimits.maxBytes;

/** What the function needs from one SES receipt notification. */
export interface SesReceipt {
  /** SES's message id, which names the stored object. */
  messageId: string;
  /** The envelope recipients this rule matched (addresses on the reply domain). */
  recipients: string[];
  dmarcVerdict?: InboundMail["dmarcVerdict"];
  virusVerdict?: string;
  spamVerdict?: string;
}

/** The event does not carry a receipt this function can act on. */
export class MalformedSesEvent extends Error {
  override name = "MalformedSesEvent";
}

const dmarcVerdicts: readonly string[] = ["PASS", "FAIL", "GRAY", "PROCESSING_FAILED"];

/**
 * Reads the receipt from the event SES's Lambda action sends (one record per mail). A DMARC
 * status of DISABLED (or none) is left out: only SES's PASS / FAIL / GRAY / PROCESSING_FAILED
 * are verdicts the trust rules know.
 */
export const receiptOf = (event: SESEvent): SesReceipt => {
  const record = event.Records?.[0]?.ses as { mail?: { messageId?: unknown }; receipt?: Partial<SESReceipt> };
  const messageId = record?.mail?.messageId;
  const receipt = record?.receipt;
  // SES message ids are letters, digits and dashes; anything else must not become an S3 key.
  if (typeof messageId !== "string" || !/^[A-Za-z0-9-]{1,128}$/.test(messageId) || !receipt)
    throw new MalformedSesEvent("the event carries no SES receipt with a message id");
  const dmarc = receipt.dmarcVerdict?.status;
  return {
    messageId,
    recipients: Array.isArray(receipt.recipients)
      ? receipt.recipients.filter((r): r is string => typeof r === "string")
      : [],
    dmarcVerdict: dmarc && dmarcVerdicts.includes(dmarc) ? (dmarc as InboundMail["dmarcVerdict"]) : undefined,
    virusVerdict: receipt.virusVerdict?.status,
    spamVerdict: receipt.spamVerdict?.status,
  };
};

/** The key the receipt rule's S3 action stored the raw mail under. */
export const objectKeyOf = (prefix: string, receipt: Pick<SesReceipt, "messageId">) =>
  `${prefix}${receipt.messageId}`;

/** The mail as the handler takes it: the same shape the local SMTP server hands over. */
export const inboundMailOf = (receipt: SesReceipt, raw: Buffer): InboundMail => ({
  raw,
  recipients: receipt.recipients,
  ...(receipt.dmarcVerdict ? { dmarcVerdict: receipt.dmarcVerdict } : {}),
});

/** Where the stored raw mail is read from: S3 on AWS, anything else in tests. */
export interface RawMailSource {
  /** The object's size in bytes (a HEAD), before anything is read. */
  size(key: string): Promise<number>;
  read(key: string): Promise<Buffer>;
}

/** What became of one SES receipt; only this kind is logged. */
export type SesReceiptOutcome = ReplyOutcome | "virus" | "no-recipient";

/**
 * One receipt: a mail SES found a virus in is dropped unread; one larger than the limit is
 * dropped after a HEAD, unread; otherwise the raw mail is read and handed to the handler. A
 * spam verdict is not acted on here: a ballot counts only with a valid token from the
 * member's own address, which spam cannot supply, and a member's reply misjudged as spam
 * must still count.
 */
export const receiveSesReceipt = async (
  receipt: SesReceipt,
  deps: {
    source: RawMailSource;
    prefix: string;
    receive: (mail: InboundMail) => Promise<ReplyOutcome>;
    maxBytes?: number;
  },
): Promise<SesReceiptOutcome> => {
  if (receipt.virusVerdict === "FAIL") return "virus";
  if (receipt.recipients.length === 0) return "no-recipient";
  const key = objectKeyOf(deps.prefix, receipt);
  if ((await deps.source.size(key)) > (deps.maxBytes ?? maxInboundBytes)) return "oversized";
  return deps.receive(inboundMailOf(receipt, await deps.source.read(key)));
};
