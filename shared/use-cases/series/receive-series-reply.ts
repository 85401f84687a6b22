import { deliverOnce } from "#delivery/deliver-once.ts";
import { readChoice } from "#inbound/read-choice.ts";
import { seriesAnswers } from "#links/series-link.ts";
import type { StillMeetingAnswerNote } from "#messages/series/still-meeting-answer-email.ts";
import type { Ports } from "#ports/ports.ts";
import type { ReceivedReply } from "../votes/receive-ballot-reply.ts";
import { answerSeriesConfirmation, type SeriesAnswerOutcome } from "./answer-series-confirmation.ts";
import { sendSeriesNote } from "./confirm-series-answer.ts";

export type SeriesReplyOutcome =
  | SeriesAnswerOutcome
  | "duplicate-message"
  | "not-from-member"
  | "unverified"
  | "unreadable"
  | "unknown-token";

type Deps = Pick<Ports, "store" | "series" | "mailer" | "clock" | "settings">;

/** Replies that changed nothing, and what the coordinator is told of them. */
const notes: Partial<Record<SeriesReplyOutcome, StillMeetingAnswerNote>> = {
  unreadable: "unreadable",
  "not-from-member": "not-from-member",
  unverified: "unverified",
  "not-a-coordinator": "not-a-coordinator",
  "already-ended": "already-ended",
};

/**
 * A coordinator replied to "still meeting?"; `token` is the one its envelope recipient
 * carried. The same trust rules as a ballot: the token names the coordinator, the From address
 * must be theirs, and a DMARC failure acts on nothing (the email's links still work). One
 * message acts once: its key is claimed first, and given back if acting fails. "yes" or "no"
 * is read from the trimmed reply as a ballot's is. A reply that changed nothing is explained
 * to the coordinator's own address.
 */
export const receiveSeriesReply = async (
  deps: Deps,
  token: string,
  { reply, messageKey, dmarcFailed }: ReceivedReply,
): Promise<SeriesReplyOutcome> => {
  const ref = await deps.series.resolveSeriesReplyToken(token);
  if (!ref) return "unknown-token";
  const member = await deps.store.getMember(ref.organisationId, ref.memberId);
  if (!member) return "not-a-coordinator";
  let outcome: SeriesReplyOutcome = "duplicate-message";
  await deliverOnce(
    deps.store,
    ref.organisationId,
    `series-reply#${messageKey}`,
    deps.clock.now(),
    async () => {
      if (reply.from !== member.email.toLowerCase()) outcome = "not-from-member";
      else if (dmarcFailed) outcome = "unverified";
      else {
        const reading = readChoice(reply.typedText, { kind: "proposal" });
        const answer = reading.kind === "choice" ? seriesAnswers.find((a) => a === reading.value) : undefined;
        outcome = answer ? await answerSeriesConfirmation(deps, ref, answer) : "unreadable";
      }
    },
  );
  const note = notes[outcome];
  if (note) {
    const [series, group] = await Promise.all([
      deps.series.getSeries(ref.organisationId, ref.groupId, ref.seriesId),
      deps.store.getGroup(ref.organisationId, ref.groupId),
    ]);
    await sendSeriesNote(
      deps,
      {
        groupName: group?.name ?? "your group",
        seriesTitle: series?.title ?? "the series",
        groupId: ref.groupId,
      },
      member,
      { note, deliveryKey: `series-reply-answer#${messageKey}` },
    );
  }
  return outcome;
};
