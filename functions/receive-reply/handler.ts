import { createHash } from "node:crypto";
import { tokenFromRecipient } from "#domain/ballot-token.ts";
import { roleTokenFromRecipient } from "#domain/role-reply-address.ts";
import { canCast, choiceReadingOptions, optionFromReading } from "#domain/vote.ts";
import { deliverOnce } from "#delivery/deliver-once.ts";
import { readChoice } from "#inbound/read-choice.ts";
import { readReply, type Reply } from "#inbound/read-reply.ts";
import { replyNotCountedEmail, type NotCountedReason } from "#messages/vote-messages.ts";
import type { Ports } from "#ports/ports.ts";
import { castBallot, type CastResult } from "#use-cases/cast-ballot.ts";
import { receiveRoleReply, type RoleReplyOutcome } from "./role-reply.ts";

/** One inbound mail as the receiving side hands it over (SES receipt on AWS, SMTP locally). */
export interface InboundMail {
  raw: Buffer;
  /** Envelope recipients (RCPT TO), which carry the ballot token. */
  recipients: readonly string[];
  /** SES's DMARC verdict on AWS; absent locally. */
  dmarcVerdict?: "PASS" | "FAIL" | "GRAY" | "PROCESSING_FAILED";
}

/** What became of a reply; logged by kind only, never with an address or a body. */
export type ReplyOutcome =
  | CastResult
  | "auto-reply"
  | "oversized"
  | "malformed"
  | "unknown-token"
  | NotCountedReason
  | RoleReplyOutcome;

type Deps = Pick<Ports, "store" | "votes" | "roles" | "scheduler" | "mailer" | "clock" | "log" | "settings">;

/** Identifies a message for "count once": its Message-ID, or a digest of the mail without one. */
const messageKeyOf = (reply: Reply, raw: Buffer) =>
  createHash("sha256")
    .update(reply.messageId ?? raw)
    .digest("hex");

/**
 * A member replied to a ballot email.
 * 1. Read the MIME (size-limited); machine-written mail (auto-replies, bounces) is dropped.
 * 2. The envelope recipient's token names the vote and the member; unknown → dropped.
 * 3. Trust: the From address must be the member's; the vote must be open; on AWS a DMARC
 *    FAIL holds the ballot until the member confirms it with a link.
 * 4. Read one unambiguous choice from what the member typed.
 * 5. Store the ballot (a later reply replaces it; the same Message-ID counts once) with
 *    BallotCast, which sends the confirmation. Anything not counted is explained to the
 *    member's own address, once per message. A message already counted is recognised even
 *    once the vote has closed: it is a duplicate, not a late reply.
 */
export const createReceiveReply =
  (deps: Deps) =>
  async (mail: InboundMail): Promise<ReplyOutcome> => {
    const outcome = await receive(deps, mail);
    deps.log.info("reply received", { outcome });
    return outcome;
  };

const receive = async (deps: Deps, mail: InboundMail): Promise<ReplyOutcome> => {
  const reply = await readReply(mail.raw);
  if (reply.kind !== "reply") return reply.kind;
  if (reply.autoSubmitted) return "auto-reply";

  const roleToken = mail.recipients
    .map((r) => roleTokenFromRecipient(r, deps.settings.replyDomain))
    .find(Boolean);
  if (roleToken) {
    const roleRef = await deps.roles.resolveRoleReplyToken(roleToken);
    if (!roleRef) return "unknown-token";
    return receiveRoleReply(
      deps,
      roleRef,
      reply,
      messageKeyOf(reply, mail.raw),
      mail.dmarcVerdict === "FAIL",
    );
  }

  const token = mail.recipients.map((r) => tokenFromRecipient(r, deps.settings.replyDomain)).find(Boolean);
  const ref = token ? await deps.votes.resolveBallotToken(token) : undefined;
  if (!token || !ref) return "unknown-token";
  const [vote, member] = await Promise.all([
    deps.votes.getVote(ref.organisationId, ref.groupId, ref.voteId),
    deps.store.getMember(ref.organisationId, ref.memberId),
  ]);
  if (!vote || !member) return "unknown-token";

  const messageKey = messageKeyOf(reply, mail.raw);
  const explain = async (reason: NotCountedReason, optionId?: string): Promise<ReplyOutcome> => {
    await deliverOnce(deps.store, ref.organisationId, `reply#${messageKey}`, deps.clock.now(), async () =>
      deps.mailer.send(
        await replyNotCountedEmail(deps.settings, {
          reason,
          vote,
          groupName: (await deps.store.getGroup(ref.organisationId, ref.groupId))?.name ?? "your group",
          member,
          token,
          optionId,
        }),
      ),
    );
    return reason;
  };

  if (reply.from !== member.email.toLowerCase()) return explain("not-from-member");
  if (canCast(vote, deps.clock.now()) !== "open")
    // Mail comes at least once: a ballot counted before the close may be delivered again after it.
    return (await deps.votes.messageTaken(ref.organisationId, messageKey))
      ? "duplicate-message"
      : explain("vote-closed");

  const reading = readChoice(reply.typedText, choiceReadingOptions(vote));
  const optionId = optionFromReading(vote, reading);
  if (!optionId) return explain(reading.kind === "choice" ? "unreadable" : reading.kind);
  if (mail.dmarcVerdict === "FAIL") return explain("held-for-confirmation", optionId);

  const cast = await castBallot(deps, vote, member, ref, optionId, messageKey);
  // The vote closed between the check above and the write: explained like any late reply.
  return cast === "vote-closed" ? explain("vote-closed") : cast;
};
