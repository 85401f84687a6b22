import { deliverOnce } from "#delivery/deliver-once.ts";
import { emailArrives } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import type { EventOf } from "#events/catalogue.ts";
import { firstNameOf } from "#messages/email-kit/render-email.ts";
import {
  renderStillMeetingAnswer,
  type StillMeetingAnswerNote,
} from "#messages/series/still-meeting-answer-email.ts";
import type { Ports } from "#ports/ports.ts";
import { endSeries } from "./end-series.ts";

type Deps = Pick<Ports, "store" | "series" | "mailer" | "clock" | "settings">;

/**
 * A coordinator answered "still meeting?" (SeriesConfirmationAnswered).
 * 1. "no": the series ends through endSeries (its sessions still to come are cancelled and
 *    members told, as for any end); ending an ended series changes nothing.
 * 2. The coordinator is told what came of it, once per ask and answer: a reply and a link
 *    saying the same, or a redelivered event, send one email.
 */
export const confirmSeriesAnswer = async (
  deps: Deps,
  event: EventOf<"SeriesConfirmationAnswered">,
): Promise<"sent" | "already-sent" | "member-gone" | "unreachable"> => {
  const { organisationId: o, groupId: g } = event;
  const { seriesId, memberId, dueAt, answer } = event.data;
  const [series, group, member] = await Promise.all([
    deps.series.getSeries(o, g, seriesId),
    deps.store.getGroup(o, g),
    deps.store.getMember(o, memberId),
  ]);
  if (!series || !group || !member) return "member-gone";
  if (answer === "no")
    await endSeries(deps, o, g, seriesId, "A coordinator said the group no longer meets on it");
  if (!emailArrives(member)) return "unreachable";
  return sendSeriesNote(deps, { groupName: group.name, seriesTitle: series.title, groupId: g }, member, {
    note: answer === "yes" ? "confirmed" : "ended",
    deliveryKey: `series-answer#${g}#${seriesId}#${dueAt}#${memberId}#${answer}`,
  });
};

/** One email about a series to one coordinator, at most once by its delivery key. */
export const sendSeriesNote = (
  deps: Pick<Ports, "store" | "mailer" | "clock" | "settings">,
  about: { groupName: string; seriesTitle: string; groupId: string },
  member: Parameters<typeof toMember>[0] & { name: string },
  { note, deliveryKey }: { note: StillMeetingAnswerNote; deliveryKey: string },
) =>
  deliverOnce(deps.store, member.organisationId, deliveryKey, deps.clock.now(), () =>
    deps.mailer.send({
      ...toMember(member, about.groupId),
      from: deps.settings.fromAddress,
      ...renderStillMeetingAnswer({
        groupName: about.groupName,
        firstName: firstNameOf(member),
        seriesTitle: about.seriesTitle,
        note,
      }),
    }),
  );
