import { deliverEach, deliverOnce } from "#delivery/deliver-once.ts";
import { newBallotToken } from "#domain/ballot-token.ts";
import { toMember } from "#domain/recipient.ts";
import { readRecurrenceLines } from "#domain/recurrence-set.ts";
import { describeRecurrence } from "#domain/recurrence-words.ts";
import { seriesReplyAddress } from "#domain/series-reply-address.ts";
import { awaitsConfirmation, lastConfirmed } from "#domain/series-staleness.ts";
import type { EventOf } from "#events/catalogue.ts";
import { seriesLinkUrl, signSeriesLink, type SeriesAnswer } from "#links/series-link.ts";
import { firstNameOf } from "#messages/email-kit/render-email.ts";
import { renderStillMeeting } from "#messages/series/still-meeting-email.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesReplyRef } from "#ports/series-store.ts";
import { seriesCoordinators } from "./series-coordinators.ts";

type Deps = Pick<Ports, "store" | "series" | "mailer" | "clock" | "settings">;

export type CoordinatorsAsked =
  { coordinators: number; sent: number } | { skipped: "series-gone" | "answered" | "asked-again" };

const dateInWords = (instant: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone }).format(
    instant,
  );

/**
 * The coordinators of a series asked "still meeting?" (SeriesConfirmationAsked) are each
 * emailed once per ask: the email's Reply-To carries the coordinator's token for this ask, and
 * its yes and no links lead to a confirmation page. Nothing is sent for an ask already answered
 * (or superseded by a later ask); a redelivered event finds each email claimed and sends none.
 */
export const askSeriesCoordinators = async (
  deps: Deps,
  event: EventOf<"SeriesConfirmationAsked">,
): Promise<CoordinatorsAsked> => {
  const { organisationId: o, groupId: g } = event;
  const { seriesId, dueAt, askedAt } = event.data;
  const [series, group] = await Promise.all([
    deps.series.getSeries(o, g, seriesId),
    deps.store.getGroup(o, g),
  ]);
  if (!series || !group) return { skipped: "series-gone" };
  if (!awaitsConfirmation(series)) return { skipped: "answered" };
  if (series.confirmationAskedAt !== askedAt) return { skipped: "asked-again" };
  const coordinators = await seriesCoordinators(deps, group);
  const ruleInWords = describeRecurrence(
    readRecurrenceLines(series.recurrence, series.startLocal, series.timeZone),
  );
  const { publicBaseUrl, linkSigningSecret, replyDomain, fromAddress } = deps.settings;
  const now = deps.clock.now();
  const outcomes = await deliverEach(coordinators, async (member) => {
    const ref: SeriesReplyRef = { organisationId: o, groupId: g, seriesId, memberId: member.id, dueAt };
    const token = await deps.series.seriesReplyToken(ref, newBallotToken());
    const link = async (answer: SeriesAnswer) =>
      seriesLinkUrl(publicBaseUrl, await signSeriesLink({ seriesToken: token, answer }, linkSigningSecret));
    const email = renderStillMeeting({
      groupName: group.name,
      firstName: firstNameOf(member),
      seriesTitle: series.title,
      ruleInWords,
      confirmedOn: dateInWords(lastConfirmed(series), series.timeZone),
      yesUrl: await link("yes"),
      noUrl: await link("no"),
    });
    return deliverOnce(deps.store, o, `series-ask#${g}#${seriesId}#${dueAt}#${member.id}`, now, () =>
      deps.mailer.send({
        ...toMember(member, g),
        from: fromAddress,
        replyTo: seriesReplyAddress(token, replyDomain),
        ...email,
      }),
    );
  });
  return { coordinators: coordinators.length, sent: outcomes.filter((o) => o === "sent").length };
};
