import { newEvent } from "#domain/new-event.ts";
import type { SeriesAnswer } from "#links/series-link.ts";
import type { Ports } from "#ports/ports.ts";
import type { SeriesReplyRef } from "#ports/series-store.ts";
import { isSeriesCoordinator } from "./series-coordinators.ts";

type Deps = Pick<Ports, "store" | "series" | "clock">;

export type SeriesAnswerOutcome =
  "confirmed" | "ending" | "already-ended" | "series-gone" | "not-a-coordinator";

/**
 * A coordinator's answer to "still meeting?", by reply or by link; `ref` is what their token
 * stands for. Only someone who coordinates the group now may answer.
 * - "yes": the series' confirmedAt is now, written with SeriesConfirmationAnswered.
 * - "no": SeriesConfirmationAnswered alone; the series ends when it is handled
 *   (confirmSeriesAnswer, through endSeries), so that the links' API function and the reply
 *   handler carry none of a series' end.
 * The coordinator is emailed the outcome when that event is handled, once per ask and answer.
 */
export const answerSeriesConfirmation = async (
  deps: Deps,
  ref: SeriesReplyRef,
  answer: SeriesAnswer,
): Promise<SeriesAnswerOutcome> => {
  const { organisationId: o, groupId: g, seriesId } = ref;
  const [series, group] = await Promise.all([
    deps.series.getSeries(o, g, seriesId),
    deps.store.getGroup(o, g),
  ]);
  if (!series || !group) return "series-gone";
  if (!isSeriesCoordinator(group, ref.memberId)) return "not-a-coordinator";
  if (series.status === "ended") return "already-ended";
  const now = deps.clock.now();
  const answered = newEvent(
    "SeriesConfirmationAnswered",
    { organisationId: o, groupId: g },
    { seriesId, memberId: ref.memberId, dueAt: ref.dueAt, answer, answeredAt: now.toISOString() },
    now,
  );
  if (answer === "yes")
    return (await deps.series.recordConfirmed({ organisationId: o, groupId: g, id: seriesId }, now, answered))
      ? "confirmed"
      : "already-ended";
  await deps.series.recordAnswer(answered);
  return "ending";
};
