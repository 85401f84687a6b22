import { createHash } from "node:crypto";
import { tokenFromRecipient } from "#domain/ballot-token.ts";
import { roleTokenFromRecipient } from "#domain/role-reply-address.ts";
import { rsvpTokenFromRecipient } from "#domain/rsvp-reply-address.ts";
import { seriesTokenFromRecipient } from "#domain/series-reply-address.ts";
import { readReply, type Reply } from "#inbound/read-reply.ts";
import type { Ports } from "#ports/ports.ts";
import { receiveBallotReply } from "#use-cases/votes/receive-ballot-reply.ts";
import { receiveRoleReply } from "#use-cases/roles/receive-role-reply.ts";
import { receiveSeriesReply } from "#use-cases/series/receive-series-reply.ts";
import { receiveRsvpReply } from "#use-cases/rsvp/receive-rsvp-reply.ts";
import { refusalOf, type ReplyOutcome } from "./reply-outcome.ts";

export type { ReplyOutcome } from "./reply-outcome.ts";

/** One inbound mail as the receiving side hands it over (SES receipt on AWS, SMTP locally). */
export interface InboundMail {
  raw: Buffer;
  /** Envelope recipients (RCPT TO), which carry the ballot token. */
  recipients: readonly string[];
  /** SES's DMARC verdict on AWS; absent locally. */
  dmarcVerdict?: "PASS" | "FAIL" | "GRAY" | "PROCESSING_FAILED";
}

/** Identifies a message for "count once": its Message-ID, or a digest of the mail without one. */
const messageKeyOf = (reply: Reply, raw: Buffer) =>
  createHash("sha256")
    .update(reply.messageId ?? raw)
    .digest("hex");

/**
 * A member replied to a ballot, a role, an RSVP or a "still meeting?" email. The MIME is read
 * (size-limited) and machine-written mail (auto-replies, bounces) dropped; the envelope
 * recipient's token picks the use case: a role token → receiveRoleReply, an RSVP token →
 * receiveRsvpReply, a series token → receiveSeriesReply, a ballot token → receiveBallotReply.
 */
export const createReceiveReply =
  (
    deps: Pick<
      Ports,
      | "store"
      | "votes"
      | "roles"
      | "series"
      | "rsvps"
      | "scheduler"
      | "mailer"
      | "clock"
      | "log"
      | "settings"
      | "metrics"
    >,
  ) =>
  async (mail: InboundMail): Promise<ReplyOutcome> => {
    const outcome = await receive(deps, mail);
    deps.log.info("reply received", { outcome });
    const refused = refusalOf(outcome);
    if (refused) deps.metrics.count("RepliesRefused", { reason: refused });
    return outcome;
  };

const receive = async (
  deps: Parameters<typeof createReceiveReply>[0],
  mail: InboundMail,
): Promise<ReplyOutcome> => {
  const reply = await readReply(mail.raw);
  if (reply.kind !== "reply") return reply.kind;
  if (reply.autoSubmitted) return "auto-reply";
  const received = {
    reply,
    messageKey: messageKeyOf(reply, mail.raw),
    dmarcFailed: mail.dmarcVerdict === "FAIL",
  };
  const { replyDomain } = deps.settings;
  const roleToken = mail.recipients.map((r) => roleTokenFromRecipient(r, replyDomain)).find(Boolean);
  if (roleToken) return receiveRoleReply(deps, roleToken, received);
  const rsvpToken = mail.recipients.map((r) => rsvpTokenFromRecipient(r, replyDomain)).find(Boolean);
  if (rsvpToken) return receiveRsvpReply(deps, rsvpToken, received);
  const seriesToken = mail.recipients.map((r) => seriesTokenFromRecipient(r, replyDomain)).find(Boolean);
  if (seriesToken) return receiveSeriesReply(deps, seriesToken, received);
  const token = mail.recipients.map((r) => tokenFromRecipient(r, replyDomain)).find(Boolean);
  return token ? receiveBallotReply(deps, token, received) : "unknown-token";
};
