import { newEvent } from "#domain/new-event.ts";
import { confirmationDueAt, isConfirmationDue, staleAfterMonthsOf } from "#domain/series-staleness.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "series" | "clock" | "log" | "settings">;

/**
 * The daily "still meeting?" run: every active series, across organisations, that nobody has
 * confirmed for the staleness period (and whose coordinators were not asked in this period)
 * has the ask recorded, with SeriesConfirmationAsked, in one conditional write; the emails go
 * out when that event is handled (askSeriesCoordinators). A run repeated after a crash, or
 * beside another, finds the ask recorded and records nothing twice. One series that fails does
 * not stop the others; the run fails at the end if any did, so that it is retried.
 */
export const askStaleSeries = async (deps: Deps): Promise<{ series: number; asked: number }> => {
  const months = staleAfterMonthsOf(deps.settings.seriesStaleAfterMonths);
  const now = deps.clock.now();
  let series = 0;
  let asked = 0;
  let failed = 0;
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.series.listActiveSeries(after);
    for (const state of page.items) {
      series++;
      if (!isConfirmationDue(state, months, now)) continue;
      const { organisationId, groupId, id: seriesId } = state;
      const dueAt = confirmationDueAt(state, months)!.toISOString();
      const event = newEvent(
        "SeriesConfirmationAsked",
        { organisationId, groupId },
        { seriesId, dueAt, askedAt: now.toISOString() },
        now,
      );
      try {
        if (await deps.series.recordConfirmationAsked(state, now, event)) asked++;
      } catch (error) {
        failed++;
        deps.log.error("series confirmation not asked", {
          groupId,
          seriesId,
          error: error instanceof Error ? error.name : typeof error,
        });
      }
    }
    after = page.next;
  } while (after);
  if (failed > 0) throw new Error(`${failed} series were not asked "still meeting?"; the run is tried again`);
  return { series, asked };
};
